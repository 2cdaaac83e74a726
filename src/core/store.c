/* store.c — the data folder: atomic activation of a staged feed by hard
 * link + rename(), the kept feeds for rollback, and small state files. */
#include "core/store.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    if (!create)
        return true;
    /* staging/ is private: the copy of a stick is read only by us. */
    if (!mkdir_p(s->dir, 0755) || !mkdir_p(s->feeds, 0755) || !mkdir_p(s->staging, 0700) ||
        !mkdir_p(s->state, 0755)) {
        log_errno("cannot create data folder %s", dir);
        return false;
    }
    return true;
}

void store_fini(struct store *s)
{
    free(s->dir);
    free(s->feed);
    free(s->feeds);
    free(s->staging);
    free(s->state);
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

static bool state_name_ok(const char *name)
{
    return *name && *name != '.' && !strchr(name, '/');
}

char *store_state_read(const struct store *s, const char *name)
{
    if (!state_name_ok(name))
        return NULL;
    char *p = xasprintf("%s/%s", s->state, name);
    char *text = read_file(p, 1 << 20, NULL);
    if (!text && errno != ENOENT)
        log_errno("cannot read %s", p);
    free(p);
    return text;
}

bool store_state_write(const struct store *s, const char *name, const char *text)
{
    if (!state_name_ok(name)) {
        log_error("bad state file name '%s'", name);
        return false;
    }
    char *p = xasprintf("%s/%s", s->state, name);
    bool ok = write_file_atomic(p, text, strlen(text));
    if (!ok)
        log_errno("cannot write %s", p);
    free(p);
    return ok;
}
