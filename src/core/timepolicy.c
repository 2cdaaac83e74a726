/* timepolicy.c — the time policy (timepolicy.h): which time a stick brings
 * and whether the clock may move to it. */
#include "core/timepolicy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/when.h"

/* Moving to t is believable: not further than a year from what the box
 * knew.  A box that knows nothing (its clock in 1970 and no last good
 * time) has nothing to protect, nor has a clock beyond 2090, which no
 * right clock shows (an earlier version could be moved there). */
static bool believable(const struct timepolicy_box *b, int64_t t)
{
    if (t < TIMEPOLICY_PLAUSIBLE || t >= TIMEPOLICY_JUNK)
        return false;
    if ((b->now < TIMEPOLICY_PLAUSIBLE && b->last_good < TIMEPOLICY_PLAUSIBLE) ||
        b->now >= TIMEPOLICY_JUNK)
        return true;
    int64_t known = b->now > b->last_good ? b->now : b->last_good;
    return t <= known + TIMEPOLICY_MAX_MOVE && t >= b->now - TIMEPOLICY_MAX_MOVE;
}

static int cmp_desc(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a < b) - (a > b);
}

/* Moves forward to t when t is ahead of the clock; doubtful when it is
 * ahead beyond belief. */
static void forward(const struct timepolicy_box *b, int64_t t, enum timepolicy_source s,
                    struct timepolicy_decision *out)
{
    if (t <= b->now + TIMEPOLICY_SLACK)
        return;
    if (!believable(b, t)) {
        out->doubtful = true;
        return;
    }
    out->move = true;
    out->to = t;
    out->source = s;
}

void timepolicy_decide(const struct timepolicy_evidence *e, const struct timepolicy_box *b,
                       struct timepolicy_decision *out)
{
    *out = (struct timepolicy_decision){0};
    /* Explicit: set on purpose, may go back — once per value, so a stick
     * that still holds last month's time.txt does not set the box back. */
    int64_t x = e->explicit_time;
    if (x >= TIMEPOLICY_PLAUSIBLE && x > b->last_explicit) {
        /* A signed bundle was not packed in the future: an explicit time
         * a day before its packing is the wrong PC's clock. */
        bool before_signed = e->signed_time && x + 86400 < e->signed_time;
        if (before_signed || !believable(b, x)) {
            out->doubtful = true;
        } else {
            if (llabs(x - b->now) > TIMEPOLICY_SLACK) {
                out->move = true;
                out->to = x;
            }
            out->source = TIMEPOLICY_EXPLICIT;
            return;
        }
    }
    if (e->signed_time >= TIMEPOLICY_PLAUSIBLE) {
        forward(b, e->signed_time, TIMEPOLICY_SIGNED, out);
        return;
    }
    /* Files: the second newest plausible time, so that no single file's
     * time moves the clock on its own. */
    int64_t t[TIMEPOLICY_MAX_FILES];
    size_t n = 0;
    for (size_t i = 0; i < e->nfiles && i < TIMEPOLICY_MAX_FILES; i++)
        if (e->files[i] >= TIMEPOLICY_PLAUSIBLE)
            t[n++] = e->files[i];
    if (n < 2)
        return;
    qsort(t, n, sizeof *t, cmp_desc);
    forward(b, t[1], TIMEPOLICY_FILES, out);
}

/* Reads exactly n digits. */
static bool num(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

bool timepolicy_parse_explicit(const char *text, int64_t *unix_seconds)
{
    const char *p = text;
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    int y, mo, d, h, mi, s = 0;
    if (!num(&p, 4, &y) || *p++ != '-' || !num(&p, 2, &mo) || *p++ != '-' || !num(&p, 2, &d) ||
        (*p != ' ' && *p != 'T') || !(p++, num(&p, 2, &h)) || *p++ != ':' || !num(&p, 2, &mi))
        return false;
    if (*p == ':' && !(p++, num(&p, 2, &s)))
        return false;
    if (!when_valid_date(y, mo, d) || h > 23 || mi > 59 || s > 60)
        return false;
    if (*p == '.')                      /* fractions of a second */
        while (*++p >= '0' && *p <= '9')
            ;
    while (*p == ' ')
        p++;
    bool zone = false;
    int off = 0;
    if (*p == 'Z') {
        zone = true;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!num(&p, 2, &oh))
            return false;
        if (*p == ':')
            p++;
        if (!num(&p, 2, &om) || oh > 14 || om > 59)
            return false;
        zone = true;
        off = sign * (oh * 3600 + om * 60);
    }
    while (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t')
        p++;
    if (*p)
        return false;
    if (zone) {
        *unix_seconds = when_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off;
        return true;
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = s, .tm_isdst = -1};
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return false;
    *unix_seconds = (int64_t)t;
    return true;
}
