/* stage.c — one careful pass over the stick: list the known files without
 * opening anything odd, then copy each once into private staging, checking
 * size, stability and (signed trust) the manifest digest on the way. */
#include "sync/stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/log.h"
#include "core/util.h"
#include "sync/bundle.h"
#include "sync/media.h"
#include "sync/posters.h"
#include "sync/xlsx.h"

enum folder { TOP, MEDIA, POSTERS };

/* One file to copy. */
struct item {
    char *src;              /* name in its folder on the stick */
    char *path;             /* "events.csv" or "media/a.jpg": manifest and staging path */
    char *dst;              /* the staging path when not path ("海报/a.jpg"), or NULL */
    enum folder folder;
    uint64_t size;
    dev_t dev;
    ino_t ino;
    const struct manifest_entry *want;  /* signed trust */
};

struct copy_plan {
    struct item *items;
    size_t n, cap;
    uint64_t total;
    char *posters_src;      /* the 海报 folder's name on the stick, or NULL */
};

static void plan_free(struct copy_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].src);
        free(p->items[i].path);
        free(p->items[i].dst);
    }
    free(p->items);
    free(p->posters_src);
}

static void set_reason(struct report *r, char *why)
{
    free(r->reason);
    r->reason = why;
}

/* A name we can stage and show: valid UTF-8, no control characters, no
 * path separators (readdir never gives '/', but '\\' means something on
 * Windows), not hidden (._a.jpg from macOS, .DS_Store), not too long. */
static bool name_ok(const char *n)
{
    size_t len = strlen(n);
    if (!len || len > STAGE_MAX_NAME || n[0] == '.' || !utf8_valid(n, len, NULL))
        return false;
    for (const unsigned char *p = (const unsigned char *)n; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '/')
            return false;
    return true;
}

static const struct manifest_entry *manifest_find(const struct manifest *m, const char *path)
{
    for (size_t i = 0; i < m->nentries; i++)
        if (!strcmp(m->entries[i].path, path))
            return &m->entries[i];
    return NULL;
}

/* Adds name (in the folder dfd) to the plan if it is a regular file;
 * anything else is skipped with a warning and never opened. */
static enum stage_result plan_add(struct copy_plan *p, int dfd, const char *src, const char *path,
                                  enum folder folder, const struct manifest *m, struct report *r)
{
    struct stat st;
    if (fstatat(dfd, src, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        log_errno("stat %s on the stick", path);
        set_reason(r, xasprintf("无法读取U盘上的“%s”，请检查U盘后重试。", path));
        return STAGE_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        report_warning(r, "%s: 不是普通文件（可能是快捷方式或特殊文件），已跳过", path);
        log_warn("skipping %s: not a regular file (mode %o)", path, (unsigned)st.st_mode);
        return STAGE_OK;
    }
    const struct manifest_entry *want = NULL;
    if (m) {
        want = manifest_find(m, path);
        if (!want) {
            report_warning(r, "%s: 不在签名清单（MANIFEST）中，已跳过。请重新运行 pack 生成清单", path);
            return STAGE_OK;
        }
        if (want->size != (uint64_t)st.st_size) {
            set_reason(r, xasprintf("文件“%s”与签名清单不符（大小不同），可能被改动过。", path));
            return STAGE_DENIED;
        }
    }
    if (p->n >= STAGE_MAX_FILES) {
        report_problem(r, "noticeboard: 文件太多（超过%d个），请删掉 media 文件夹中用不到的文件",
                       STAGE_MAX_FILES);
        return STAGE_REJECTED;
    }
    xgrow(&p->items, &p->cap, p->n + 1, sizeof *p->items);
    p->items[p->n++] = (struct item){
        .src = xstrdup(src), .path = xstrdup(path), .folder = folder,
        .dst = folder == POSTERS ? xasprintf(POSTERS_DIR "/%s", src) : NULL,
        .size = (uint64_t)st.st_size, .dev = st.st_dev, .ino = st.st_ino, .want = want};
    p->total += (uint64_t)st.st_size;
    return STAGE_OK;
}

/* Two names that differ only in case (Announcements.csv, announcements.csv)
 * cannot both be meant, and which one readdir lists first is chance: the
 * stick is refused, naming both in a fixed order.  STAGE_OK when path is new. */
static enum stage_result check_case_twin(const struct copy_plan *p, const char *src,
                                         const char *path, const char *folder, struct report *r)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcasecmp(p->items[i].path, path))
            continue;
        const char *a = p->items[i].src, *b = src;
        if (strcmp(a, b) > 0) {
            const char *t = a;
            a = b;
            b = t;
        }
        report_problem(r, "%s%s 和 %s%s: 文件名只有大小写不同，无法确定用哪一个，请删掉其中一个",
                       folder, a, folder, b);
        return STAGE_REJECTED;
    }
    return STAGE_OK;
}

/* Lists media/ one level deep. */
static enum stage_result plan_media(struct copy_plan *p, int bundle_fd, const char *src,
                                    const struct manifest *m, struct report *r)
{
    struct stat st;
    if (fstatat(bundle_fd, src, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
        report_warning(r, "%s: 不是普通文件夹，已跳过", src);
        return STAGE_OK;
    }
    int dfd = openat(bundle_fd, src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        log_errno("opening media folder on the stick");
        set_reason(r, xstrdup("无法打开U盘上的 media 文件夹，请检查U盘后重试。"));
        return STAGE_IO;
    }
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return STAGE_IO;
    }
    enum stage_result res = STAGE_OK;
    struct dirent *e;
    while (res == STAGE_OK && (errno = 0, e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.')
            continue;   /* ., .., and hidden files */
        if (!name_ok(n)) {
            char *v = xstrndup(n, 60);
            for (char *q = v; *q; q++)
                if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x80)
                    *q = '?';
            report_warning(r, "media/%s: 文件名太长或含有特殊字符，已跳过", v);
            free(v);
            continue;
        }
        char *path = xasprintf("media/%s", n);
        res = check_case_twin(p, n, path, "media/", r);
        if (res == STAGE_OK)
            res = plan_add(p, dirfd(d), n, path, MEDIA, m, r);
        free(path);
    }
    if (res == STAGE_OK && errno) {
        log_errno("reading media folder on the stick");
        set_reason(r, xstrdup("读取U盘上的 media 文件夹时出错，请检查U盘后重试。"));
        res = STAGE_IO;
    }
    closedir(d);
    return res;
}

/* A file of the 海报 folder left out: a 提醒, and its name on the report's
 * 海报 line. */
static void poster_skipped(struct report *r, const char *folder, const char *name,
                           const char *why)
{
    report_warning(r, "%s/%s: %s", folder, name, why);
    report_poster_skipped(r, name);
}

/* Lists the 海报 folder one level deep: pictures and PDFs by their names
 * (their content is judged at import), at most POSTERS_MAX of them. */
static enum stage_result plan_posters(struct copy_plan *p, int bundle_fd, const char *src,
                                      const struct manifest *m, struct report *r)
{
    int dfd = openat(bundle_fd, src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        log_errno("opening the posters folder on the stick");
        if (dfd >= 0)
            close(dfd);
        set_reason(r, xasprintf("无法打开U盘上的 %s 文件夹，请检查U盘后重试。", src));
        return STAGE_IO;
    }
    enum stage_result res = STAGE_OK;
    size_t files = 0;
    struct dirent *e;
    while (res == STAGE_OK && (errno = 0, e = readdir(d))) {
        const char *n = e->d_name;
        enum posters_file kind = posters_file_kind(n);
        if (kind == POSTERS_QUIET)
            continue;   /* ., .., hidden files, Thumbs.db */
        if (!name_ok(n)) {
            char *v = xstrndup(n, 60);
            for (char *q = v; *q; q++)
                if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x80)
                    *q = '?';
            poster_skipped(r, src, v, "文件名太长或含有特殊字符，已跳过");
            free(v);
            continue;
        }
        struct stat st;
        bool dir = fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
        if (dir) {
            poster_skipped(r, src, n, "是文件夹，里面的文件没有导入（海报要直接放在海报文件夹里）");
            continue;
        }
        if (kind == POSTERS_OTHER) {
            poster_skipped(r, src, n, "不是图片或 PDF（只能放 JPG、PNG 图片或 PDF 文件），已跳过");
            continue;
        }
        if (++files > POSTERS_MAX)
            continue;   /* counted, refused below */
        char *path = xasprintf("%s/%s", src, n);
        size_t before = p->n;
        res = plan_add(p, dirfd(d), n, path, POSTERS, m, r);
        if (res == STAGE_OK && p->n == before)
            report_poster_skipped(r, n);    /* a link, or not signed: said by plan_add */
        free(path);
    }
    if (res == STAGE_OK && errno) {
        log_errno("reading the posters folder on the stick");
        set_reason(r, xasprintf("读取U盘上的 %s 文件夹时出错，请检查U盘后重试。", src));
        res = STAGE_IO;
    }
    if (res == STAGE_OK && files > POSTERS_MAX) {
        report_problem(r, "%s: 文件夹里有 %zu 张图片和 PDF，最多 %d 个。请只留下要播放的海报"
                          "（旧的可以移到U盘上别的文件夹）", src, files, POSTERS_MAX);
        res = STAGE_REJECTED;
    }
    closedir(d);
    return res;
}

/* Lists the known names at the top of the bundle folder. */
static enum stage_result plan_bundle(struct copy_plan *p, int bundle_fd, const struct manifest *m,
                                     struct report *r)
{
    int dfd = openat(bundle_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        log_errno("listing the bundle folder");
        if (dfd >= 0)
            close(dfd);
        set_reason(r, xstrdup("无法读取U盘上的 noticeboard 文件夹，请检查U盘后重试。"));
        return STAGE_IO;
    }
    enum stage_result res = STAGE_OK;
    char *media_src = NULL;
    struct dirent *e;
    while (res == STAGE_OK && (errno = 0, e = readdir(d))) {
        const char *n = e->d_name;
        char *canon = n[0] == '.' ? NULL : bundle_table_name(n);
        if (!strcasecmp(n, "feed.db"))
            canon = xstrdup("feed.db");
        if (!strcasecmp(n, STAGE_TIME_TXT)) {
            /* The time staff set; under signed trust only when signed (pack
             * lists it), and then silently: most signed sticks have none. */
            if (m && !manifest_find(m, STAGE_TIME_TXT)) {
                log_info("%s is not in the signed MANIFEST: its time is not used", n);
                continue;
            }
            canon = xstrdup(STAGE_TIME_TXT);
        }
        if (!strcasecmp(n, "media")) {
            if (!media_src)
                media_src = xstrdup(n);
            continue;
        }
        if (posters_folder_name(n)) {
            struct stat st;
            if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
                report_warning(r, "%s: 不是普通文件夹（可能是快捷方式），已跳过", n);
            } else if (p->posters_src) {
                /* 海报 and Posters, or 海报 and "海报 ": which one is meant
                 * cannot be guessed; readdir's order would choose. */
                const char *a = strcmp(p->posters_src, n) < 0 ? p->posters_src : n;
                const char *b = a == n ? p->posters_src : n;
                report_problem(r, "“%s”和“%s”: 有两个海报文件夹，不知道该用哪一个。"
                                  "请把海报放在一个文件夹里，删掉另一个", a, b);
                res = STAGE_REJECTED;
            } else {
                p->posters_src = xstrdup(n);
            }
            continue;
        }
        if (!canon) {
            /* A renamed sheet (公告.csv, announcements (1).csv, 内容(1).xlsx)
             * would leave its kind silently unchanged: say so. */
            const char *dot = strrchr(n, '.');
            if (dot && name_ok(n) && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".xlsx") ||
                                      !strcasecmp(dot, ".xls") || !strcasecmp(dot, ".et")))
                report_warning(r, "%s: 不认识的文件名，这个文件没有导入。文件名应为 %s.xlsx，"
                                  "或 announcements、events、honors、ticker、holidays、settings "
                                  "加 .csv 或 .xlsx", n, BUNDLE_WORKBOOK_STEM);
            continue;   /* trust files, reports/, 使用说明.txt, anything else */
        }
        /* Windows keeps names case-insensitive; staff may rename Events.CSV. */
        res = check_case_twin(p, n, canon, "", r);
        if (res == STAGE_OK)
            res = plan_add(p, dirfd(d), n, canon, TOP, m, r);
        free(canon);
    }
    if (res == STAGE_OK && errno) {
        log_errno("listing the bundle folder");
        set_reason(r, xstrdup("读取U盘上的 noticeboard 文件夹时出错，请检查U盘后重试。"));
        res = STAGE_IO;
    }
    if (res == STAGE_OK && media_src)
        res = plan_media(p, bundle_fd, media_src, m, r);
    if (res == STAGE_OK && p->posters_src)
        res = plan_posters(p, bundle_fd, p->posters_src, m, r);
    free(media_src);
    closedir(d);
    return res;
}

static bool write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Copies one planned file: exactly the size listed, and the file must not
 * change while read (a stick pulled out or a file still being written). */
static enum stage_result copy_one(const struct item *it, int bundle_fd, int media_fd,
                                  int posters_fd, int out_dir,
                                  struct stage *out, struct report *r, uint64_t *done,
                                  uint64_t total, stage_progress_fn *progress, void *ctx)
{
    int sfd = it->folder == MEDIA ? media_fd : it->folder == POSTERS ? posters_fd : bundle_fd;
    /* O_NONBLOCK: should the name have become a FIFO since we looked,
     * open must not hang; fstat below then refuses it. */
    int in = openat(sfd, it->src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (in < 0 || fstat(in, &st) < 0) {
        log_errno("opening %s on the stick", it->path);
        if (in >= 0)
            close(in);
        set_reason(r, xasprintf("无法读取U盘上的“%s”，请检查U盘后重试。", it->path));
        return STAGE_IO;
    }
    if (!S_ISREG(st.st_mode) || st.st_dev != it->dev || st.st_ino != it->ino ||
        (uint64_t)st.st_size != it->size) {
        log_error("%s changed on the stick while importing", it->path);
        close(in);
        set_reason(r, xasprintf("U盘上的“%s”在读取时发生了变化，请等文件复制完成后重试。", it->path));
        return STAGE_IO;
    }
    int outfd = openat(out_dir, it->dst ? it->dst : it->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (outfd < 0) {
        log_errno("creating staged %s", it->path);
        close(in);
        set_reason(r, xstrdup("无法写入设备的暂存区（磁盘可能已满）。"));
        return STAGE_IO;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    enum { CHUNK = 1 << 20 };
    unsigned char *buf = xmalloc(CHUNK);
    uint64_t left = it->size;
    enum stage_result res = STAGE_OK;
    int last_pct = -1;
    while (res == STAGE_OK) {
        /* Reads one byte past the listed size to notice a growing file. */
        size_t want = left < CHUNK ? (size_t)left + (left == 0) : CHUNK;
        ssize_t got = read(in, buf, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            log_errno("reading %s on the stick", it->path);
            set_reason(r, xasprintf("读取U盘上的“%s”时出错（U盘可能被拔出），请检查U盘后重试。",
                                    it->path));
            res = STAGE_IO;
            break;
        }
        if ((uint64_t)got > left || (got == 0 && left > 0)) {
            log_error("%s changed size on the stick while importing", it->path);
            set_reason(r, xasprintf("U盘上的“%s”在读取时发生了变化，请等文件复制完成后重试。",
                                    it->path));
            res = STAGE_IO;
            break;
        }
        if (got == 0)
            break;
        crypto_hash_sha256_update(&h, buf, (size_t)got);
        if (!write_all(outfd, buf, (size_t)got)) {
            log_errno("writing staged %s", it->path);
            set_reason(r, xstrdup("无法写入设备的暂存区（磁盘可能已满）。"));
            res = STAGE_IO;
            break;
        }
        left -= (uint64_t)got;
        *done += (uint64_t)got;
        int pct = total ? (int)(*done * 100 / total) : 100;
        if (progress && pct != last_pct)
            progress(ctx, pct);
        last_pct = pct;
    }
    free(buf);
    if (res == STAGE_OK && close(outfd) < 0) {
        log_errno("closing staged %s", it->path);
        set_reason(r, xstrdup("无法写入设备的暂存区（磁盘可能已满）。"));
        res = STAGE_IO;
    } else if (res != STAGE_OK) {
        close(outfd);
    }
    close(in);
    if (res != STAGE_OK)
        return res;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    if (it->want && sodium_memcmp(digest, it->want->sha256, sizeof digest) != 0) {
        set_reason(r, xasprintf("文件“%s”与签名清单不符（内容不同），可能被改动过。", it->path));
        return STAGE_DENIED;
    }
    /* Staff save the tables on the office PC just before; photos carry
     * whatever date the camera had, so they do not speak for the time. */
    bool time_txt = !strcmp(it->path, STAGE_TIME_TXT);
    if (it->folder == TOP && !time_txt && st.st_mtime > out->newest_mtime)
        out->newest_mtime = st.st_mtime;
    if (it->folder == TOP && !time_txt && out->nmtimes < STAGE_MAX_MTIMES)
        out->mtimes[out->nmtimes++] = st.st_mtime;
    out->bytes += it->size;
    if (time_txt) {
        out->time_txt = true;
    } else if (it->folder == MEDIA) {
        out->media = xrealloc(out->media, (out->nmedia + 1) * sizeof *out->media);
        out->media[out->nmedia++] = xstrdup(it->src);
    } else if (it->folder == POSTERS) {
        out->posters = xrealloc(out->posters, (out->nposters + 1) * sizeof *out->posters);
        out->posters[out->nposters++] = xstrdup(it->src);
    } else if (!strcmp(it->path, "feed.db")) {
        out->feed_db = true;
    } else if (!strncmp(it->path, BUNDLE_WORKBOOK_STEM ".", strlen(BUNDLE_WORKBOOK_STEM) + 1)) {
        out->workbook = true;
    } else {
        bool csv = !strcmp(strrchr(it->path, '.'), ".csv");
        for (int k = 0; k < KIND_COUNT; k++)
            if (!strncmp(it->path, kind_info((enum kind)k)->name, strlen(kind_info((enum kind)k)->name)) &&
                it->path[strlen(kind_info((enum kind)k)->name)] == '.')
                *(csv ? &out->csv_mask : &out->book_mask) |= 1u << k;
    }
    return STAGE_OK;
}

/* The staging folder of the import in progress, removed if an allocation
 * fails (util.c aborts then): a stick whose import ran out of memory left
 * 97 MB in staging/ until the next import.  One import a process. */
static const char *oom_dir;

static void remove_on_oom(void)
{
    if (oom_dir)
        stage_remove_tree(oom_dir);
}

enum stage_result stage_copy(int bundle_fd, const char *staging_root,
                             const struct manifest *m, struct report *r,
                             stage_progress_fn *progress, void *ctx, struct stage *out)
{
    *out = (struct stage){.dirfd = -1};
    struct copy_plan p = {0};
    enum stage_result res = plan_bundle(&p, bundle_fd, m, r);
    if (res != STAGE_OK)
        goto out;

    /* A listed file the stager would have read but did not find: someone
     * removed it, and an absent CSV would silently keep old content. */
    for (size_t i = 0; m && i < m->nentries; i++) {
        const char *path = m->entries[i].path;
        char *table = bundle_table_name(path);
        bool known = !strncmp(path, "media/", 6) || !strcmp(path, "feed.db") || posters_path(path) ||
                     (table && !strcmp(table, path));
        free(table);
        bool found = false;
        for (size_t j = 0; j < p.n && !found; j++)
            found = p.items[j].want == &m->entries[i];
        if (known && !found) {
            set_reason(r, xasprintf("签名清单中的文件“%s”在U盘上找不到或不是普通文件。", path));
            res = STAGE_DENIED;
            goto out;
        }
    }
    if (p.total > STAGE_MAX_TOTAL) {
        report_problem(r, "noticeboard: 文件总大小 %llu MB，超过上限 %llu MB，请删掉 media 文件夹中"
                          "用不到的文件，或把图片缩小后再导入",
                       /* rounded up: "2048 MB, over the 2048 MB cap" reads wrong */
                       (unsigned long long)((p.total + (1u << 20) - 1) >> 20),
                       (unsigned long long)(STAGE_MAX_TOTAL >> 20));
        res = STAGE_REJECTED;
        goto out;
    }
    for (size_t i = 0; i < p.n; i++) {
        const struct item *it = &p.items[i];
        const char *dot = strrchr(it->path, '.');
        uint64_t cap = it->folder != TOP ? MEDIA_MAX_BYTES * 4ull
                     : !strcmp(it->path, "feed.db") ? STAGE_MAX_FEED_DB
                     : dot && strcmp(dot, ".csv") ? XLSX_MAX_BYTES : CSV_MAX_BYTES;
        if (it->size > cap) {
            report_problem(r, "%s: 文件太大（%llu MB），最大 %llu MB", it->path,
                           (unsigned long long)(it->size >> 20), (unsigned long long)(cap >> 20));
            res = STAGE_REJECTED;
        }
    }
    if (res != STAGE_OK)
        goto out;

    if (!mkdir_p(staging_root, 0700)) {
        log_errno("creating %s", staging_root);
        set_reason(r, xstrdup("无法在设备上创建暂存区（磁盘可能已满或没有权限）。"));
        res = STAGE_IO;
        goto out;
    }
    /* Before the first byte is copied: a disk filled to the last block
     * halfway through 200 photos would stop the journal and the play log
     * too, and staff would learn it only after the long copy. */
    struct statvfs vfs;
    if (statvfs(staging_root, &vfs) == 0) {
        uint64_t need, avail;
        if (!stage_space_check(&vfs, p.total, &need, &avail)) {
            log_error("not enough space for staging: %llu bytes to copy need %llu free, "
                      "%llu available", (unsigned long long)p.total,
                      (unsigned long long)need, (unsigned long long)avail);
            set_reason(r, xasprintf("设备存储空间不足：导入这些文件（共 %llu MB）需要约 %llu MB "
                                    "可用空间，设备现在只有 %llu MB。请删掉 media 文件夹中用不到"
                                    "的照片，或把照片缩小后再导入；仍然不够时请联系管理员清理设备。",
                                    (unsigned long long)(p.total >> 20),
                                    (unsigned long long)((need + (1u << 20) - 1) >> 20),
                                    (unsigned long long)(avail >> 20)));
            res = STAGE_IO;
            goto out;
        }
    } else {
        /* Not knowing is no reason to refuse: a full disk still fails the
         * copy cleanly (STAGE_IO) and nothing changes. */
        log_warn("statvfs %s: %s; free space not checked", staging_root, strerror(errno));
    }
    out->dir = xasprintf("%s/%ld", staging_root, (long)getpid());
    stage_remove_tree(out->dir);    /* a leftover of an earlier process with our pid */
    int media_fd = -1;
    if (mkdir(out->dir, 0700) < 0 ||
        (out->dirfd = open(out->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
        mkdirat(out->dirfd, "media", 0700) < 0 ||
        (p.posters_src && mkdirat(out->dirfd, POSTERS_DIR, 0700) < 0)) {
        log_errno("creating staging folder %s", out->dir);
        set_reason(r, xstrdup("无法在设备上创建暂存区（磁盘可能已满或没有权限）。"));
        res = STAGE_IO;
        goto out;
    }
    /* Run as root in the service user's folder: a copy cut short by a
     * power cut must stay removable by the next import, run as that user
     * (the files inside go with the folders that hold them). */
    chown_like(out->dir, staging_root);
    for (int i = 0; i < 2; i++) {
        char *sub = xasprintf("%s/%s", out->dir, i ? POSTERS_DIR : "media");
        if (i == 0 || p.posters_src)
            chown_like(sub, staging_root);
        free(sub);
    }
    oom_dir = out->dir;
    xmalloc_on_failure(remove_on_oom);
    for (size_t i = 0; i < p.n && media_fd < 0; i++)
        if (p.items[i].folder == MEDIA) {
            media_fd = openat(bundle_fd, "media", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (media_fd < 0) {
                /* The folder may be spelled MEDIA: find the planned name again. */
                DIR *d = fdopendir(openat(bundle_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
                struct dirent *e;
                while (d && media_fd < 0 && (e = readdir(d)))
                    if (!strcasecmp(e->d_name, "media"))
                        media_fd = openat(bundle_fd, e->d_name,
                                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (d)
                    closedir(d);
            }
            if (media_fd < 0) {
                log_errno("opening media folder on the stick");
                set_reason(r, xstrdup("无法打开U盘上的 media 文件夹，请检查U盘后重试。"));
                res = STAGE_IO;
                goto out;
            }
        }
    int posters_fd = -1;
    if (p.posters_src) {
        posters_fd = openat(bundle_fd, p.posters_src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (posters_fd < 0) {
            log_errno("opening the posters folder on the stick");
            set_reason(r, xasprintf("无法打开U盘上的 %s 文件夹，请检查U盘后重试。", p.posters_src));
            res = STAGE_IO;
        }
    }
    uint64_t done = 0;
    for (size_t i = 0; i < p.n && res == STAGE_OK; i++)
        res = copy_one(&p.items[i], bundle_fd, media_fd, posters_fd, out->dirfd, out, r, &done,
                       p.total, progress, ctx);
    if (media_fd >= 0)
        close(media_fd);
    if (posters_fd >= 0)
        close(posters_fd);
    if (res == STAGE_OK && p.posters_src) {
        out->posters_dir = true;
        out->posters_src = xstrdup(p.posters_src);
        posters_sort(out->posters, out->nposters);
    }
out:
    plan_free(&p);
    if (res != STAGE_OK)
        stage_destroy(out);
    return res;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

bool stage_space_check(const struct statvfs *vfs, uint64_t total, uint64_t *need,
                       uint64_t *avail)
{
    uint64_t frsize = vfs->f_frsize ? vfs->f_frsize : vfs->f_bsize;
    uint64_t blocks = vfs->f_bavail;
    *avail = frsize && blocks > UINT64_MAX / frsize ? UINT64_MAX : blocks * frsize;
    /* The reserve is a twentieth of a small filesystem (a 64 MB data
     * partition would otherwise never take anything), STAGE_RESERVE of a
     * large one, and STAGE_RESERVE when the size is not reported. */
    uint64_t size = frsize && vfs->f_blocks > UINT64_MAX / frsize ? UINT64_MAX
                                                                  : vfs->f_blocks * frsize;
    uint64_t reserve = size && size / 20 < STAGE_RESERVE ? size / 20 : STAGE_RESERVE;
    *need = sat_add(sat_add(total, total / 2), reserve);
    return *avail >= *need;
}

void stage_destroy(struct stage *s)
{
    if (s->dir && s->dir == oom_dir) {
        xmalloc_on_failure(NULL);
        oom_dir = NULL;
    }
    if (s->dirfd >= 0)
        close(s->dirfd);
    if (s->dir)
        stage_remove_tree(s->dir);
    free(s->dir);
    for (size_t i = 0; i < s->nmedia; i++)
        free(s->media[i]);
    free(s->media);
    for (size_t i = 0; i < s->nposters; i++)
        free(s->posters[i]);
    free(s->posters);
    free(s->posters_src);
    *s = (struct stage){.dirfd = -1};
}

static bool remove_at(int dfd, const char *name)
{
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dfd, name, 0) == 0 || errno == ENOENT;
    int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = sub >= 0 ? fdopendir(sub) : NULL;
    if (!d) {
        if (sub >= 0)
            close(sub);
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            ok = remove_at(dirfd(d), e->d_name) && ok;
    closedir(d);
    return unlinkat(dfd, name, AT_REMOVEDIR) == 0 && ok;
}

bool stage_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path);
}
