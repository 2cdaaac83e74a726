/* now.c — the wall clock for both programs, real or set by a test
 * (now.h).  Everything that schedules, stamps or judges time asks here. */
#include "core/now.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "core/when.h"

static struct {
    bool init, test;
    int64_t base;           /* test clock: unix seconds at mono0 */
    int64_t mono0;          /* CLOCK_MONOTONIC ns at init */
    unsigned long speed;
} nw = {.speed = 1};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Local wall time of a civil minute, as mktime() reads it. */
int64_t now_civil_to_unix(int64_t minutes)
{
    int y, m, d;
    int64_t day = minutes / WHEN_MIN_PER_DAY, min = minutes % WHEN_MIN_PER_DAY;
    when_civil_from_days(day, &y, &m, &d);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
                    .tm_hour = (int)(min / 60), .tm_min = (int)(min % 60), .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

bool now_init(void)
{
    nw.init = true;
    nw.test = false;
    nw.speed = 1;
    nw.mono0 = mono_ns();
    bool ok = true;
    const char *clock = getenv("NB_TEST_CLOCK"), *speed = getenv("NB_TEST_SPEED");
    if (speed && *speed) {
        char *end;
        unsigned long v = strtoul(speed, &end, 10);
        if (*end || v < 1 || v > 100000) {
            log_error("NB_TEST_SPEED=%s: want a whole number 1..100000", speed);
            ok = false;
        } else {
            nw.speed = v;
            nw.test = true;
        }
    }
    int64_t at;
    if (clock && *clock) {
        if (!when_parse_moment(clock, &at)) {
            log_error("NB_TEST_CLOCK=%s: want 'YYYY-MM-DD HH:MM'", clock);
            ok = false;
        } else {
            nw.base = now_civil_to_unix(at);
            nw.test = true;
        }
    } else if (nw.test) {
        /* A fast clock alone starts from now, at a whole minute. */
        nw.base = (int64_t)time(NULL) / 60 * 60;
    }
    if (!ok)
        nw.test = false, nw.speed = 1;
    return ok;
}

int64_t now_unix(void)
{
    if (!nw.init)
        now_init();
    if (!nw.test)
        return (int64_t)time(NULL);
    return nw.base + (mono_ns() - nw.mono0) / 1000000 * (int64_t)nw.speed / 1000;
}

int64_t now_civil(int *seconds)
{
    time_t t = (time_t)now_unix();
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 0;
    if (seconds)
        *seconds = tm.tm_sec > 59 ? 59 : tm.tm_sec; /* leap second */
    return when_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * WHEN_MIN_PER_DAY +
           tm.tm_hour * 60 + tm.tm_min;
}

bool now_is_test(void)
{
    if (!nw.init)
        now_init();
    return nw.test;
}

unsigned long now_speed(void)
{
    if (!nw.init)
        now_init();
    return nw.speed;
}

bool now_set(int64_t t)
{
    const char *path = getenv("NB_TEST_SET_CLOCK");
    bool shim = path && *path;
    if (!now_is_test() && !shim) {
        struct timespec ts = {.tv_sec = (time_t)t};
        return clock_settime(CLOCK_REALTIME, &ts) == 0;
    }
    /* A test clock runs on from t, so the rest of the process sees the
     * moved clock as a real box would. */
    nw.test = true;
    nw.base = t;
    nw.mono0 = mono_ns();
    if (!shim)
        return true;
    FILE *f = fopen(path, "a");
    if (!f)
        return false;
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32] = "?";
    if (localtime_r(&tt, &tm))
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s\n", buf);
    if (fclose(f) != 0)
        return false;
    return true;
}

int64_t now_real_unix(void)
{
    return (int64_t)time(NULL);
}
