/* fair.h — the fair loop: an active urgent notice comes back at least every
 * N seconds ([schedule] urgent_every), also between the pages of a long
 * slide.  The plan puts the urgent block between slides; this puts it,
 * as a detour, between pages where the wait would otherwise pass N.
 * Pure: the loop's steps and the monotonic clock in, the next step out. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One step of the loop (a page of a slide), as the fair loop sees it. */
struct fair_step {
    long urgent;        /* the urgent slide's announcement index, or -1 */
    size_t page;        /* page within its slide, from 0 */
    int seconds;        /* how long it stays */
};

struct fair {
    int64_t urgent_left;    /* monotonic ms the urgent block last left the
                             * screen (or the loop had no urgent step) */
    size_t *detour;         /* steps of the detour in progress, owned */
    size_t ndetour, at;     /* its length and the next one to show */
    size_t resume;          /* the step the loop goes on with after it */
};

/* A fair loop that counts the wait from now_ms.  fair_fini frees it. */
void fair_init(struct fair *f, int64_t now_ms);
void fair_fini(struct fair *f);
/* The steps changed (a new plan): a detour in progress is dropped; the
 * wait goes on being counted. */
void fair_reset(struct fair *f);

/* The step to show after step cur, which is ending at now_ms, among
 * steps[0..n) (n >= 1): the next one, or the first page of the urgent
 * block when going on would keep it away longer than every_s seconds (and
 * a second of slack for a loop that changes pages a few ms late) (a
 * detour: every page of every urgent slide once, in plan order, then the
 * loop goes on where it was, without another check, so it always moves).
 * No detour right after an urgent step or into one, nor when every_s <= 0.
 * fair_next commits the choice; fair_peek only tells it (the page to draw
 * ahead), and tells the same as fair_next at the same now_ms. */
size_t fair_next(struct fair *f, const struct fair_step *steps, size_t n, size_t cur,
                 int64_t now_ms, int every_s);
size_t fair_peek(const struct fair *f, const struct fair_step *steps, size_t n, size_t cur,
                 int64_t now_ms, int every_s);
