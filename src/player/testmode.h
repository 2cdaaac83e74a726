/* testmode.h — the player's soak/test mode (tests/robust/r-soak.sh): a
 * simulated clock that runs N times fast, simulated display resets and a
 * once-a-second counter line.  Off unless NB_TEST_* is set; when off, each
 * call is one predictable branch. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

/* What the loop counts for the soak test. */
enum testmode_event { TM_SLIDE, TM_FEED_SWITCH, TM_RESET, TM_PAGE, TM_IMAGE };

/* Reads the environment once:
 *   NB_TEST_CLOCK='YYYY-MM-DD HH:MM'  the wall clock starts there
 *   NB_TEST_SPEED=N                   both clocks run N× fast (1..100000)
 *   NB_TEST_WRAP=M                    the wall clock goes back to its start every
 *                                     M minutes (the loop sees a clock jump), so
 *                                     a long soak replays the same content
 *   NB_TEST_RESET_EVERY=N             a render reset event every N slide changes
 *   NB_TEST_STATS=FILE                counters appended to FILE once a second
 * Returns false (logged) when a variable is set but malformed, so a test
 * never runs silently at normal speed; true otherwise (also when off). */
bool testmode_init(void);

/* true when any NB_TEST_* variable is in effect. */
bool testmode_on(void);

/* The loop's monotonic clock in ms: SDL_GetTicks64(), scaled in test mode. */
Uint64 testmode_mono_ms(void);

/* The wall clock (core/now.c, repeating under NB_TEST_WRAP): civil
 * minute, *sec the second in it. */
int64_t testmode_now(int *sec);

/* A wait of ms on the loop's clock → real ms to sleep. */
int testmode_real_ms(int ms);

/* Counts an event; after every NB_TEST_RESET_EVERY slide changes it pushes
 * an SDL_RENDER_TARGETS_RESET or SDL_RENDER_DEVICE_RESET (alternately). */
void testmode_count(enum testmode_event e);

/* Appends the counter line to NB_TEST_STATS at most once a real second;
 * force writes it now (at exit). */
void testmode_report(bool force);
