/* test-fair.c — the fair loop: the urgent block comes back within N seconds
 * between the pages of a long slide, every page still plays in order, and
 * fair_peek tells what fair_next does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fair.h"
#include "core/util.h"

/* Steps from a compact description: "U2x30 A7x30" = urgent slide 0 of two
 * 30 s pages, then a seven-page slide of 30 s pages; U/V/W are urgent
 * slides 0/1/2, other letters ordinary ones. */
static size_t steps_of(const char *spec, struct fair_step *out, size_t max)
{
    size_t n = 0;
    char kind;
    int pages, secs, used;
    while (sscanf(spec, " %c%dx%d%n", &kind, &pages, &secs, &used) == 3) {
        for (int p = 0; p < pages; p++) {
            assert_true(n < max);
            long u = kind >= 'U' && kind <= 'W' ? kind - 'U' : -1;
            out[n++] = (struct fair_step){u, (size_t)p, secs};
        }
        spec += used;
    }
    return n;
}

struct run {
    int64_t longest_wait;   /* ms from the urgent block leaving to an urgent page */
    size_t shown[64];       /* times each step was shown */
    size_t order_errors;    /* an ordinary page not after its predecessor */
};

/* Plays `ms` of the loop from step 0, checking peek against next. */
static struct run play(const struct fair_step *st, size_t n, int every, int64_t ms)
{
    struct run r = {0};
    struct fair f;
    fair_init(&f, 0);
    size_t cur = 0, last_plain = SIZE_MAX;
    int64_t t = 0, left = -1;
    while (t < ms) {
        r.shown[cur]++;
        if (st[cur].urgent >= 0 && left >= 0 && t - left > r.longest_wait)
            r.longest_wait = t - left;
        if (st[cur].urgent < 0) {
            if (last_plain != SIZE_MAX && cur != (last_plain + 1) % n && st[cur].page != 0)
                r.order_errors++;
            last_plain = cur;
        }
        t += st[cur].seconds * 1000;
        if (st[cur].urgent >= 0)
            left = t;
        size_t peek = fair_peek(&f, st, n, cur, t, every);
        size_t next = fair_next(&f, st, n, cur, t, every);
        assert_int_equal(peek, next);
        cur = next;
    }
    fair_fini(&f);
    return r;
}

/* fair_1_1: a 7-page slide of 30 s pages with one urgent notice: without
 * the fair loop the notice is away 210 s; with N = 60 it is back every
 * 60 s, and every page still plays, in order. */
static void fair_1_1(void **st)
{
    (void)st;
    struct fair_step s[64];
    size_t n = steps_of("U1x30 A7x30", s, 64);
    struct run off = play(s, n, 0, 3600 * 1000);
    assert_int_equal(off.longest_wait, 210 * 1000);
    struct run on = play(s, n, 60, 3600 * 1000);
    assert_int_equal(on.longest_wait, 60 * 1000);
    assert_int_equal(on.order_errors, 0);
    for (size_t i = 1; i < n; i++)
        assert_true(on.shown[i] >= 3);
    /* Detours show the urgent page more often than once per round. */
    assert_true(on.shown[0] > on.shown[1]);
}

/* fair_1_2: two urgent slides, one of two pages, among ordinary slides:
 * a detour shows every urgent page once in plan order; between slides the
 * plan's own urgent block serves and no detour is added. */
static void fair_1_2(void **st)
{
    (void)st;
    struct fair_step s[64];
    size_t n = steps_of("U1x20 V2x20 A5x20 U1x20 V2x20 B1x10 U1x20 V2x20 C3x20", s, 64);
    struct run on = play(s, n, 60, 3600 * 1000);
    assert_true(on.longest_wait <= 60 * 1000);
    assert_int_equal(on.order_errors, 0);
    struct fair f;
    fair_init(&f, 0);
    /* After A's page 3 (step 5) at 100 s, 100 s after the block left at 60 s... */
    f.urgent_left = 60 * 1000;
    size_t next = fair_next(&f, s, n, 5, 120 * 1000, 60);
    assert_int_equal(next, 0);                      /* U */
    assert_int_equal(fair_next(&f, s, n, 0, 140 * 1000, 60), 1);    /* V page 1 */
    assert_int_equal(fair_next(&f, s, n, 1, 160 * 1000, 60), 2);    /* V page 2 */
    assert_int_equal(fair_next(&f, s, n, 2, 180 * 1000, 60), 6);    /* A page 4 */
    /* Then on: A page 5 (step 7) would end at 220 s, 40 s after. */
    assert_int_equal(fair_next(&f, s, n, 6, 200 * 1000, 60), 7);
    /* The plan's block after A: no detour into it. */
    assert_int_equal(fair_next(&f, s, n, 7, 260 * 1000, 60), 8);
    fair_fini(&f);
}

/* fair_1_3: pages longer than N still move the loop on: urgent and
 * ordinary pages alternate, and no urgent notice: steps follow each other
 * whatever N; N <= 0 is off. */
static void fair_1_3(void **st)
{
    (void)st;
    struct fair_step s[64];
    size_t n = steps_of("U1x10 A4x90", s, 64);
    struct run r = play(s, n, 60, 7200 * 1000);
    assert_int_equal(r.order_errors, 0);
    assert_int_equal(r.longest_wait, 90 * 1000);
    for (size_t i = 1; i < n; i++)
        assert_true(r.shown[i] >= 10);

    n = steps_of("A3x30 B2x30", s, 64);
    struct fair f;
    fair_init(&f, 0);
    for (size_t i = 0; i < 20; i++)
        assert_int_equal(fair_next(&f, s, n, i % n, (int64_t)i * 30000, 60), (i + 1) % n);
    fair_fini(&f);

    n = steps_of("U1x10 A9x30", s, 64);
    struct run off = play(s, n, -1, 3600 * 1000);
    assert_int_equal(off.longest_wait, 270 * 1000);
}

/* fair_1_4: a new set of steps (fair_reset) drops a detour in progress and
 * goes on counting the wait. */
static void fair_1_4(void **st)
{
    (void)st;
    struct fair_step s[64];
    size_t n = steps_of("U2x30 A7x30", s, 64);
    struct fair f;
    fair_init(&f, 0);
    assert_int_equal(fair_next(&f, s, n, 3, 90 * 1000, 60), 0);     /* detour */
    fair_reset(&f);
    assert_int_equal(fair_next(&f, s, n, 0, 120 * 1000, 60), 1);    /* plain order */
    assert_int_equal(f.urgent_left, 120 * 1000);
    fair_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fair_1_1), cmocka_unit_test(fair_1_2),
        cmocka_unit_test(fair_1_3), cmocka_unit_test(fair_1_4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
