/* inbox.c — `noticeboard-sync inbox`: the spool folder a courier (Syncthing,
 * rsync) fills.  A complete signed bundle is imported once, by import.c as a
 * stick is; reports, the play log and a status file go to the outbox. */
#include "sync/inbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/now.h"
#include "core/sha256.h"
#include "core/store.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/import.h"
#include "sync/report.h"
#include "sync/stage.h"
#include "sync/stickw.h"
#include "sync/trust.h"

/* The inbox may hold a whole bundle at the stager's limits, plus the
 * courier's temporary files and old files not listed any more. */
#define INBOX_MAX_BYTES (STAGE_MAX_TOTAL + (256ull << 20))
#define INBOX_MAX_FILES (STAGE_MAX_FILES * 2)
#define INBOX_MAX_DEPTH 8
#define OUTBOX_KEEP_REPORTS 50
#define PLAYLOG_MAX_FILE (64u << 20)

/* What became of the bundle in the inbox; the word goes to the status. */
enum outcome {
    OUT_EMPTY,          /* no bundle */
    OUT_WAITING,        /* a transfer under way: not all files match yet */
    OUT_IMPORTED,       /* imported (the screen shows it) */
    OUT_REFUSED,        /* refused with a report */
    OUT_NOT_FOR_US,     /* targeted at other boards */
    OUT_ALREADY,        /* its version is not above the last accepted one */
    OUT_TOO_BIG,        /* the inbox is over its bound */
    OUT_RETRY,          /* busy or an I/O failure: tried again next time */
};

static const char *const outcome_word[] = {
    [OUT_EMPTY] = "empty",          [OUT_WAITING] = "waiting",
    [OUT_IMPORTED] = "imported",    [OUT_REFUSED] = "refused",
    [OUT_NOT_FOR_US] = "not-for-this-board", [OUT_ALREADY] = "already-imported",
    [OUT_TOO_BIG] = "too-big",      [OUT_RETRY] = "retry",
};

static const char *const outcome_text[] = {
    [OUT_EMPTY] = "收件夹里没有内容",
    [OUT_WAITING] = "内容正在传送，还没有收全，收全后自动更新",
    [OUT_IMPORTED] = "已自动更新为收件夹里的内容",
    [OUT_REFUSED] = "收件夹里的内容没有通过检查，屏幕内容没有改变，原因见报告",
    [OUT_NOT_FOR_US] = "收件夹里的内容是发给其他屏幕的，本屏幕不更新",
    [OUT_ALREADY] = "收件夹里的内容已经更新过了",
    [OUT_TOO_BIG] = "收件夹里的文件太多太大，没有更新，请清理办公室的共享文件夹",
    [OUT_RETRY] = "暂时无法更新（另一个更新正在进行或设备出错），稍后自动重试",
};

struct scan {
    uint64_t bytes;
    size_t files;
    int64_t newest_change;  /* newest ctime (kernel time) in the inbox */
    bool over;              /* beyond INBOX_MAX_BYTES or INBOX_MAX_FILES */
};

/* Now on the clock the inbox's change times were stamped by: the change
 * time of a file written now in the state folder.  Set against ctimes, a
 * process clock that differs from the file system's (a clock the stick just
 * moved, libfaketime in check-dates) would make a transfer under way look
 * still for a year; falls back to the process clock. */
static int64_t fs_now(const struct store *st)
{
    int64_t t = now_real_unix();
    int dfd = open(st->state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return t;
    /* Read back with fstatat, as scan_dir reads the inbox: libfaketime
     * shifts fstat's times but not fstatat's. */
    int fd = openat(dfd, ".inbox-now", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat sb;
    if (fd >= 0 && write(fd, "", 1) == 1 &&
        fstatat(dfd, ".inbox-now", &sb, AT_SYMLINK_NOFOLLOW) == 0)
        t = (int64_t)sb.st_ctime;
    if (fd >= 0)
        close(fd);
    unlinkat(dfd, ".inbox-now", 0);
    close(dfd);
    return t;
}

/* Walks dirfd (closed here) without following links: sizes, count and
 * the newest change time (ctime: a courier keeps the sender's mtimes). */
static void scan_dir(int dirfd, int depth, struct scan *sc)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) && !sc->over) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        struct stat sb;
        if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if ((int64_t)sb.st_ctime > sc->newest_change)
            sc->newest_change = (int64_t)sb.st_ctime;
        if (S_ISDIR(sb.st_mode)) {
            int sub = depth < INBOX_MAX_DEPTH
                          ? openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                          : -1;
            if (sub >= 0)
                scan_dir(sub, depth + 1, sc);
        } else {
            sc->files++;
            if (S_ISREG(sb.st_mode))
                sc->bytes += (uint64_t)sb.st_size;
        }
        if (sc->bytes > INBOX_MAX_BYTES || sc->files > INBOX_MAX_FILES)
            sc->over = true;
    }
    closedir(d);
}

/* A regular file of at most max bytes inside dirfd, never through a link;
 * NULL when absent or anything else. */
static char *read_regular(int dirfd, const char *name, size_t max, size_t *len)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat sb;
    char *buf = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= max) {
        buf = xmalloc((size_t)sb.st_size + 1);
        size_t n = 0;
        ssize_t r;
        while (n < (size_t)sb.st_size &&
               ((r = read(fd, buf + n, (size_t)sb.st_size - n)) > 0 || (r < 0 && errno == EINTR)))
            if (r > 0)
                n += (size_t)r;
        buf[n] = '\0';
        *len = n;
    }
    close(fd);
    return buf;
}

/* Whether every file the manifest lists is in the bundle folder with its
 * size and digest: sizes first (cheap, and what a transfer under way gets
 * wrong), digests only when all sizes match.  The stager checks all of
 * it again on its own copy; this only decides whether to wait. */
static bool complete(int bundle_fd, const struct manifest *m)
{
    for (size_t i = 0; i < m->nentries; i++) {
        struct stat sb;
        if (fstatat(bundle_fd, m->entries[i].path, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
            !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != m->entries[i].size)
            return false;
    }
    static unsigned char buf[1 << 16];
    for (size_t i = 0; i < m->nentries; i++) {
        int fd = openat(bundle_fd, m->entries[i].path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            return false;
        struct sha256 h;
        sha256_init(&h);
        ssize_t r;
        while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
            if (r > 0)
                sha256_update(&h, buf, (size_t)r);
        close(fd);
        uint8_t d[32];
        sha256_final(&h, d);
        if (r < 0 || memcmp(d, m->entries[i].sha256, 32) != 0)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- memory */

/* DATA/state/inbox-seen: "DIGEST OUTCOME VERSION STAMP", STAMP the inbox's
 * bytes, entries and newest change when it was handled. */
struct seen {
    char digest[65];
    enum outcome o;
    int64_t version;
    char stamp[64];
};

static void stamp_of(const struct scan *sc, char stamp[64])
{
    snprintf(stamp, 64, "%" PRIu64 ":%zu:%" PRId64, sc->bytes, sc->files, sc->newest_change);
}

static bool seen_read(const struct store *st, struct seen *sn)
{
    char *t = store_state_read(st, STORE_INBOX_SEEN);
    if (!t)
        return false;
    char word[32];
    long long v = 0;
    sn->stamp[0] = '\0';
    bool ok = sscanf(t, "%64s %31s %lld %63s", sn->digest, word, &v, sn->stamp) >= 3;
    free(t);
    if (!ok)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(outcome_word); i++)
        if (!strcmp(word, outcome_word[i])) {
            sn->o = (enum outcome)i;
            sn->version = v;
            return true;
        }
    return false;
}

static void seen_write(const struct store *st, const char *digest, enum outcome o, int64_t version,
                       const struct scan *sc)
{
    char stamp[64];
    stamp_of(sc, stamp);
    char *t = xasprintf("%s %s %" PRId64 " %s\n", digest, outcome_word[o], version, stamp);
    store_state_write(st, STORE_INBOX_SEEN, t);     /* logged on failure */
    free(t);
}

/* ---------------------------------------------------------------- outbox */

/* Writes a report of our own (the inbox over its bound) to outbox/reports/,
 * as import.c writes its own: a refusal with one problem line. */
static void own_report(const struct store *st, const char *problem)
{
    struct report r = {.result = REPORT_REJECTED};
    report_problem(&r, "%s", problem);
    r.old_version = r.new_version = store_live_version(st);
    char *text = report_render(&r, now_civil(NULL));
    fputs(text, stdout);
    int fd = open(st->outbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char stamp[16];
    report_stamp_now(stamp);
    if (fd < 0 || !report_write_stick(fd, stamp, text, NULL, 0))
        log_errno("inbox: cannot write a report to %s/reports", st->outbox);
    if (fd >= 0)
        close(fd);
    free(text);
    report_free(&r);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keeps the newest OUTBOX_KEEP_REPORTS reports (names sort by time). */
static void prune_reports(const struct store *st)
{
    char *dir = xasprintf("%s/reports", st->outbox);
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        xgrow(&names, &cap, n + 1, sizeof *names);
        names[n++] = xstrdup(de->d_name);
    }
    if (d)
        closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i + OUTBOX_KEEP_REPORTS < n) {
            char *p = xasprintf("%s/%s", dir, names[i]);
            if (unlink(p) < 0)
                log_errno("inbox: removing old report %s", p);
            free(p);
        }
        free(names[i]);
    }
    free(names);
    free(dir);
}

/* Copies the regular files of DATA/playlog (one level) to outbox/playlog
 * when their size or time differs from the copy there. */
static void copy_playlog(const struct store *st)
{
    char *src = xasprintf("%s/playlog", st->dir);
    DIR *d = opendir(src);
    if (!d) {
        free(src);
        return;
    }
    char *dst = xasprintf("%s/playlog", st->outbox);
    if (!mkdir_p(dst, 0755))
        log_errno("inbox: creating %s", dst);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *s = xasprintf("%s/%s", src, de->d_name), *t = xasprintf("%s/%s", dst, de->d_name);
        struct stat a, b;
        if (lstat(s, &a) == 0 && S_ISREG(a.st_mode) &&
            (lstat(t, &b) < 0 || b.st_size != a.st_size || b.st_mtime < a.st_mtime)) {
            size_t len;
            char *data = read_file(s, PLAYLOG_MAX_FILE, &len);
            if (!data || !write_file_atomic(t, data, len))
                log_errno("inbox: copying %s to the outbox", s);
            free(data);
        }
        free(s);
        free(t);
    }
    closedir(d);
    free(src);
    free(dst);
}

/* outbox/status.txt: `key: value` lines for the office, rewritten only
 * when they change (a courier sends every change). */
static void write_status(const struct store *st, const struct config *cfg, enum outcome o,
                         int64_t bundle_version)
{
    struct sbuf b = {0};
    struct sbuf line = {0};
    sbuf_add_line(&line, cfg->board_name ? cfg->board_name : "");
    sbuf_addf(&b, "board: %s\n", line.s);
    line.len = 0;
    sbuf_add_line(&line, cfg->board_groups ? cfg->board_groups : "");
    sbuf_addf(&b, "groups: %s\n", line.s);
    struct store_live live;
    int64_t created = CLOCK_NONE, version = 0;
    if (store_load_live(st, 0, &live, NULL) == STORE_LIVE_OK) {
        created = live.content->created;
        version = live.content->feed_version;
    }
    store_live_close(&live);
    char imported[17] = "-";
    if (created != CLOCK_NONE)
        when_format(created, imported);
    sbuf_addf(&b, "feed_version: %" PRId64 "\nimported_at: %s\n", version, imported);
    int64_t last_good = clock_load_last_good(st);
    char good[17] = "-";
    if (last_good != CLOCK_NONE)
        when_format(last_good, good);
    bool sure = clock_judge(now_civil(NULL), created, last_good) == CLOCK_OK;
    sbuf_addf(&b, "clock: %s\nclock_last_good: %s\n", sure ? "ok" : "unsure", good);
    struct syncstate ss;
    if (syncstate_read(st, &ss)) {
        line.len = 0;
        sbuf_add_line(&line, ss.summary);
        sbuf_addf(&b, "last_sync_result: %s\nlast_sync_summary: %s\n",
                  syncstate_result_name(ss.result), line.s);
    }
    sbuf_addf(&b, "inbox: %s\ninbox_version: %" PRId64 "\ninbox_note: %s\n", outcome_word[o],
              bundle_version, outcome_text[o]);
    sbuf_free(&line);
    char *path = xasprintf("%s/status.txt", st->outbox);
    size_t len = 0;
    char *old = read_file(path, 1 << 16, &len);
    if (!old || len != b.len || memcmp(old, b.s, len) != 0)
        if (!write_file_atomic(path, b.s, b.len))
            log_errno("inbox: writing %s", path);
    free(old);
    free(path);
    sbuf_free(&b);
}

/* Removes the PNG files of dir that are not in keep (NULL: all). */
static void remove_pngs(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len <= 4 || strcmp(de->d_name + len - 4, ".png"))
            continue;
        char *k = keep ? xasprintf("%s/%s", keep, de->d_name) : NULL;
        if (!k || access(k, F_OK) < 0)
            unlinkat(dirfd(d), de->d_name, 0);
        free(k);
    }
    if (d)
        closedir(d);
}

/* outbox/screen/: what the board plays now, drawn by the player's own
 * `render` (the noticeboard program beside this one) at 960x540, after an
 * import only.  Drawn in outbox/.screen.new (which the courier ignores),
 * then renamed file by file over the old pictures, so a courier never
 * sees the folder empty.  Skipped (logged) without a player beside us. */
static void render_screen(const struct store *st, const char *config)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return;
    *slash = '\0';
    char *player = xasprintf("%s/noticeboard", self);
    char *out = xasprintf("%s/screen", st->outbox), *tmp = xasprintf("%s/.screen.new", st->outbox);
    if (access(player, X_OK) < 0) {
        log_info("inbox: no player at %s; no screen picture", player);
        goto done;
    }
    remove_pngs(tmp, NULL);
    char at[17];
    when_format(now_civil(NULL), at);
    if (!mkdir_p(out, 0755) || !mkdir_p(tmp, 0755)) {
        log_errno("inbox: creating %s", out);
        goto done;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (nul >= 0)
            dup2(nul, 1);
        execl(player, player, "render", "--data", st->dir, "--config", config, "--at", at,
              "--size", "960x540", "--out", tmp, (char *)NULL);
        _exit(127);
    }
    int ws = 0;
    if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
        log_warn("inbox: %s render failed; no screen picture", player);
        goto done;
    }
    remove_pngs(out, tmp);
    DIR *d = opendir(tmp);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *from = xasprintf("%s/%s", tmp, de->d_name), *to = xasprintf("%s/%s", out, de->d_name);
        if (rename(from, to) < 0)
            log_errno("inbox: renaming %s", from);
        free(from);
        free(to);
    }
    if (d)
        closedir(d);
done:
    free(player);
    free(out);
    free(tmp);
}

/* ---------------------------------------------------------------- the run */

struct inbox {
    const struct inbox_opts *o;
    struct config cfg;
    struct store st;
    int bundle_fd;
    char *man, *sig;
    size_t mlen, slen;
    struct manifest *m;
    int64_t version;        /* of the bundle, 0 unknown */
    bool imported_now;      /* this run imported it (not recalled from inbox-seen) */
};

/* Hands the bundle to the import (as a stick) and maps its exit status. */
static enum outcome import_it(struct inbox *x, int *status)
{
    char *source = xstrdup(x->st.inbox);
    struct import_opts io = {.data = x->o->data, .config = x->o->config,
                             .config_must_exist = x->o->config_must_exist,
                             .source = source, .report_dir = x->st.outbox};
    *status = import_run(&io);
    free(source);
    switch (*status) {
    case 0: return OUT_IMPORTED;
    case 1:
    case 3: return OUT_REFUSED;
    default: return OUT_RETRY;
    }
}

/* Decides what to do with what the inbox holds; *status is the exit status. */
static enum outcome decide(struct inbox *x, int *status)
{
    *status = 0;
    x->bundle_fd = open(x->st.inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int nb = x->bundle_fd >= 0
                 ? openat(x->bundle_fd, "noticeboard", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                 : -1;
    if (x->bundle_fd >= 0)
        close(x->bundle_fd);
    x->bundle_fd = nb;
    if (nb < 0)
        return OUT_EMPTY;
    struct scan sc = {0};
    int dup_fd = dup(nb);
    if (dup_fd >= 0)
        scan_dir(dup_fd, 0, &sc);
    x->man = read_regular(nb, "MANIFEST", 1u << 20, &x->mlen);
    x->sig = x->man ? read_regular(nb, "MANIFEST.minisig", 4096, &x->slen) : NULL;

    /* The memory: the MANIFEST and its signature, or the bound. */
    char digest[65] = "too-big";
    if (!sc.over && !x->sig && !sc.files)
        return OUT_EMPTY;
    if (!sc.over && !x->sig) {
        strcpy(digest, "unsigned");     /* refused in time, like an incomplete one */
    } else if (!sc.over) {
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, x->man, x->mlen);
        sha256_update(&h, x->sig, x->slen);
        uint8_t d[32];
        sha256_final(&h, d);
        sha256_hex_digest(d, digest);
    }
    /* Handled before: once, unless it was refused and the inbox changed
     * since (a transfer that stalled past inbox_settle and went on). */
    struct seen sn;
    char stamp[64];
    stamp_of(&sc, stamp);
    if (seen_read(&x->st, &sn) && !strcmp(sn.digest, digest) &&
        (sn.o != OUT_REFUSED || !strcmp(sn.stamp, stamp))) {
        x->version = sn.version;
        return sn.o;
    }
    if (sc.over) {
        log_warn("inbox: %s holds more than %llu MiB or %d files; not imported", x->st.inbox,
                 (unsigned long long)(INBOX_MAX_BYTES >> 20), INBOX_MAX_FILES);
        own_report(&x->st, "inbox: 收件夹里的文件太多或太大，没有更新。"
                           "请清理办公室共享文件夹里不需要的文件");
        seen_write(&x->st, digest, OUT_TOO_BIG, 0, &sc);
        return OUT_TOO_BIG;
    }

    /* Signed by our key: what it is for is known before all its files are
     * here, so a board it is not for, or that has it already, need not
     * wait for (nor read) the rest. */
    char *why = NULL;
    bool sig_ok = x->cfg.public_key && x->sig &&
                  minisign_verify(x->cfg.public_key, x->sig, x->slen, x->man, x->mlen, &why) &&
                  manifest_parse(x->man, x->mlen, &x->m, &why);
    free(why);
    if (sig_ok) {
        x->version = x->m->version;
        char *lv = store_state_read(&x->st, STORE_MANIFEST_VERSION);
        int64_t last = lv ? strtoll(lv, NULL, 10) : 0;
        free(lv);
        if (x->m->version <= last) {    /* by stick, or an older bundle: nothing to say */
            seen_write(&x->st, digest, OUT_ALREADY, x->version, &sc);
            return OUT_ALREADY;
        }
        if (!manifest_for_board(x->m, x->cfg.board_name, x->cfg.board_groups)) {
            log_warn("inbox: bundle version %" PRId64 " is for other boards; ignored", x->version);
            seen_write(&x->st, digest, OUT_NOT_FOR_US, x->version, &sc);
            return OUT_NOT_FOR_US;
        }
    }

    /* Complete: every listed file in place.  Until then a transfer is under
     * way; once the inbox stands still for inbox_settle seconds, the import
     * refuses it with its report. */
    if (!sig_ok || !complete(nb, x->m)) {
        int64_t still = fs_now(&x->st) - sc.newest_change;
        if (still < x->cfg.inbox_settle) {
            log_info("inbox: incomplete, waiting (unchanged for %" PRId64 " s)", still);
            return OUT_WAITING;
        }
        log_warn("inbox: incomplete or not signed and unchanged for %" PRId64 " s: importing to refuse it",
                 still);
    }
    enum outcome o = import_it(x, status);
    x->imported_now = o == OUT_IMPORTED;
    if (o != OUT_RETRY)
        seen_write(&x->st, digest, o, x->version, &sc);
    return o;
}

int inbox_run(const struct inbox_opts *o)
{
    struct inbox x = {.o = o, .bundle_fd = -1};
    int status = 0;
    if (!config_load(&x.cfg, o->config, o->config_must_exist)) {
        fprintf(stderr, "noticeboard-sync: config %s is not usable (see above)\n", o->config);
        config_free(&x.cfg);
        return 2;
    }
    if (x.cfg.trust != TRUST_SIGNED) {
        /* A folder anyone on the network may fill takes signed bundles only. */
        fprintf(stderr, "noticeboard-sync: inbox: needs [sync] trust = signed in %s\n", o->config);
        config_free(&x.cfg);
        return 2;
    }
    if (!store_init(&x.st, o->data, true) || !mkdir_p(x.st.inbox, 0755) ||
        !mkdir_p(x.st.outbox, 0755)) {
        fprintf(stderr, "noticeboard-sync: data folder %s: %s\n", o->data, strerror(errno));
        store_fini(&x.st);
        config_free(&x.cfg);
        return 4;
    }
    enum outcome out = decide(&x, &status);
    fprintf(stderr, "inbox: %s\n", outcome_word[out]);
    /* Drawn once per import: redrawn at every later run while the bundle
     * stays in the inbox, the pictures changed about once a second under
     * fleet-test's loop, and Syncthing put off sending a path that keeps
     * changing until its 10 s limit (reports back in 13 s, not 1). */
    if (x.imported_now)
        render_screen(&x.st, o->config);
    write_status(&x.st, &x.cfg, out, x.version);
    copy_playlog(&x.st);
    prune_reports(&x.st);
    if (x.bundle_fd >= 0)
        close(x.bundle_fd);
    free(x.man);
    free(x.sig);
    manifest_destroy(x.m);
    store_fini(&x.st);
    config_free(&x.cfg);
    return status;
}

const char *inbox_state_word(const char *seen_line)
{
    char word[32];
    if (!seen_line || sscanf(seen_line, "%*64s %31s", word) != 1)
        return NULL;
    for (size_t i = 0; i < ARRAY_LEN(outcome_word); i++)
        if (!strcmp(word, outcome_word[i]))
            return outcome_word[i];
    return NULL;
}
