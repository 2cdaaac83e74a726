/* fair.c — the fair loop's one decision: go on, or show the urgent block
 * first because the next page would keep it away too long. */
#include "core/fair.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define FAIR_SLACK_MS 1000

void fair_init(struct fair *f, int64_t now_ms)
{
    memset(f, 0, sizeof *f);
    f->urgent_left = now_ms;
}

void fair_fini(struct fair *f)
{
    free(f->detour);
    memset(f, 0, sizeof *f);
}

void fair_reset(struct fair *f)
{
    f->ndetour = f->at = f->resume = 0;
}

static bool any_urgent(const struct fair_step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (steps[i].urgent >= 0)
            return true;
    return false;
}

/* When the urgent block last left the screen, counting step cur ending now:
 * without urgent steps nobody waits. */
static int64_t left_at(const struct fair *f, const struct fair_step *steps, size_t n, size_t cur,
                       int64_t now_ms)
{
    if ((cur < n && steps[cur].urgent >= 0) || !any_urgent(steps, n))
        return now_ms;
    return f->urgent_left;
}

/* The next step; *detour set when it is the start of a new detour. */
static size_t choose(const struct fair *f, const struct fair_step *steps, size_t n, size_t cur,
                     int64_t now_ms, int every_s, bool *detour)
{
    *detour = false;
    if (f->ndetour)
        return f->at < f->ndetour ? f->detour[f->at] : f->resume < n ? f->resume : 0;
    size_t next = cur + 1 < n ? cur + 1 : 0;
    if (every_s <= 0 || cur >= n || steps[cur].urgent >= 0 || steps[next].urgent >= 0)
        return next;
    int64_t left = left_at(f, steps, n, cur, now_ms);
    /* A second of slack: each change of page comes a few ms after it was
     * due, and a page that would end exactly at N must not force a detour. */
    int64_t away = now_ms - left + (int64_t)steps[next].seconds * 1000;
    if (away <= (int64_t)every_s * 1000 + FAIR_SLACK_MS)
        return next;
    for (size_t i = 0; i < n; i++)
        if (steps[i].urgent >= 0) {
            *detour = true;
            return i;
        }
    return next;
}

size_t fair_peek(const struct fair *f, const struct fair_step *steps, size_t n, size_t cur,
                 int64_t now_ms, int every_s)
{
    bool detour;
    return choose(f, steps, n, cur, now_ms, every_s, &detour);
}

/* The detour: each urgent slide once, in the order they first appear,
 * all its pages (a slide's pages are consecutive steps from page 0). */
static void plan_detour(struct fair *f, const struct fair_step *steps, size_t n)
{
    size_t cap = 0;
    f->ndetour = 0;
    for (size_t i = 0; i < n; i++) {
        if (steps[i].urgent < 0 || steps[i].page != 0)
            continue;
        bool seen = false;
        for (size_t j = 0; j < f->ndetour && !seen; j++)
            seen = steps[f->detour[j]].urgent == steps[i].urgent;
        if (seen)
            continue;
        for (size_t j = i; j < n && steps[j].urgent == steps[i].urgent &&
                           (j == i || steps[j].page != 0); j++) {
            xgrow(&f->detour, &cap, f->ndetour + 1, sizeof *f->detour);
            f->detour[f->ndetour++] = j;
        }
    }
}

size_t fair_next(struct fair *f, const struct fair_step *steps, size_t n, size_t cur,
                 int64_t now_ms, int every_s)
{
    bool detour;
    size_t next = choose(f, steps, n, cur, now_ms, every_s, &detour);
    f->urgent_left = left_at(f, steps, n, cur, now_ms);
    if (f->ndetour) {
        if (f->at < f->ndetour)
            f->at++;
        else
            fair_reset(f);
    } else if (detour) {
        f->resume = cur + 1 < n ? cur + 1 : 0;
        plan_detour(f, steps, n);
        f->at = 1;
        if (f->ndetour)
            next = f->detour[0];
    }
    return next;
}
