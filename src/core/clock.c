/* clock.c — the clock judgement and the last-known-good time kept in the
 * data folder (STORE_CLOCK). */
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "core/util.h"
#include "core/when.h"

#define CLOCK_SLACK WHEN_MIN_PER_DAY    /* a day behind last good is still believable */
#define CLOCK_SAVE_EVERY 10             /* minutes */

int64_t clock_trusted_from(int64_t feed_created, int64_t last_good)
{
    /* A feed cannot have been built in the future: before it, the clock
     * is behind. */
    int64_t from = feed_created;
    /* Time zones, a manual correction or an RTC drift can move a good clock
     * back a little; more than a day back means a lost or stale clock. */
    if (last_good != CLOCK_NONE && last_good - CLOCK_SLACK > from)
        from = last_good - CLOCK_SLACK;
    return from;
}

enum clock_state clock_judge(int64_t now, int64_t feed_created, int64_t last_good)
{
    return now < clock_trusted_from(feed_created, last_good) ? CLOCK_UNSURE : CLOCK_OK;
}

char *clock_doubt(int64_t now, int64_t feed_created, int64_t last_good)
{
    char t[17];
    if (feed_created != CLOCK_NONE && now < feed_created) {
        when_format(feed_created, t);
        return xasprintf("before the feed was made (%s)", t);
    }
    if (last_good != CLOCK_NONE && now < last_good - CLOCK_SLACK) {
        when_format(last_good, t);
        return xasprintf("more than a day behind the last time it was known good (%s)", t);
    }
    return NULL;
}

int64_t clock_load_last_good(const struct store *s)
{
    char *text = store_state_read(s, STORE_CLOCK);
    if (!text)
        return CLOCK_NONE;
    text[strcspn(text, "\r\n")] = '\0';
    int64_t t;
    bool ok = when_read_moment(text, &t);
    free(text);
    return ok ? t : CLOCK_NONE;
}

bool clock_save_last_good(const struct store *s, int64_t now)
{
    char buf[18];
    when_format(now, buf);
    strcat(buf, "\n");
    return store_state_write(s, STORE_CLOCK, buf);
}

bool clock_should_save(int64_t now, int64_t last_saved)
{
    return last_saved == CLOCK_NONE || now < last_saved || now - last_saved >= CLOCK_SAVE_EVERY;
}
