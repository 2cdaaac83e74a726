/* store.h — the data folder on the device, shared by player and sync.
 *
 *   DATA/feed.db          the live feed (replaced only by rename())
 *   DATA/feeds/NNNNNNNN.db previous feeds, kept for rollback (newest 5)
 *   DATA/staging/         private staging for an import in progress
 *   DATA/state/           small state files: clock.txt, trust.txt, status
 *
 * Activation: the new feed is built and checked in staging, hard-linked
 * into feeds/, then rename()d over feed.db, then the directory is fsynced.
 * A kill at any point leaves feed.db exactly old or exactly new. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct store {
    char *dir;          /* DATA */
    char *feed;         /* DATA/feed.db */
    char *feeds;        /* DATA/feeds */
    char *staging;      /* DATA/staging */
    char *state;        /* DATA/state */
};

/* Fills paths; creates the folders when create is true. */
bool store_init(struct store *s, const char *dir, bool create);
void store_fini(struct store *s);

/* Identity of the live feed, for the player's switch detection (inode and
 * device of DATA/feed.db; zero when there is none). */
struct store_id { dev_t dev; ino_t ino; };
struct store_id store_live_id(const struct store *s);

/* Makes staged_path (a complete, checked feed inside staging/) live.
 * Returns false with the live feed unchanged. */
bool store_activate(struct store *s, const char *staged_path, int64_t version);
/* Path (malloc'd) of the newest kept feed that opens and checks, older than
 * version `below` (0: any), never the live file itself; *version (optional)
 * gets its version.  NULL when there is none.  Damaged ones are logged. */
char *store_usable_kept(const struct store *s, int64_t below, int64_t *version);
/* Makes the newest usable kept feed older than the live one live again
 * (when the live feed is damaged: the newest usable kept feed). */
bool store_rollback(struct store *s, char **why);
/* The feed_version of the live feed, 0 when there is none. */
int64_t store_live_version(const struct store *s);
/* The version a new import should get: one above every kept feed and the
 * live one, so activation never replaces a kept feed. */
int64_t store_next_version(const struct store *s);
/* Removes leftovers of an interrupted import: everything in staging/, and
 * spare links (feed.db.new, feeds/.N.db.new) of an interrupted activation. */
void store_clean_staging(struct store *s);

/* Small text state files in DATA/state/ (written atomically). */
char *store_state_read(const struct store *s, const char *name);
bool store_state_write(const struct store *s, const char *name, const char *text);
