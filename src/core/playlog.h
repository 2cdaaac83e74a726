/* playlog.h — proof of play: what the player showed, one line per page, in
 * DATA/playlog/YYYY-MM-DD.tsv (store.h), kept in memory and appended at
 * most once a minute so an SD card is spared; read back for the report.
 *
 * Line: "YYYY-MM-DD HH:MM:SS<TAB>KIND<TAB>ID<TAB>PAGE<TAB>TITLE\n", KIND as
 * `plan` prints it (urgent, announcement, events, honors, idle), ID the
 * announcement id, "-" for events and idle, the roll's name for honors;
 * PAGE from 1; TITLE the title at the time (tabs and line breaks as
 * spaces, at most PLAYLOG_TITLE_MAX bytes), so an old log still reads
 * after the content changed. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAYLOG_FLUSH_MS 60000          /* at most one append a minute */
#define PLAYLOG_KEEP_DAYS 400           /* day files older than this are removed */
#define PLAYLOG_MAX_BYTES (128u << 20)  /* and the oldest while all pass this */
#define PLAYLOG_TITLE_MAX 90            /* bytes of a title kept (whole characters) */
#define PLAYLOG_BUF_MAX (1u << 20)      /* lines held while the folder cannot be written */

struct playlog;

/* A log writing into folder dir (created at the first flush).  Never fails;
 * the caller owns it and frees it with playlog_close. */
struct playlog *playlog_open(const char *dir);
/* Appends what is held (a clean exit loses nothing), then frees.  NULL is
 * a no-op. */
void playlog_close(struct playlog *l);

/* Records that page `page` (from 0) of an item began at second `sec` of
 * civil minute `minute`.  kind, id and title are copied; title may be NULL. */
void playlog_add(struct playlog *l, int64_t minute, int sec, const char *kind, const char *id,
                 size_t page, const char *title);

/* Appends the held lines, each to the file of its day, when force or when
 * PLAYLOG_FLUSH_MS passed on the caller's monotonic clock (mono_ms) since
 * the last append (the first call only starts that clock).  One write per
 * day file.  false when a write failed (logged once; the lines are kept
 * for the next try, up to PLAYLOG_BUF_MAX, then the oldest are dropped). */
bool playlog_tick(struct playlog *l, uint64_t mono_ms, bool force);

/* Bytes and write() calls made so far, for the installer's log and the
 * benchmark. */
void playlog_stats(const struct playlog *l, uint64_t *bytes, uint64_t *writes);

/* Removes day files older than PLAYLOG_KEEP_DAYS before `today` (a day
 * number, when.h), then the oldest while the folder holds more than
 * PLAYLOG_MAX_BYTES; today's file and files of later days are kept (a clock
 * that was ahead must not erase the log).  Only call with a trusted clock.
 * Returns how many files were removed. */
size_t playlog_prune(const char *dir, int64_t today);

/* How often each item began (page 1 shown) in days [from, to] (day numbers,
 * inclusive), read from the day files in dir.  Items are told apart by
 * kind, id and title.  Lines that do not parse (a line cut by a crash) are
 * skipped. */
struct playlog_item {
    char *kind, *id, *title;    /* owned */
    size_t shown;
    int64_t last;               /* civil minute of the last showing */
};
struct playlog_tally {
    struct playlog_item *items; /* most shown first */
    size_t n;
    size_t lines;               /* lines read */
    int64_t first, last;        /* civil minutes of the first and last line; 0 when none */
};
/* Fills *t (overwritten).  false when dir cannot be read (absent: true,
 * empty tally).  Free with playlog_tally_free. */
bool playlog_read(const char *dir, int64_t from, int64_t to, struct playlog_tally *t);
void playlog_tally_free(struct playlog_tally *t);
