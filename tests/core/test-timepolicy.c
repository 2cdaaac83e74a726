/* test-timepolicy.c — the time policy (src/core/timepolicy.c): forward from
 * the stick, bounded by the signed packing time, never from one file,
 * back only from an explicit time, and never into the unbelievable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "core/timepolicy.h"
#include "core/when.h"

/* Unix seconds of a UTC moment. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return when_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static struct timepolicy_decision decide(const struct timepolicy_evidence *e, int64_t now,
                                         int64_t last_good, int64_t last_explicit)
{
    struct timepolicy_box b = {now, last_good, last_explicit};
    struct timepolicy_decision d;
    timepolicy_decide(e, &b, &d);
    return d;
}

/* tp_1_1: key trust, a box a week behind: the stick's files move it forward
 * to the second newest time (a file and the folder saved together). */
static void tp_1_1(void **state)
{
    (void)state;
    int64_t real = utc(2026, 12, 3, 6, 30), box = real - 7 * 86400;
    struct timepolicy_evidence e = {.files = {real - 60, real, utc(2026, 11, 1, 2, 0)}, .nfiles = 3};
    struct timepolicy_decision d = decide(&e, box, box, 0);
    assert_true(d.move);
    assert_int_equal(d.to, real - 60);
    assert_int_equal(d.source, TIMEPOLICY_FILES);
    assert_false(d.doubtful);
    /* Already right (within two minutes): nothing. */
    d = decide(&e, real - 30, real - 30, 0);
    assert_false(d.move);
    /* Never back from files, however far ahead the box is. */
    d = decide(&e, real + 86400, real + 86400, 0);
    assert_false(d.move);
}

/* tp_1_2: one file touched to 2099 (or to next year) moves nothing: a
 * single time never counts alone. */
static void tp_1_2(void **state)
{
    (void)state;
    int64_t box = utc(2026, 12, 3, 6, 30);
    struct timepolicy_evidence e = {.files = {utc(2099, 1, 1, 0, 0), box - 3600, box - 7200},
                                    .nfiles = 3};
    struct timepolicy_decision d = decide(&e, box, box, 0);
    assert_false(d.move);
    struct timepolicy_evidence one = {.files = {utc(2027, 12, 1, 0, 0)}, .nfiles = 1};
    d = decide(&one, box, box, 0);
    assert_false(d.move);
    /* Two files a year and a half ahead agree, but that is beyond belief:
     * not moved, and said. */
    struct timepolicy_evidence two = {.files = {utc(2028, 6, 1, 0, 0), utc(2028, 6, 1, 0, 5)},
                                      .nfiles = 2};
    d = decide(&two, box, box, 0);
    assert_false(d.move);
    assert_true(d.doubtful);
}

/* tp_1_3: signed trust: the signed packing time moves the clock forward, and
 * file times (not signed) do not count; a packing time beyond a year from
 * what the box knew is doubtful; a box in 1970 that knows nothing takes it. */
static void tp_1_3(void **state)
{
    (void)state;
    int64_t packed = utc(2026, 12, 3, 6, 0), box = utc(2026, 11, 20, 8, 0);
    struct timepolicy_evidence e = {.signed_time = packed,
                                    .files = {utc(2099, 1, 1, 0, 0), utc(2099, 1, 1, 0, 1)},
                                    .nfiles = 2};
    struct timepolicy_decision d = decide(&e, box, box, 0);
    assert_true(d.move);
    assert_int_equal(d.to, packed);
    assert_int_equal(d.source, TIMEPOLICY_SIGNED);
    d = decide(&e, 86400, 0, 0);                /* 1970-01-02, nothing known */
    assert_true(d.move);
    assert_int_equal(d.to, packed);
    e.signed_time = utc(2028, 6, 1, 0, 0);
    d = decide(&e, box, box, 0);
    assert_false(d.move);
    assert_true(d.doubtful);
}

/* tp_1_4: an explicit time moves the clock back (a box a year ahead after
 * an office PC's wrong clock), once: the same time.txt again does nothing;
 * not before a signed packing time; not further than a year; a clock past
 * 2090 takes any believable explicit time. */
static void tp_1_4(void **state)
{
    (void)state;
    int64_t set = utc(2026, 12, 3, 6, 30), box = utc(2027, 11, 28, 9, 0);
    struct timepolicy_evidence e = {.explicit_time = set};
    struct timepolicy_decision d = decide(&e, box, box, 0);
    assert_true(d.move);
    assert_int_equal(d.to, set);
    assert_int_equal(d.source, TIMEPOLICY_EXPLICIT);
    d = decide(&e, box, box, set);              /* applied already */
    assert_false(d.move);
    e.signed_time = set + 3 * 86400;            /* packed three days after it */
    d = decide(&e, box, box, 0);
    assert_false(d.move);                       /* and the signed time is behind the box */
    assert_true(d.doubtful);
    struct timepolicy_evidence far = {.explicit_time = utc(2024, 6, 1, 0, 0)};
    d = decide(&far, box, box, 0);
    assert_false(d.move);
    assert_true(d.doubtful);
    d = decide(&e, utc(2099, 1, 1, 0, 0), utc(2099, 1, 1, 0, 0), 0);
    assert_false(d.move);                       /* the signed time still bounds it */
    struct timepolicy_evidence only = {.explicit_time = set};
    d = decide(&only, utc(2099, 1, 1, 0, 0), utc(2099, 1, 1, 0, 0), 0);
    assert_true(d.move);
    assert_int_equal(d.to, set);
}

/* tp_2_1: time.txt as 设置时间.bat writes it, with its zone or without. */
static void tp_2_1(void **state)
{
    (void)state;
    int64_t t;
    assert_true(timepolicy_parse_explicit("2026-12-03 14:30:05 +08:00\r\n", &t));
    assert_int_equal(t, utc(2026, 12, 3, 6, 30) + 5);
    assert_true(timepolicy_parse_explicit("\xEF\xBB\xBF" "2026-12-03 14:30 +0800", &t));
    assert_int_equal(t, utc(2026, 12, 3, 6, 30));
    assert_true(timepolicy_parse_explicit("2026-12-03T06:30:00.123Z", &t));
    assert_int_equal(t, utc(2026, 12, 3, 6, 30));
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    assert_true(timepolicy_parse_explicit("2026-12-03 14:30:00", &t));
    assert_int_equal(t, utc(2026, 12, 3, 6, 30));
    static const char *const bad[] = {"", "2026-13-03 14:30", "2026/12/03 14:30", "2026-12-03",
                                      "2026-12-03 14:30 +25:00", "2026-12-03 14:30 x",
                                      "周四 2026-12-03 14:30"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(timepolicy_parse_explicit(bad[i], &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tp_1_1), cmocka_unit_test(tp_1_2), cmocka_unit_test(tp_1_3),
        cmocka_unit_test(tp_1_4), cmocka_unit_test(tp_2_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
