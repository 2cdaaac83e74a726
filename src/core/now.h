/* now.h — the one place either program learns the date and time.
 *
 * NB_TEST_CLOCK='YYYY-MM-DD HH:MM' starts the wall clock at that local time
 * instead of the system's, in both programs, and it runs on from there with
 * the monotonic clock (NB_TEST_SPEED=N times as fast), so a test can import
 * at a moment and play after it, whatever day it runs on. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* Reads NB_TEST_CLOCK and NB_TEST_SPEED (again: a test may change them)
 * and starts a test clock there.  Returns false (logged) when one is set
 * but malformed, so a test never runs on the real clock by mistake; each
 * program's main() stops then.  Calling it is optional: the first reading
 * of the clock does it (and uses the system clock on a malformed
 * variable, logged). */
bool now_init(void);

/* The wall clock in seconds since the epoch (test clock or system clock). */
int64_t now_unix(void);
/* The wall clock as a civil minute (when.h); *seconds (optional) gets the
 * second within the minute. */
int64_t now_civil(int *seconds);

/* The unix seconds of a local civil minute (when.h), as mktime() reads it. */
int64_t now_civil_to_unix(int64_t minutes);

/* true when NB_TEST_CLOCK or NB_TEST_SPEED is in effect. */
bool now_is_test(void);
/* NB_TEST_SPEED (1 when unset): the player runs its monotonic clock at the
 * same rate. */
unsigned long now_speed(void);

/* Sets the wall clock to t (unix seconds).  The system clock
 * (clock_settime, needs CAP_SYS_TIME), but never under a test clock nor
 * while NB_TEST_SET_CLOCK is set (the e2e helpers always set it): then a
 * test clock starts at t instead, and when NB_TEST_SET_CLOCK names a file,
 * the setting is appended to it as 'YYYY-MM-DD HH:MM:SS' (local time) for
 * the test to read.  false with errno on failure (not logged). */
bool now_set(int64_t t);

/* The kernel's own real time, for comparing with file times the kernel
 * stamped (a stale lock, a busy state left by a crash); never for what the
 * board shows or schedules. */
int64_t now_real_unix(void);
