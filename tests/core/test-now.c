/* test-now.c — the one clock of both programs (src/core/now.c): the system
 * clock when no test sets one, NB_TEST_CLOCK and NB_TEST_SPEED otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/log.h"
#include "core/now.h"
#include "core/util.h"
#include "core/when.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* now_1_1: without test variables it is the system clock, in local time. */
static void now_1_1(void **state)
{
    (void)state;
    unsetenv("NB_TEST_CLOCK");
    unsetenv("NB_TEST_SPEED");
    assert_true(now_init());
    assert_false(now_is_test());
    assert_int_equal(now_speed(), 1);
    int64_t a = (int64_t)time(NULL), u = now_unix(), b = (int64_t)time(NULL);
    assert_true(u >= a && u <= b);
    int sec = -1;
    int64_t m = now_civil(&sec), ref = when_from_time_t((int64_t)time(NULL));
    assert_true(sec >= 0 && sec <= 59);
    assert_true(ref - m >= 0 && ref - m <= 1);
    assert_true(now_real_unix() >= a);
}

/* now_1_2: NB_TEST_CLOCK starts the clock at that local minute, in any
 * time zone, and it runs on from there. */
static void now_1_2(void **state)
{
    (void)state;
    static const char *const zones[] = {"Asia/Shanghai", "UTC", "America/New_York"};
    for (size_t i = 0; i < 3; i++) {
        setenv("TZ", zones[i], 1);
        tzset();
        setenv("NB_TEST_CLOCK", "2026-12-31 23:58", 1);
        unsetenv("NB_TEST_SPEED");
        assert_true(now_init());
        assert_true(now_is_test());
        int sec = -1;
        int64_t want = when_days_from_civil(2026, 12, 31) * 1440 + 23 * 60 + 58;
        int64_t m = now_civil(&sec);
        assert_int_equal(m, want);
        assert_true(sec >= 0 && sec <= 1);
        assert_int_equal(when_from_time_t(now_unix()), want);
    }
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    unsetenv("NB_TEST_CLOCK");
}

/* now_1_3: NB_TEST_SPEED runs it N times as fast: across midnight and
 * into the new year in a fraction of a second. */
static void now_1_3(void **state)
{
    (void)state;
    setenv("NB_TEST_CLOCK", "2026-12-31 23:59", 1);
    setenv("NB_TEST_SPEED", "6000", 1);
    assert_true(now_init());
    assert_int_equal(now_speed(), 6000);
    int64_t m0 = now_civil(NULL);
    sleep_ms(30);                   /* 30 ms real = 180 s simulated at least */
    int64_t m1 = now_civil(NULL);
    assert_true(m1 - m0 >= 3);
    int64_t d = m1 / WHEN_MIN_PER_DAY;
    int y, mo, da;
    when_civil_from_days(d, &y, &mo, &da);
    assert_int_equal(y, 2027);
    assert_int_equal(mo, 1);
    assert_int_equal(da, 1);
    unsetenv("NB_TEST_CLOCK");
    unsetenv("NB_TEST_SPEED");
}

/* now_1_4: a malformed variable fails init, so a program never runs on the
 * real clock when a test meant another; the clock is then the system's. */
static void now_1_4(void **state)
{
    (void)state;
    static const char *const bad[] = {"2026-13-01 08:00", "tomorrow", "2026-11-23 25:00"};
    for (size_t i = 0; i < 3; i++) {
        setenv("NB_TEST_CLOCK", bad[i], 1);
        assert_false(now_init());
        assert_false(now_is_test());
    }
    unsetenv("NB_TEST_CLOCK");
    setenv("NB_TEST_SPEED", "0", 1);
    assert_false(now_init());
    setenv("NB_TEST_SPEED", "fast", 1);
    assert_false(now_init());
    unsetenv("NB_TEST_SPEED");
    assert_true(now_init());
    assert_false(now_is_test());
}

/* now_2_1: now_set under a test clock moves the test clock and writes the
 * setting to NB_TEST_SET_CLOCK; with only NB_TEST_SET_CLOCK set (the e2e
 * helpers always set it) the system clock is not touched either. */
static void now_2_1(void **state)
{
    (void)state;
    char path[] = "/tmp/nb-test-now-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    setenv("NB_TEST_SET_CLOCK", path, 1);
    setenv("NB_TEST_CLOCK", "2026-11-26 14:00", 1);
    unsetenv("NB_TEST_SPEED");
    assert_true(now_init());
    int64_t to = 1796259600;                    /* 2026-12-03 09:00 in Beijing */
    assert_true(now_set(to));
    int64_t u = now_unix();
    assert_true(u >= to && u <= to + 1);
    assert_int_equal(now_civil(NULL) / WHEN_MIN_PER_DAY, when_days_from_civil(2026, 12, 3));
    unsetenv("NB_TEST_CLOCK");
    assert_true(now_init());
    assert_false(now_is_test());
    /* The time now: should the shim ever fail, the machine's clock is
     * set to what it already shows, not moved. */
    int64_t real = (int64_t)time(NULL);
    assert_true(now_set(real));
    assert_true(now_is_test());                 /* the shim's path, not clock_settime */
    size_t len;
    char *text = read_file(path, 4096, &len);
    assert_non_null(text);
    assert_true(!strncmp(text, "2026-12-03 09:00:00\n", 20));
    assert_int_equal(strlen(text), 40);
    free(text);
    unlink(path);
    unsetenv("NB_TEST_SET_CLOCK");
    assert_true(now_init());
}

int main(void)
{
    log_init("test-now", LOG_LEVEL_ERROR + 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(now_1_1), cmocka_unit_test(now_1_2),
        cmocka_unit_test(now_1_3), cmocka_unit_test(now_1_4),
        cmocka_unit_test(now_2_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
