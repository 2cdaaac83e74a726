/* test-testmode.c — the player's soak/test mode (src/player/testmode.c):
 * environment parsing, the fast clocks, the wrap and the simulated resets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <SDL.h>
#include "core/now.h"
#include "core/when.h"
#include "player/testmode.h"

/* testmode_1: off without NB_TEST_*: the clocks are SDL's and the system's. */
static void testmode_1(void **state)
{
    (void)state;
    assert_true(testmode_init());
    assert_false(testmode_on());
    assert_int_equal(testmode_real_ms(500), 500);
    int s1 = 0, s2 = 0;
    int64_t a = now_civil(&s1), b = testmode_now(&s2);
    assert_true(b - a >= 0 && b - a <= 1);
}

/* testmode_2: a malformed variable fails init (a soak never runs at 1×). */
static void testmode_2(void **state)
{
    (void)state;
    setenv("NB_TEST_SPEED", "fast", 1);
    assert_false(testmode_init());
    setenv("NB_TEST_SPEED", "0", 1);
    assert_false(testmode_init());
    unsetenv("NB_TEST_SPEED");
    setenv("NB_TEST_CLOCK", "2026-13-01 08:00", 1);
    assert_false(testmode_init());
    unsetenv("NB_TEST_CLOCK");
}

/* testmode_3: clock from NB_TEST_CLOCK, both clocks N× fast, the wrap,
 * waits shortened, and a reset event every NB_TEST_RESET_EVERY slides. */
static void testmode_3(void **state)
{
    (void)state;
    assert_int_equal(SDL_Init(SDL_INIT_EVENTS), 0);
    setenv("NB_TEST_CLOCK", "2026-11-23 08:00", 1);
    setenv("NB_TEST_SPEED", "6000", 1);
    setenv("NB_TEST_WRAP", "2", 1);
    setenv("NB_TEST_RESET_EVERY", "3", 1);
    assert_true(testmode_init());
    assert_true(testmode_on());
    int64_t start;
    assert_true(when_parse_moment("2026-11-23 08:00", &start));
    int sec = 0;
    int64_t m0 = testmode_now(&sec);
    Uint64 t0 = testmode_mono_ms();
    assert_true(m0 == start || m0 == start + 1);
    SDL_Delay(15);          /* 15 ms real = 90 s simulated, at least */
    Uint64 t1 = testmode_mono_ms();
    assert_true(t1 - t0 >= 15u * 6000u);
    /* The wall clock stays within the 2-minute stretch. */
    for (int i = 0; i < 5; i++) {
        int64_t m = testmode_now(&sec);
        assert_true(m >= start && m < start + 2);
        SDL_Delay(7);
    }
    assert_int_equal(testmode_real_ms(6000), 1);
    assert_int_equal(testmode_real_ms(6001), 2);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    int resets = 0;
    for (int i = 0; i < 9; i++)
        testmode_count(TM_SLIDE);
    SDL_Event ev;
    while (SDL_PollEvent(&ev))
        if (ev.type == SDL_RENDER_TARGETS_RESET || ev.type == SDL_RENDER_DEVICE_RESET)
            resets++;
    assert_int_equal(resets, 3);
    SDL_Quit();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(testmode_1),
        cmocka_unit_test(testmode_2),
        cmocka_unit_test(testmode_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
