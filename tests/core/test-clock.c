/* test-clock.c — the clock judgement table, its threshold and reasons, and
 * the last good time's persistence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "../testutil.h"

static int64_t at(const char *s)
{
    int64_t t;
    if (!when_parse_moment(s, &t))
        fail_msg("bad moment %s", s);
    return t;
}

/* clock_1_1: unsure when before the feed's creation or more than a day
 * behind the last good time; a day behind exactly is still fine. */
static void clock_1_1(void **st)
{
    static const struct { const char *now, *created, *good; enum clock_state want; } cases[] = {
        {"2026-11-22 09:00", "2026-11-20 08:00", "2026-11-22 08:50", CLOCK_OK},
        {"1970-01-01 00:05", "2026-11-20 08:00", "2026-11-22 08:50", CLOCK_UNSURE}, /* booted in 1970 */
        {"2026-11-20 07:59", "2026-11-20 08:00", NULL, CLOCK_UNSURE},               /* before the feed */
        {"2026-11-20 08:00", "2026-11-20 08:00", NULL, CLOCK_OK},                   /* at creation */
        {"2026-11-21 09:00", "2026-11-01 00:00", "2026-11-22 09:00", CLOCK_OK},     /* exactly a day back */
        {"2026-11-21 08:59", "2026-11-01 00:00", "2026-11-22 09:00", CLOCK_UNSURE}, /* a minute more */
        {"2026-11-22 09:00", NULL, NULL, CLOCK_OK},                                 /* nothing known */
        {"2030-01-01 00:00", "2026-11-20 08:00", "2026-11-22 08:50", CLOCK_OK},     /* far ahead: believed */
        {"2025-06-01 12:00", NULL, "2026-11-22 08:50", CLOCK_UNSURE},               /* stale RTC */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int64_t c = cases[i].created ? at(cases[i].created) : CLOCK_NONE;
        int64_t g = cases[i].good ? at(cases[i].good) : CLOCK_NONE;
        if (clock_judge(at(cases[i].now), c, g) != cases[i].want)
            fail_msg("case %zu (now %s) judged wrong", i, cases[i].now);
        /* The threshold and the reason say the same. */
        int64_t from = clock_trusted_from(c, g);
        if ((at(cases[i].now) < from) != (cases[i].want == CLOCK_UNSURE))
            fail_msg("case %zu (now %s): trusted from %lld disagrees", i, cases[i].now,
                     (long long)from);
        char *why = clock_doubt(at(cases[i].now), c, g);
        if ((why != NULL) != (cases[i].want == CLOCK_UNSURE))
            fail_msg("case %zu (now %s): doubt '%s' disagrees", i, cases[i].now, why ? why : "");
        free(why);
    }
}

/* clock_1_2: save and load round-trip; absent or garbled files read as none. */
static void clock_1_2(void **st)
{
    char dir[] = "/tmp/nb-test-clock.XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct store s;
    assert_true(store_init(&s, dir, true));
    assert_int_equal(clock_load_last_good(&s), CLOCK_NONE);
    assert_true(clock_save_last_good(&s, at("2026-11-22 09:31")));
    assert_int_equal(clock_load_last_good(&s), at("2026-11-22 09:31"));
    assert_true(store_state_write(&s, STORE_CLOCK, "yesterday\n"));
    assert_int_equal(clock_load_last_good(&s), CLOCK_NONE);
    store_fini(&s);
    assert_int_equal(rm_tree(dir), 0);
}

/* clock_1_3: saves are due every 10 minutes, at first, and after a jump back. */
static void clock_1_3(void **st)
{
    int64_t t = at("2026-11-22 09:00");
    assert_true(clock_should_save(t, CLOCK_NONE));
    assert_false(clock_should_save(t + 9, t));
    assert_true(clock_should_save(t + 10, t));
    assert_true(clock_should_save(t - 1, t));
}

/* clock_1_4: the threshold is the later of the feed's creation and a day
 * before the last good time; the reason names the reference that failed. */
static void clock_1_4(void **st)
{
    assert_true(clock_trusted_from(CLOCK_NONE, CLOCK_NONE) == CLOCK_NONE);
    assert_int_equal(clock_trusted_from(at("2026-11-20 08:00"), CLOCK_NONE), at("2026-11-20 08:00"));
    assert_int_equal(clock_trusted_from(CLOCK_NONE, at("2026-11-22 09:00")), at("2026-11-21 09:00"));
    assert_int_equal(clock_trusted_from(at("2026-11-20 08:00"), at("2026-11-22 09:00")),
                     at("2026-11-21 09:00"));
    assert_int_equal(clock_trusted_from(at("2026-11-23 08:00"), at("2026-11-22 09:00")),
                     at("2026-11-23 08:00"));
    char *why = clock_doubt(at("2026-11-20 07:59"), at("2026-11-20 08:00"), CLOCK_NONE);
    assert_string_equal(why, "before the feed was made (2026-11-20 08:00)");
    free(why);
    why = clock_doubt(at("2025-06-01 12:00"), CLOCK_NONE, at("2026-11-22 08:50"));
    assert_string_equal(why, "more than a day behind the last time it was known good (2026-11-22 08:50)");
    free(why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clock_1_1), cmocka_unit_test(clock_1_2), cmocka_unit_test(clock_1_3),
        cmocka_unit_test(clock_1_4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
