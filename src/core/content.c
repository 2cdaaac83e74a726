/* content.c — freeing a feed's content and the holiday questions the
 * schedule asks of it (is this date a day off, a 调休 workday?). */
#include "core/content.h"

#include <stdlib.h>

#include "core/kinds.h"
#include "core/util.h"

struct feed_content *content_create(void)
{
    struct feed_content *c = xcalloc(1, sizeof *c);
    c->org_name = xstrdup("");
    c->created = CLOCK_NONE;
    return c;
}

void content_destroy(struct feed_content *c)
{
    if (!c)
        return;
    for (int k = 0; k < KIND_COUNT; k++)
        content_clear_kind(c, (enum kind)k);
    free(c->org_name);
    free(c->logo);
    free(c);
}

/* Binary search: holidays are sorted by day (feed_load and the sync tool
 * guarantee it), and the schedule asks once per day it looks at. */
int content_holiday(const struct feed_content *c, int64_t day)
{
    if (!c)
        return 0;
    size_t lo = 0, hi = c->nholidays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t d = c->holidays[mid].day;
        if (d == day)
            return c->holidays[mid].workday ? 1 : -1;
        if (d < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

bool content_is_workday(const struct feed_content *c, int64_t day)
{
    int h = content_holiday(c, day);
    if (h)
        return h > 0;
    return when_weekday(day) < 5;
}
