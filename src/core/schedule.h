/* schedule.h — what plays when.  Pure: content + a moment in, the loop in
 * play order and the moment it may next change out.  The player and
 * `noticeboard plan` both use it, so the plan is what plays. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/clock.h"
#include "core/content.h"

struct config;

enum slide_kind { SLIDE_URGENT, SLIDE_ANNOUNCEMENT, SLIDE_EVENTS, SLIDE_HONORS };

struct slide_ref {
    enum slide_kind kind;
    size_t index;           /* into c->ann (urgent, announcement) or c->rolls; 0 for events */
    int duration;           /* seconds per page */
};

struct sched_opts {
    uint8_t nquiet;                 /* quiet hours from the config; 0 = none */
    struct when_window quiet[WHEN_MAX_WINDOWS];
    bool clock_unsure;              /* play only items that do not depend on the date */
    /* ...and so before this civil minute, where the plan's `until` stops
     * (clock_trusted_from; CLOCK_NONE: never; a zeroed struct believes
     * every moment from 1970 on). */
    int64_t clock_from;
    int events_days;                /* how many days ahead the events slide looks (default 14) */
};

struct plan {
    bool quiet;                     /* screen blank */
    struct slide_ref *slides;       /* play order, urgent interleaved */
    size_t nslides;
    size_t *ticker;                 /* indices into c->ticker, active now */
    size_t nticker;
    size_t *events;                 /* indices into c->events shown by the events slide */
    size_t nevents;
    int64_t until;                  /* first minute > now at which the plan may differ */
};

/* The options the player, `plan` and `render` all use: quiet hours from
 * cfg, and the clock judged with c's creation time and the last time the
 * clock was known good (clock_trusted_from), so a moment the player would
 * not believe plays date-free items only.  *o is overwritten.  Returns the
 * verdict at `now` (clock_judge).  Never fails; c may be NULL. */
enum clock_state schedule_opts_for(const struct config *cfg, const struct feed_content *c,
                                   int64_t last_good, int64_t now, struct sched_opts *o);

/* The loop never holds more than this many slides, whatever the content
 * (a slide costs the player its layout and memory).  The urgent block
 * goes after every slide while the loop stays within it, else after every
 * k-th (schedule_urgent_every); a loop longer even without repeats is cut
 * there (more than the kinds' row limits allow). */
#define SCHEDULE_MAX_SLIDES 8000

/* After how many slides of a loop of nloop other slides the block of
 * nurgent urgent slides repeats so that the whole loop stays within
 * SCHEDULE_MAX_SLIDES: 1 (after every slide) unless that is too long;
 * nloop or more means the block plays once, at the start.  The importer
 * asks it for the worst case to warn staff. */
size_t schedule_urgent_every(size_t nurgent, size_t nloop);

/* The most events the events slide lists on one day: the import refuses
 * a feed that could list more, and the slide has room for every one of
 * them (no event is ever left off the screen). */
#define SCHEDULE_EVENTS_MAX 100

/* How many events the events slide may list on its busiest day from
 * `today` (a civil day) on: the largest number of events dated within any
 * span of the days it looks at (yesterday's, for events running past
 * midnight, today and the days ahead), an upper bound of what it lists.
 * *first gets that span's first day and *last its last (unchanged when
 * there is no event from today - 1 on). */
size_t schedule_events_peak(const struct feed_content *c, int64_t today, int64_t *first,
                            int64_t *last);

/* Computes the plan at civil minute `now`.  out is overwritten (call
 * plan_free first if reusing).  Never fails. */
void schedule_at(const struct feed_content *c, const struct sched_opts *o,
                 int64_t now, struct plan *out);
/* true when two plans show the same slides, ticker and events. */
bool plan_same(const struct plan *a, const struct plan *b);
void plan_free(struct plan *p);
const char *slide_kind_name(enum slide_kind k); /* "urgent", "announcement", … */
