/* clock.h — should the player believe the system clock?  Lobby boxes boot
 * in 1970 or at a stale time; a date-bound schedule on a wrong date shows
 * expired or future notices, so the player then plays date-free items only. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct store;

enum clock_state { CLOCK_OK, CLOCK_UNSURE };

/* Civil minutes of "no value" for feed_created / last_good. */
#define CLOCK_NONE INT64_MIN

/* CLOCK_UNSURE when now is before the feed was built (feed_created), or
 * more than a day (1440 minutes) behind the last time the clock was known
 * good; CLOCK_OK otherwise.  Either reference may be CLOCK_NONE. */
enum clock_state clock_judge(int64_t now, int64_t feed_created, int64_t last_good);
/* The first civil minute clock_judge believes with these references
 * (every earlier one is CLOCK_UNSURE); CLOCK_NONE when it believes all. */
int64_t clock_trusted_from(int64_t feed_created, int64_t last_good);
/* Why clock_judge does not believe now, in English words for a log line
 * ("before the feed was made (2026-11-23 10:00)"), malloc'd; NULL when it
 * believes it. */
char *clock_doubt(int64_t now, int64_t feed_created, int64_t last_good);

/* The last known good time from its state file (STORE_CLOCK, 'YYYY-MM-DD HH:MM'),
 * or CLOCK_NONE when the file is absent or unreadable. */
int64_t clock_load_last_good(const struct store *s);
/* Saves now as the last known good time (atomic write).  The caller saves
 * only while the clock is CLOCK_OK, and at most every 10 minutes (see
 * clock_should_save) to spare the SD card.  false on a write error (logged). */
bool clock_save_last_good(const struct store *s, int64_t now);
/* true when a save is due: 10 minutes or more since last_saved, or the
 * clock moved backwards, or nothing was saved yet (CLOCK_NONE). */
bool clock_should_save(int64_t now, int64_t last_saved);
