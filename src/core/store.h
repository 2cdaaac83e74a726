/* store.h — the data folder on the device: the one interface between the
 * player and the sync tool.  Every path in it is named here and in store.c
 * only; the sync state's format is syncstate.c's.
 *
 *   DATA/feed.db             the live feed (replaced only by rename())
 *   DATA/feeds/NNNNNNNN.db   previous feeds, kept for rollback (newest 5)
 *   DATA/staging/PID/        private staging of the import in progress
 *   DATA/inbox/noticeboard/  the spool folder a courier (Syncthing, rsync) fills
 *                            with a signed bundle, laid out as on a stick;
 *                            `noticeboard-sync inbox` imports it (sync/inbox.c)
 *   DATA/outbox/             what the courier carries back: reports/ of the
 *                            inbox imports, playlog/ (a copy of DATA/playlog),
 *                            status.txt, screen/ (what plays, as PNGs)
 *   DATA/state/              small state files (enum store_file):
 *     clock.txt          the last time the player knew its clock good
 *                        ('YYYY-MM-DD HH:MM'): the player writes it (and an
 *                        import that set the clock), the player, `plan`,
 *                        `render` and `status` read it (clock.c)
 *     last-sync.txt      the sync state: the sync tool writes it, the
 *                        player's overlay and `status` read it (syncstate.c)
 *     stick-time.txt     the newest file time on the last accepted stick:
 *                        written by every import, for the installer
 *     time-set.txt       the last explicit time (time.txt) an import set the
 *                        clock to, unix seconds: each is applied once
 *     key.sha256         the SHA-256 of each device key, up to 8 (key trust, sync/trust.c)
 *     manifest-version   the last accepted MANIFEST version (signed trust)
 *     inbox-seen         the SHA-256 of the last inbox MANIFEST+signature
 *                        handled (imported, refused or not for this board),
 *                        so a bundle in the inbox is handled once (inbox.c)
 *     sync.lock          flock()ed by the import or rollback that runs
 *     test-freeze        tests only: while it exists the player stands still
 *   DATA/playlog/YYYY-MM-DD.tsv  the play log, a file per day: the player
 *                        appends (playlog.c), `export` copies it to the stick,
 *                        the import report counts it
 *
 * Activation: the new feed is built and checked in staging, hard-linked
 * into feeds/, then rename()d over feed.db, then the directory is fsynced.
 * A kill at any point leaves feed.db exactly old or exactly new. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct feed;
struct feed_content;

struct store {
    char *dir;          /* DATA */
    char *feed;         /* DATA/feed.db */
    char *feeds;        /* DATA/feeds */
    char *staging;      /* DATA/staging */
    char *state;        /* DATA/state */
    char *inbox;        /* DATA/inbox (not created by store_init) */
    char *outbox;       /* DATA/outbox (not created by store_init) */
    char *playlog;      /* DATA/playlog (made by the player's first append) */
};

/* Fills paths; creates the folders when create is true.  false (logged,
 * errno kept) when a folder cannot be created; the paths are filled even
 * then, and store_fini frees them. */
bool store_init(struct store *s, const char *dir, bool create);
void store_fini(struct store *s);

/* ---------------------------------------------------------------- the live feed */

/* Identity of the live feed, for the player's switch detection (inode and
 * device of DATA/feed.db; zero when there is none). */
struct store_id { dev_t dev; ino_t ino; };
struct store_id store_live_id(const struct store *s);
bool store_same_id(struct store_id a, struct store_id b);

/* The live feed, opened and loaded, and which file that was. */
struct store_live {
    struct store_id id;             /* of the DATA/feed.db opened, also when it
                                     * could not be used; {0,0} when none */
    struct feed *feed;              /* owned; NULL unless loaded */
    struct feed_content *content;   /* owned; NULL unless loaded */
    int64_t kept_version;           /* 0, or the kept feed loaded instead */
};

enum store_live_result {
    STORE_LIVE_OK,          /* feed and content are set */
    STORE_LIVE_NONE,        /* there is no DATA/feed.db */
    STORE_LIVE_BAD,         /* it cannot be opened or loaded: *why says why */
};

/* Loads from a damaged live feed the newest usable kept feed instead (the
 * sync tool, so a damaged feed does not lock the board); logged. */
#define STORE_LIVE_KEPT 1u

/* Opens DATA/feed.db, loads it, and tells the identity of the very file it
 * loaded (an activation renaming a new feed over it meanwhile is noticed
 * and the open repeated).  *out is overwritten; on STORE_LIVE_BAD, *why (if
 * why is not NULL) gets a malloc'd English reason, else NULL.  Nothing is
 * logged but the kept-feed fallback.  Free with store_live_close. */
enum store_live_result store_load_live(const struct store *s, unsigned flags,
                                       struct store_live *out, char **why);
/* Closes the feed and frees the content still held; zeroes *l. */
void store_live_close(struct store_live *l);

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

/* ---------------------------------------------------------------- state files */

enum store_file {
    STORE_CLOCK,                /* clock.txt */
    STORE_LAST_SYNC,            /* last-sync.txt */
    STORE_STICK_TIME,           /* stick-time.txt */
    STORE_DEVICE_KEY,           /* key.sha256 */
    STORE_MANIFEST_VERSION,     /* manifest-version */
    STORE_INBOX_SEEN,           /* inbox-seen */
    STORE_LOCK,                 /* sync.lock */
    STORE_TEST_FREEZE,          /* test-freeze */
    STORE_TIME_SET,             /* time-set.txt */
    STORE_NFILES
};

/* The file's name in DATA/state/ ("clock.txt"), for log lines. */
const char *store_file_name(enum store_file f);
/* DATA/state/NAME, malloc'd. */
char *store_state_path(const struct store *s, enum store_file f);
/* The whole file (malloc'd, NUL-terminated, at most 1 MiB), or NULL when
 * absent (silently) or unreadable (logged). */
char *store_state_read(const struct store *s, enum store_file f);
/* Replaces the file with text, atomically (write, fsync, rename).
 * false on failure (logged with the path). */
bool store_state_write(const struct store *s, enum store_file f, const char *text);

/* ---------------------------------------------------------------- the lock */

enum store_lock_result {
    STORE_LOCK_OK,              /* held through *fd until store_unlock */
    STORE_LOCK_BUSY,            /* another import or rollback holds it */
    STORE_LOCK_DENIED,          /* cannot open or create it: the data folder
                                 * belongs to another user, or is read-only */
    STORE_LOCK_NO_STATE,        /* DATA/state/ does not exist: nothing was
                                 * ever imported here */
    STORE_LOCK_FAILED,          /* any other error (disk, too many files) */
};

/* Takes DATA/state/sync.lock (created when missing) without waiting: one
 * import or rollback at a time, and store_clean_staging never runs under
 * an import.  *fd is -1 unless STORE_LOCK_OK.  Every result but OK and
 * NO_STATE is logged in one English line naming the path (and, for DENIED,
 * the user that ran us and the folder's owner). */
enum store_lock_result store_lock(const struct store *s, int *fd);
/* Releases a lock from store_lock; -1 is a no-op. */
void store_unlock(int fd);
