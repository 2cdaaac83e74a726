/* store.c — the data folder: the live feed opened with its identity, atomic
 * activation of a staged feed by hard link + rename(), the kept feeds for
 * rollback, the state files by name, and the lock between imports. */
#include "core/store.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/feed.h"
#include "core/log.h"
#include "core/util.h"

#define STORE_KEEP 5    /* feeds kept in feeds/ for rollback */

bool store_init(struct store *s, const char *dir, bool create)
{
    memset(s, 0, sizeof *s);
    s->dir = xstrdup(dir);
    s->feed = xasprintf("%s/feed.db", dir);
    s->feeds = xasprintf("%s/feeds", dir);
    s->staging = xasprintf("%s/staging", dir);
    s->state = xasprintf("%s/state", dir);
    s->inbox = xasprintf("%s/inbox", dir);
    s->outbox = xasprintf("%s/outbox", dir);
    s->playlog = xasprintf("%s/playlog", dir);
    if (!create)
        return true;
    /* staging/ is private: the copy of a stick is read only by us. */
    if (!mkdir_p(s->dir, 0755) || !mkdir_p(s->feeds, 0755) || !mkdir_p(s->staging, 0700) ||
        !mkdir_p(s->state, 0755)) {
        int e = errno;
        log_errno("cannot create data folder %s", dir);
        errno = e;
        return false;
    }
    /* Also mends folders an earlier root run left as root's. */
    chown_like(s->feeds, s->dir);   /* see give_to_owner() */
    chown_like(s->staging, s->dir);
    chown_like(s->state, s->dir);
    return true;
}

void store_fini(struct store *s)
{
    free(s->dir);
    free(s->feed);
    free(s->feeds);
    free(s->staging);
    free(s->state);
    free(s->inbox);
    free(s->outbox);
    free(s->playlog);
    memset(s, 0, sizeof *s);
}

struct store_id store_live_id(const struct store *s)
{
    struct store_id id = {0, 0};
    struct stat st;
    if (stat(s->feed, &st) == 0) {
        id.dev = st.st_dev;
        id.ino = st.st_ino;
    }
    return id;
}

bool store_same_id(struct store_id a, struct store_id b)
{
    return a.dev == b.dev && a.ino == b.ino;
}

/* Opens DATA/feed.db into *f (NULL on failure, with *why) and returns the
 * identity of the file that was opened, zero when there is none.
 *
 * SQLite opens the feed by path, so the identity cannot be stat()ed before
 * the open: an activation renaming a new feed over feed.db in between paired
 * the old file's identity with the new file's content, and the player's
 * next poll took the same new feed for another one (loaded twice, with an
 * extra crossfade).  So the identity comes from a descriptor of our own
 * (fstat), and the path must still name that file once SQLite has opened
 * it: then SQLite opened that file too.  Otherwise an activation landed in
 * between and the open is repeated; should the feed keep changing, the last
 * open is kept and the player's next poll simply loads the newest. */
static struct store_id open_live(const struct store *s, struct feed **f, char **why)
{
    struct store_id id = {0, 0};
    *f = NULL;
    *why = NULL;
    for (int attempt = 0; attempt < 3; attempt++) {
        feed_close(*f);
        *f = NULL;
        free(*why);
        *why = NULL;
        int fd = open(s->feed, O_RDONLY | O_CLOEXEC);
        struct stat held, named;
        if (fd < 0 || fstat(fd, &held) != 0) {
            if (fd >= 0)
                close(fd);
            return (struct store_id){0, 0};
        }
        id = (struct store_id){held.st_dev, held.st_ino};
        *f = feed_open(s->feed, why);
        bool same = stat(s->feed, &named) == 0 && named.st_dev == held.st_dev &&
                    named.st_ino == held.st_ino;
        close(fd);
        if (same)
            break;
    }
    return id;
}

/* The newest usable kept feed, loaded into l (feed and content), for a
 * damaged live feed; false when there is none. */
static bool load_kept(const struct store *s, struct store_live *l, const char *live_why)
{
    int64_t version = 0;
    char *kept = store_usable_kept(s, 0, &version);
    if (!kept)
        return false;
    l->feed = feed_open(kept, NULL);
    l->content = l->feed ? feed_load(l->feed) : NULL;
    if (!l->content) {
        feed_close(l->feed);
        l->feed = NULL;
    } else {
        l->kept_version = version;
        log_warn("live feed %s unreadable (%s): starting from kept feed %lld", s->feed,
                 live_why ? live_why : "load failed", (long long)version);
    }
    free(kept);
    return l->content != NULL;
}

enum store_live_result store_load_live(const struct store *s, unsigned flags,
                                       struct store_live *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (why)
        *why = NULL;
    char *reason = NULL;
    out->id = open_live(s, &out->feed, &reason);
    if (!out->feed && !reason && errno == ENOENT && access(s->feed, F_OK) != 0)
        return STORE_LIVE_NONE;
    if (out->feed) {
        out->content = feed_load_ex(out->feed, &reason);
        if (out->content)
            return STORE_LIVE_OK;
        feed_close(out->feed);
        out->feed = NULL;
    }
    if (!reason)
        reason = xasprintf("cannot open %s: %s", s->feed, strerror(errno));
    if ((flags & STORE_LIVE_KEPT) && load_kept(s, out, reason)) {
        free(reason);
        return STORE_LIVE_OK;
    }
    if (why)
        *why = reason;
    else
        free(reason);
    return STORE_LIVE_BAD;
}

void store_live_close(struct store_live *l)
{
    content_destroy(l->content);
    feed_close(l->feed);
    memset(l, 0, sizeof *l);
}

/* feeds/NNNNNNNN.db → its version, or -1 for any other name. */
static int64_t kept_version(const char *name)
{
    size_t n = strlen(name);
    if (n < 4 || strcmp(name + n - 3, ".db"))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n - 3; i++) {
        if (name[i] < '0' || name[i] > '9' || i >= 18)
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Versions of the kept feeds, ascending (malloc'd; *n entries). */
static int64_t *kept_list(const struct store *s, size_t *n)
{
    *n = 0;
    size_t cap = 0;
    int64_t *v = NULL;
    DIR *d = opendir(s->feeds);
    if (!d)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        int64_t k = kept_version(e->d_name);
        if (k < 0)
            continue;
        xgrow(&v, &cap, *n + 1, sizeof *v);
        v[(*n)++] = k;
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_i64);
    return v;
}

static char *kept_path(const struct store *s, int64_t version)
{
    return xasprintf("%s/%08lld.db", s->feeds, (long long)version);
}

/* Deletes kept feeds beyond the newest STORE_KEEP, never the live one
 * (after a rollback the live feed may be an old version). */
static void prune(struct store *s)
{
    size_t n;
    int64_t *v = kept_list(s, &n);
    struct store_id live = store_live_id(s);
    for (size_t i = 0; n > STORE_KEEP && i < n - STORE_KEEP; i++) {
        char *p = kept_path(s, v[i]);
        struct stat st;
        if (stat(p, &st) == 0 && !(st.st_ino == live.ino && st.st_dev == live.dev) &&
            unlink(p) < 0)
            log_errno("cannot prune old feed %s", p);
        free(p);
    }
    free(v);
}

/* Points DATA/feed.db at the file `from` (which stays): a fresh hard link
 * renamed over feed.db, so feed.db is at every instant the old or the new
 * feed, then the directory is fsynced so the switch survives power loss. */
static bool switch_live(struct store *s, const char *from)
{
    char *tmp = xasprintf("%s/feed.db.new", s->dir);
    bool ok = false;
    unlink(tmp);
    if (link(from, tmp) < 0) {
        log_errno("cannot link %s to %s", from, tmp);
        goto out;
    }
    if (rename(tmp, s->feed) < 0) {
        log_errno("cannot rename %s over %s", tmp, s->feed);
        unlink(tmp);
        goto out;
    }
    /* rename() of two links to one inode does nothing: tidy the spare link. */
    unlink(tmp);
    /* The switch has happened and readers see the new feed: failing now
     * would tell staff "nothing changed" when it did.  Without the fsync a
     * power cut may bring back the old feed, whole, which is allowed. */
    if (!fsync_dir(s->dir))
        log_msg_errno(LOG_LEVEL_WARN, "cannot fsync %s after the switch; it may not survive a power cut",
                      s->dir);
    ok = true;
out:
    free(tmp);
    return ok;
}

bool store_activate(struct store *s, const char *staged_path, int64_t version)
{
    if (version < 1 || version > 99999999) {
        log_error("cannot activate %s: feed version %lld out of range", staged_path, (long long)version);
        return false;
    }
    char *kept = kept_path(s, version);
    char *tmp = xasprintf("%s/.%08lld.db.new", s->feeds, (long long)version);
    bool ok = false;
    /* Keep first (link + rename, so an existing feeds/N.db is replaced
     * whole), then go live from the kept copy. */
    unlink(tmp);
    /* A kept copy this call adds is removed again if activation fails, so a
     * failed import leaves feeds/ as it was. */
    bool existed = access(kept, F_OK) == 0;
    chown_like(staged_path, s->dir);        /* the kept and live feed are this file */
    if (link(staged_path, tmp) < 0) {
        log_errno("cannot link %s to %s", staged_path, tmp);
        goto out;
    }
    if (rename(tmp, kept) < 0) {
        log_errno("cannot rename %s to %s", tmp, kept);
        unlink(tmp);
        goto out;
    }
    unlink(tmp);
    if (!fsync_dir(s->feeds)) {
        log_errno("cannot fsync %s", s->feeds);
        if (!existed)
            unlink(kept);
        goto out;
    }
    if (!switch_live(s, kept)) {
        if (!existed)
            unlink(kept);
        goto out;
    }
    ok = true;
    if (unlink(staged_path) < 0)
        log_errno("cannot remove staged feed %s", staged_path);
    prune(s);
    log_info("activated feed version %lld", (long long)version);
out:
    free(kept);
    free(tmp);
    return ok;
}

char *store_usable_kept(const struct store *s, int64_t below, int64_t *version)
{
    struct store_id live_id = store_live_id(s);
    size_t n;
    int64_t *v = kept_list(s, &n);     /* ascending */
    char *found = NULL;
    /* Newest first.  A damaged live feed reads as version 0, and its own
     * hard link in feeds/ is then the newest kept file: skip that inode,
     * and any kept feed that is damaged too, down to one that opens. */
    for (size_t i = n; i-- > 0 && !found;) {
        if (below != 0 && v[i] >= below)
            continue;
        char *p = kept_path(s, v[i]);
        struct stat st;
        if (stat(p, &st) == 0 && st.st_ino == live_id.ino && st.st_dev == live_id.dev) {
            free(p);
            continue;
        }
        char *reason = NULL;
        struct feed *f = feed_open(p, &reason);
        feed_close(f);
        if (f) {
            found = p;
            if (version)
                *version = v[i];
        } else {
            log_error("kept feed %s is unusable: %s", p, reason ? reason : "");
            free(p);
        }
        free(reason);
    }
    free(v);
    return found;
}

bool store_rollback(struct store *s, char **why)
{
    if (why)
        *why = NULL;
    int64_t live = store_live_version(s), target = 0;
    char *p = store_usable_kept(s, live, &target);
    if (!p) {
        if (why)
            *why = xstrdup("no usable earlier feed is kept");
        log_warn("rollback: no usable feed older than version %lld is kept", (long long)live);
        return false;
    }
    bool ok = switch_live(s, p);
    if (!ok && why)
        *why = xstrdup("cannot switch the live feed");
    if (ok)
        log_info("rolled back from feed version %lld to %lld", (long long)live, (long long)target);
    free(p);
    return ok;
}

int64_t store_live_version(const struct store *s)
{
    struct feed *f = feed_open(s->feed, NULL);
    if (!f)
        return 0;
    int64_t v = feed_version(f);
    feed_close(f);
    return v;
}

int64_t store_next_version(const struct store *s)
{
    size_t n;
    int64_t *v = kept_list(s, &n);
    int64_t next = n ? v[n - 1] : 0;
    free(v);
    int64_t live = store_live_version(s);
    return (live > next ? live : next) + 1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (ftw->level == 0)
        return 0;   /* keep staging/ itself */
    if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
        log_errno("cannot remove %s", path);
    return 0;
}

void store_clean_staging(struct store *s)
{
    /* FTW_PHYS: never follow a symlink out of staging/. */
    nftw(s->staging, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    /* Spare links left by a kill inside store_activate or store_rollback:
     * DATA/feed.db.new and feeds/.NNNNNNNN.db.new (never live). */
    char *tmp = xasprintf("%s/feed.db.new", s->dir);
    unlink(tmp);
    free(tmp);
    DIR *d = opendir(s->feeds);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' && n > 7 && !strcmp(e->d_name + n - 7, ".db.new")) {
            char *p = xasprintf("%s/%s", s->feeds, e->d_name);
            unlink(p);
            free(p);
        }
    }
    if (d)
        closedir(d);
}

/* ---------------------------------------------------------------- state files */

/* The one place each state file is named (store.h says what each holds). */
static const char *const state_names[STORE_NFILES] = {
    [STORE_CLOCK] = "clock.txt",
    [STORE_LAST_SYNC] = "last-sync.txt",
    [STORE_STICK_TIME] = "stick-time.txt",
    [STORE_DEVICE_KEY] = "key.sha256",
    [STORE_MANIFEST_VERSION] = "manifest-version",
    [STORE_INBOX_SEEN] = "inbox-seen",
    [STORE_LOCK] = "sync.lock",
    [STORE_TEST_FREEZE] = "test-freeze",
    [STORE_TIME_SET] = "time-set.txt",
};

const char *store_file_name(enum store_file f)
{
    assert((unsigned)f < STORE_NFILES && state_names[f]);
    return state_names[f];
}

char *store_state_path(const struct store *s, enum store_file f)
{
    return xasprintf("%s/%s", s->state, store_file_name(f));
}

char *store_state_read(const struct store *s, enum store_file f)
{
    char *p = store_state_path(s, f);
    char *text = read_file(p, 1 << 20, NULL);
    if (!text && errno != ENOENT)
        log_errno("cannot read %s", p);
    free(p);
    return text;
}

/* Run as root (the installer's `noticeboard-sync init` or `rollback` in a
 * root shell, as docs/deploy.md writes them) on a data folder that belongs
 * to another user: what is made there is given to that user, or the player
 * and the next import, which run as that user, find a folder, a state file
 * or the lock they cannot replace or open. */
static void give_to_owner(const struct store *s, const char *path)
{
    chown_like(path, s->dir);
}

bool store_state_write(const struct store *s, enum store_file f, const char *text)
{
    char *p = store_state_path(s, f);
    bool ok = write_file_atomic(p, text, strlen(text));
    if (!ok)
        log_errno("cannot write %s", p);
    else
        give_to_owner(s, p);
    free(p);
    return ok;
}

/* ---------------------------------------------------------------- the lock */

/* "noticeboard (uid 999)" for the user we run as, malloc'd. */
static char *user_text(uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    return pw ? xasprintf("%s (uid %u)", pw->pw_name, (unsigned)uid)
              : xasprintf("uid %u", (unsigned)uid);
}

enum store_lock_result store_lock(const struct store *s, int *fd)
{
    char *path = store_state_path(s, STORE_LOCK);
    enum store_lock_result res = STORE_LOCK_OK;
    /* O_NOFOLLOW: a symlink planted in state/ must not make us create or
     * lock a file elsewhere. */
    *fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (*fd >= 0)
        give_to_owner(s, path);
    if (*fd < 0) {
        int e = errno;
        struct stat st;
        if (e == ENOENT && stat(s->state, &st) != 0) {
            res = STORE_LOCK_NO_STATE;
        } else if (e == EACCES || e == EPERM || e == EROFS) {
            /* Typically `noticeboard-sync init` run as root left state/
             * owned by root: say so, for the installer. */
            char *me = user_text(geteuid()), *owner = NULL;
            if (stat(s->state, &st) == 0) {
                char *who = user_text(st.st_uid);
                owner = xasprintf("%s belongs to %s, and ", s->state, who);
                free(who);
            }
            log_error("cannot open the lock %s as user %s: %s; %sthe data folder must belong to "
                      "the user that runs noticeboard-sync", path, me, strerror(e),
                      owner ? owner : "");
            free(me);
            free(owner);
            res = STORE_LOCK_DENIED;
        } else {
            errno = e;
            log_errno("cannot open the lock %s", path);
            res = STORE_LOCK_FAILED;
        }
    } else if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK) {
            log_error("another import or rollback is running (lock %s)", path);
            res = STORE_LOCK_BUSY;
        } else {
            log_errno("cannot take the lock %s", path);
            res = STORE_LOCK_FAILED;
        }
        close(*fd);
        *fd = -1;
    }
    free(path);
    return res;
}

void store_unlock(int fd)
{
    if (fd >= 0)
        close(fd);      /* closing the only descriptor releases the flock */
}
