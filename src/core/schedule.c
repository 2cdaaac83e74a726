/* schedule.c — what plays when (docs/schedule.md).  Pure: it reads the
 * content and a civil minute and builds the loop; it also reports the next
 * minute at which its answer could change, so callers sleep until then. */
#include "core/schedule.h"

#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/util.h"

#define ANN_MIN_S 5
#define ANN_MAX_S 120
#define EVENTS_S 15
#define HONORS_S 12
#define EVENTS_DAYS_DEFAULT 14
#define EVENT_DEFAULT_LEN 120   /* minutes an event without end_time lasts */

/* Floor division: civil minutes before 1970 are negative. */
static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / WHEN_MIN_PER_DAY : -((-t + WHEN_MIN_PER_DAY - 1) / WHEN_MIN_PER_DAY);
}

/* Does the days mask select civil day `day`?  Weekday bits are plain
 * weekdays; 工作日/周末 follow holidays and 调休 (周末 = any day that is not
 * a working day, public holidays included). */
static bool days_match(const struct feed_content *c, uint16_t mask, int64_t day)
{
    if (mask & (1u << when_weekday(day)))
        return true;
    if (mask & (DAYS_WORKDAY | DAYS_WEEKEND)) {
        bool work = content_is_workday(c, day);
        if ((mask & DAYS_WORKDAY) && work)
            return true;
        if ((mask & DAYS_WEEKEND) && !work)
            return true;
    }
    return false;
}

/* Keeps *until the earliest edge strictly after now. */
static void edge(int64_t *until, int64_t now, int64_t t)
{
    if (t > now && t < *until)
        *until = t;
}

/* Is minute-of-day m inside window w, and on which day does the window
 * start (0 = today, -1 = yesterday, for the tail of an overnight one)? */
static bool in_window(const struct when_window *w, int m, int *which)
{
    if (w->from < w->to) {
        *which = 0;
        return m >= w->from && m < w->to;
    }
    /* Overnight (to <= from): the evening part is today's, the early
     * morning part belongs to the evening before. */
    if (m >= w->from) {
        *which = 0;
        return true;
    }
    *which = -1;
    return m < w->to;
}

/* Window edges of today, and midnight, as candidates for `until`. */
static void window_edges(const struct when_window *w, int n, int64_t today, int64_t now,
                         int64_t *until)
{
    for (int i = 0; i < n; i++) {
        edge(until, now, today * WHEN_MIN_PER_DAY + w[i].from);
        edge(until, now, today * WHEN_MIN_PER_DAY + w[i].to);
    }
}

static bool ann_active(const struct feed_content *c, const struct nb_announcement *a,
                       bool unsure, int64_t now, int64_t *until)
{
    if (unsure)
        return a->start == WHEN_ALWAYS && a->end == WHEN_NEVER && a->days == DAYS_ALL &&
               a->nhours == 0 && a->countdown <= 0;
    int64_t today = day_of(now);
    int m = (int)(now - today * WHEN_MIN_PER_DAY);
    edge(until, now, a->start);
    edge(until, now, a->end);
    /* A countdown is gone after its day (midnight re-plans anyway). */
    if (a->countdown > 0 && today > a->countdown)
        return false;
    window_edges(a->hours, a->nhours, today, now, until);
    if (now < a->start || now >= a->end)
        return false;
    if (a->nhours == 0)
        return days_match(c, a->days, today);
    for (int i = 0; i < a->nhours; i++) {
        int which;
        if (in_window(&a->hours[i], m, &which) && days_match(c, a->days, today + which))
            return true;
    }
    return false;
}

/* An event's span [start, end) in civil minutes.  No start time: from the
 * start of its day.  No end time: the end of its day when it has no start
 * time, else two hours after the start.  An end before the start runs past
 * midnight. */
static void event_span(const struct nb_event *e, int64_t *start, int64_t *end)
{
    int64_t base = e->day * WHEN_MIN_PER_DAY;
    *start = base + (e->start >= 0 ? e->start : 0);
    if (e->end >= 0)
        *end = base + e->end + (e->start >= 0 && e->end <= e->start ? WHEN_MIN_PER_DAY : 0);
    else if (e->start >= 0)
        *end = *start + EVENT_DEFAULT_LEN;
    else
        *end = base + WHEN_MIN_PER_DAY;
}

static bool in_quiet(const struct sched_opts *o, int64_t now)
{
    int64_t today = day_of(now);
    int m = (int)(now - today * WHEN_MIN_PER_DAY);
    for (int i = 0; i < o->nquiet; i++) {
        int which;
        if (in_window(&o->quiet[i], m, &which))
            return true;
    }
    return false;
}

static void add_slide(struct plan *p, size_t *cap, enum slide_kind k, size_t index, int dur)
{
    if (p->nslides >= SCHEDULE_MAX_SLIDES)
        return;
    xgrow(&p->slides, cap, p->nslides + 1, sizeof *p->slides);
    p->slides[p->nslides++] = (struct slide_ref){k, index, dur};
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The loop without urgent slides, 重要 announcements doubled: the copy goes
 * in front of the first slide that starts at least half a base loop after
 * the original (cyclically), never right after it.  With fewer than three
 * slides a 重要 item already shows every other slide, so it is not doubled. */
static void build_loop(const struct feed_content *c, struct plan *p, size_t *cap,
                       const struct slide_ref *base, size_t n)
{
    if (n < 3) {
        for (size_t i = 0; i < n; i++)
            add_slide(p, cap, base[i].kind, base[i].index, base[i].duration);
        return;
    }
    int64_t *t0 = xmalloc(n * sizeof *t0);  /* start second of each base slide */
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        t0[i] = total;
        total += base[i].duration;
    }
    /* target[i]: the base index before which the copy of slide i goes;
     * n means "at the end of the loop"; SIZE_MAX = no copy. */
    size_t *target = xmalloc(n * sizeof *target);
    for (size_t i = 0; i < n; i++) {
        target[i] = SIZE_MAX;
        if (base[i].kind != SLIDE_ANNOUNCEMENT || c->ann[base[i].index].priority != PRIO_HIGH)
            continue;
        size_t q = (i + n - 1) % n;     /* fallback: just before the previous slide */
        for (size_t k = 2; k < n; k++) {
            size_t j = (i + k) % n;
            int64_t delta = (t0[j] - t0[i] + total) % total;
            if (2 * delta >= total) {
                q = j;
                break;
            }
        }
        target[i] = q == 0 ? n : q;
    }
    for (size_t q = 0; q <= n; q++) {
        for (size_t i = 0; i < n; i++)
            if (target[i] == q)
                add_slide(p, cap, base[i].kind, base[i].index, base[i].duration);
        if (q < n)
            add_slide(p, cap, base[q].kind, base[q].index, base[q].duration);
    }
    free(t0);
    free(target);
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

size_t schedule_events_peak(const struct feed_content *c, int64_t today, int64_t *first,
                            int64_t *last)
{
    int64_t *d = xcalloc(c->nevents ? c->nevents : 1, sizeof *d);
    size_t n = 0, best = 0;
    for (size_t i = 0; i < c->nevents; i++)
        if (c->events[i].day >= today - 1)
            d[n++] = c->events[i].day;
    qsort(d, n, sizeof *d, cmp_day);
    /* The slide on day D lists events of D - 1 (overnight) to D + days. */
    const int64_t span = EVENTS_DAYS_DEFAULT + 2;
    for (size_t lo = 0, hi = 0; lo < n; lo++) {
        while (hi < n && d[hi] < d[lo] + span)
            hi++;
        if (hi - lo > best) {
            best = hi - lo;
            *first = d[lo];
            *last = d[hi - 1];
        }
    }
    free(d);
    return best;
}

size_t schedule_urgent_every(size_t nurgent, size_t nloop)
{
    if (nurgent == 0 || nloop <= 1)
        return 1;
    /* Blocks: one at the start and one after every k-th slide but the
     * last: 1 + (nloop - 1) / k. */
    if (nurgent + nloop > SCHEDULE_MAX_SLIDES)
        return nloop;
    size_t room = (SCHEDULE_MAX_SLIDES - nloop) / nurgent;     /* blocks that fit, >= 1 */
    /* The smallest k with 1 + (nloop - 1) / k <= room. */
    return (nloop - 1) / room + 1;
}

enum clock_state schedule_opts_for(const struct config *cfg, const struct feed_content *c,
                                   int64_t last_good, int64_t now, struct sched_opts *o)
{
    memset(o, 0, sizeof *o);
    o->nquiet = cfg->nquiet;
    memcpy(o->quiet, cfg->quiet, sizeof o->quiet);
    o->events_days = 0;     /* the schedule's default */
    int64_t created = c ? c->created : CLOCK_NONE;
    o->clock_from = clock_trusted_from(created, last_good);
    return clock_judge(now, created, last_good);
}

void schedule_at(const struct feed_content *c, const struct sched_opts *o,
                 int64_t now, struct plan *out)
{
    memset(out, 0, sizeof *out);
    int64_t today = day_of(now);
    int64_t until = (today + 1) * WHEN_MIN_PER_DAY;    /* midnight always re-plans */
    bool unsure = o->clock_unsure || now < o->clock_from;
    edge(&until, now, o->clock_from);                   /* believed from then */

    /* A wrong clock must never blank the screen: quiet hours apply only
     * when the clock is believed. */
    if (!unsure && o->nquiet) {
        window_edges(o->quiet, o->nquiet, today, now, &until);
        if (in_quiet(o, now)) {
            out->quiet = true;
            out->until = until;
            return;
        }
    }
    if (!c) {
        out->until = until;
        return;
    }

    size_t cap = 0, ucap = 0, nurgent = 0, nbase = 0, bcap = 0;
    size_t *urgent = NULL;
    struct slide_ref *base = NULL;
    for (size_t i = 0; i < c->nann; i++) {
        const struct nb_announcement *a = &c->ann[i];
        if (!ann_active(c, a, unsure, now, &until))
            continue;
        if (a->priority == PRIO_URGENT) {
            xgrow(&urgent, &ucap, nurgent + 1, sizeof *urgent);
            urgent[nurgent++] = i;
        } else {
            xgrow(&base, &bcap, nbase + 1, sizeof *base);
            base[nbase++] = (struct slide_ref){SLIDE_ANNOUNCEMENT, i,
                                               clamp(a->duration, ANN_MIN_S, ANN_MAX_S)};
        }
    }

    if (!unsure) {
        int days = o->events_days > 0 ? o->events_days : EVENTS_DAYS_DEFAULT;
        size_t ecap = 0;
        for (size_t i = 0; i < c->nevents; i++) {
            const struct nb_event *e = &c->events[i];
            int64_t s, en;
            event_span(e, &s, &en);
            edge(&until, now, s);
            edge(&until, now, en);
            /* Upcoming: on a day from today to today + events_days, not ended. */
            if (now >= en || e->day > today + days)
                continue;
            xgrow(&out->events, &ecap, out->nevents + 1, sizeof *out->events);
            out->events[out->nevents++] = i;
        }
        if (out->nevents) {
            xgrow(&base, &bcap, nbase + 1, sizeof *base);
            base[nbase++] = (struct slide_ref){SLIDE_EVENTS, 0, EVENTS_S};
        }
    }

    for (size_t i = 0; i < c->nrolls; i++) {
        const struct nb_roll *r = &c->rolls[i];
        bool on;
        if (unsure) {
            on = r->start == WHEN_ALWAYS && r->end == WHEN_NEVER;
        } else {
            edge(&until, now, r->start);
            edge(&until, now, r->end);
            on = now >= r->start && now < r->end;
        }
        if (on && r->nentries) {
            xgrow(&base, &bcap, nbase + 1, sizeof *base);
            base[nbase++] = (struct slide_ref){SLIDE_HONORS, i, HONORS_S};
        }
    }

    struct plan loop = {0};
    size_t lcap = 0;
    build_loop(c, &loop, &lcap, base, nbase);
    /* Urgent block first and again after every other slide, or after
     * every k-th when that would make the loop too long. */
    size_t every = schedule_urgent_every(nurgent, loop.nslides);
    for (size_t i = 0; i < nurgent; i++)
        add_slide(out, &cap, SLIDE_URGENT, urgent[i],
                  clamp(c->ann[urgent[i]].duration, ANN_MIN_S, ANN_MAX_S));
    for (size_t k = 0; k < loop.nslides; k++) {
        add_slide(out, &cap, loop.slides[k].kind, loop.slides[k].index, loop.slides[k].duration);
        if (k + 1 < loop.nslides && (k + 1) % every == 0)
            for (size_t i = 0; i < nurgent; i++)
                add_slide(out, &cap, SLIDE_URGENT, urgent[i],
                          clamp(c->ann[urgent[i]].duration, ANN_MIN_S, ANN_MAX_S));
    }
    free(loop.slides);
    free(base);
    free(urgent);

    size_t tcap = 0;
    for (size_t i = 0; i < c->nticker; i++) {
        const struct nb_ticker *t = &c->ticker[i];
        bool on;
        if (unsure) {
            on = t->start == WHEN_ALWAYS && t->end == WHEN_NEVER;
        } else {
            edge(&until, now, t->start);
            edge(&until, now, t->end);
            on = now >= t->start && now < t->end;
        }
        if (on) {
            xgrow(&out->ticker, &tcap, out->nticker + 1, sizeof *out->ticker);
            out->ticker[out->nticker++] = i;
        }
    }
    out->until = until;
}

bool plan_same(const struct plan *a, const struct plan *b)
{
    if (a->quiet != b->quiet || a->nslides != b->nslides || a->nticker != b->nticker ||
        a->nevents != b->nevents)
        return false;
    for (size_t i = 0; i < a->nslides; i++)
        if (a->slides[i].kind != b->slides[i].kind || a->slides[i].index != b->slides[i].index ||
            a->slides[i].duration != b->slides[i].duration)
            return false;
    return (!a->nticker || !memcmp(a->ticker, b->ticker, a->nticker * sizeof *a->ticker)) &&
           (!a->nevents || !memcmp(a->events, b->events, a->nevents * sizeof *a->events));
}

void plan_free(struct plan *p)
{
    if (!p)
        return;
    free(p->slides);
    free(p->ticker);
    free(p->events);
    memset(p, 0, sizeof *p);
}

const char *slide_kind_name(enum slide_kind k)
{
    switch (k) {
    case SLIDE_URGENT: return "urgent";
    case SLIDE_ANNOUNCEMENT: return "announcement";
    case SLIDE_EVENTS: return "events";
    case SLIDE_HONORS: return "honors";
    }
    return "?";
}
