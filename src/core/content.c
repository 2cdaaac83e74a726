/* content.c — freeing a feed's content and the holiday questions the
 * schedule asks of it (is this date a day off, a 调休 workday?). */
#include "core/content.h"

#include <stdlib.h>

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
    free(c->org_name);
    free(c->logo);
    for (size_t i = 0; i < c->nann; i++) {
        free(c->ann[i].title);
        free(c->ann[i].body);
        free(c->ann[i].image);
    }
    free(c->ann);
    for (size_t i = 0; i < c->nevents; i++) {
        free(c->events[i].title);
        free(c->events[i].place);
        free(c->events[i].organizer);
        free(c->events[i].note);
    }
    free(c->events);
    for (size_t i = 0; i < c->nrolls; i++) {
        struct nb_roll *r = &c->rolls[i];
        free(r->name);
        for (size_t j = 0; j < r->nentries; j++) {
            free(r->entries[j].name);
            free(r->entries[j].honor);
            free(r->entries[j].unit);
            free(r->entries[j].year);
            free(r->entries[j].photo);
        }
        free(r->entries);
    }
    free(c->rolls);
    for (size_t i = 0; i < c->nticker; i++)
        free(c->ticker[i].text);
    free(c->ticker);
    for (size_t i = 0; i < c->nholidays; i++)
        free(c->holidays[i].name);
    free(c->holidays);
    for (size_t i = 0; i < c->nsettings; i++) {
        free(c->settings[i].key);
        free(c->settings[i].value);
    }
    free(c->settings);
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
