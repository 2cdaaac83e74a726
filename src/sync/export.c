/* export.c — `noticeboard-sync export [--csv] [--data DIR] DEST`: the live
 * feed written back as what staff edit — 内容.xlsx, or with --csv one CSV
 * per kind — in the forms the importer reads, so it round-trips; its media
 * under the names staff gave them; and a copy of the play log. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/content.h"
#include "core/csv.h"
#include "core/feed.h"
#include "core/image.h"
#include "core/kinds.h"
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/args.h"
#include "sync/bundle.h"
#include "sync/commands.h"
#include "sync/guide.h"
#include "sync/media.h"
#include "sync/stickw.h"
#include "sync/xlsxw.h"

#define BOM "\xEF\xBB\xBF"
#define PLAYLOG_MAX_FILE (64u << 20)

static const char usage_text[] =
    "usage: noticeboard-sync export [--csv] [--data DIR] DEST\n"
    "Writes the current content as an editable bundle to DEST/noticeboard/\n"
    "(" GUIDE_WORKBOOK ", or with --csv one CSV file per kind; media/ with the\n"
    "images under the names they were imported as) and the play log to\n"
    "DEST/noticeboard/playlog/.\n";

/* ---------------------------------------------------------------- files */

/* Where a write to the stick failed: the name as staff see it, and errno
 * (the first failure only; export stops there). */
struct fail {
    char *what;
    int err;
};

static void failed(struct fail *f, const char *what)
{
    if (f->what)
        return;
    f->err = errno;
    f->what = xstrdup(what);
    log_errno("export: write %s", what);
}

/* Every file goes through stickw: never through a link on the stick. */
static bool put_file(int dfd, const char *name, const void *data, size_t len, struct fail *f,
                     const char *shown)
{
    if (stickw_replace(dfd, name, data, len))
        return true;
    char *what = xasprintf("%s%s", shown, name);
    failed(f, what);
    free(what);
    return false;
}

/* ---------------------------------------------------------------- media */

/* Media referenced by the content: the feed's name (its content hash) and
 * the file name it gets on the stick, which is the name staff gave it. */
struct names {
    const char **v;         /* borrowed from the content */
    char **file;            /* malloc'd; NULL until exported */
    size_t n, cap, fcap;
};

static void names_add(struct names *s, const char *name)
{
    if (!name || !*name)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], name))
            return;
    xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
    xgrow(&s->file, &s->fcap, s->n + 1, sizeof *s->file);
    s->file[s->n] = NULL;
    s->v[s->n++] = name;
}

/* The file the cells name for media name n (xlsxw_media callback). */
static const char *names_file(void *ctx, const char *n)
{
    const struct names *s = ctx;
    for (size_t i = 0; n && i < s->n; i++)
        if (!strcmp(s->v[i], n))
            return s->file[i];
    return NULL;
}

static void names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->file[i]);
    free(s->file);
    free(s->v);
}

static void collect_media(const struct feed_content *c, struct names *m)
{
    for (size_t i = 0; i < c->nann; i++)
        names_add(m, c->ann[i].image);
    for (size_t i = 0; i < c->nrolls; i++)
        for (size_t j = 0; j < c->rolls[i].nentries; j++)
            names_add(m, c->rolls[i].entries[j].photo);
    names_add(m, c->logo);
    for (size_t i = 0; i < c->nsettings; i++)
        if (!strcmp(c->settings[i].key, "logo"))
            names_add(m, c->settings[i].value);
}

static bool taken(const struct names *s, size_t upto, const char *file)
{
    /* FAT sticks and Windows do not tell A.jpg from a.jpg. */
    for (size_t i = 0; i < upto; i++)
        if (s->file[i] && !strcasecmp(s->file[i], file))
            return true;
    return false;
}

/* The file name for media i: the name staff gave it (feed v2), with the
 * extension of what is stored (the importer may have turned a PNG into a
 * JPEG), else the stored name plus that extension; made unique on the
 * stick ("王五 (2).jpg") when two stored images came from one file (a
 * poster and an honor photo sized differently) or from two files that
 * differ only in case. */
static char *file_name(struct feed *f, const struct names *s, size_t i, const char *ext)
{
    const char *n = s->v[i];
    char *given = feed_media_file(f, n);
    if (given && !media_name_ok(given)) {
        log_warn("export: media file name '%s' is not a plain file name; using %s", given, n);
        free(given);
        given = NULL;
    }
    const char *base = given ? given : n;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") ||
                                         !strcasecmp(dot, ".png"))
                      ? (size_t)(dot - base) : strlen(base);
    /* Keep the staff's own spelling (.JPG, .jpeg) when it names the type. */
    bool same = dot && base + stem == dot &&
                (!strcasecmp(ext, ".png") ? !strcasecmp(dot, ".png") : strcasecmp(dot, ".png"));
    char *file = same ? xstrdup(base) : xasprintf("%.*s%s", (int)stem, base, ext);
    for (int k = 2; taken(s, i, file) && k < 10000; k++) {
        free(file);
        file = same ? xasprintf("%.*s (%d)%s", (int)stem, base, k, dot)
                    : xasprintf("%.*s (%d)%s", (int)stem, base, k, ext);
    }
    free(given);
    return file;
}

static bool export_media(struct feed *f, int mdir, struct names *names, struct fail *fl)
{
    for (size_t i = 0; i < names->n; i++) {
        const char *n = names->v[i];
        void *data;
        size_t len;
        int w, h;
        if (!media_name_ok(n)) {
            log_warn("export: media name '%s' is not a plain file name; skipped", n);
            continue;
        }
        if (!feed_media(f, n, &data, &len, &w, &h)) {
            log_warn("export: media '%s' is referenced but not in the feed", n);
            continue;
        }
        const char *ext = image_ext(image_sniff(data, len));
        names->file[i] = file_name(f, names, i, ext);
        bool ok = put_file(mdir, names->file[i], data, len, fl, "noticeboard/media/");
        free(data);
        if (!ok)
            return false;
    }
    return true;
}

/* Copies the regular files of src (the box's play log, recursively) into
 * the folder `name` of the stick folder parent; shown is its name for
 * messages ("noticeboard/playlog"). */
static bool copy_tree(const char *src, int parent, const char *name, const char *shown,
                      size_t *count, struct fail *fl)
{
    DIR *d = opendir(src);
    if (!d) {
        if (errno == ENOENT)
            return true;
        log_errno("export: opendir %s", src);
        fl->err = EIO;
        fl->what = xstrdup(shown);
        return false;
    }
    int dst = stickw_dir(parent, name, true);
    bool ok = dst >= 0;
    if (!ok)
        failed(fl, shown);
    struct dirent *de;
    while (ok && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *s = xasprintf("%s/%s", src, de->d_name);
        char *t = xasprintf("%s/%s", shown, de->d_name);
        struct stat sb;
        if (lstat(s, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            ok = copy_tree(s, dst, de->d_name, t, count, fl);
        } else if (lstat(s, &sb) == 0 && S_ISREG(sb.st_mode)) {
            size_t len;
            char *data = read_file(s, PLAYLOG_MAX_FILE, &len);
            if (!data) {
                log_errno("export: read %s", s);
                fl->err = EIO;
                fl->what = xstrdup(t);
                ok = false;
            } else {
                ok = stickw_replace(dst, de->d_name, data, len);
                if (!ok)
                    failed(fl, t);
                else
                    (*count)++;
                free(data);
            }
        }
        free(s);
        free(t);
    }
    closedir(d);
    if (dst >= 0)
        close(dst);
    return ok;
}

/* ---------------------------------------------------------------- sheets */

/* One CSV per kind (UTF-8 with BOM, CRLF, Chinese headers), its cells as
 * the workbook's; cells a spreadsheet would run are escaped (csv.h). */
static bool write_csvs(int dir, struct fail *fl, const struct feed_content *c,
                       const struct xlsxw_media *m)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        struct sbuf b = {0};
        const char *header[KIND_MAX_COLS];
        for (size_t i = 0; i < ki->ncols; i++)
            header[i] = ki->cols[i].zh;
        sbuf_adds(&b, BOM);
        csv_write_row(&b, header, ki->ncols);
        size_t n = kind_rows(c, (enum kind)k);
        for (size_t row = 0; row < n; row++) {
            char *cells[KIND_MAX_COLS];
            if (!xlsxw_row_text(c, (enum kind)k, row, m, cells))
                continue;
            csv_write_row(&b, (const char *const *)cells, ki->ncols);
            for (size_t i = 0; i < ki->ncols; i++)
                free(cells[i]);
        }
        bool ok = put_file(dir, bundle_file_name((enum kind)k), b.s, b.len, fl, "noticeboard/");
        sbuf_free(&b);
        if (!ok)
            return false;
    }
    return true;
}

static bool write_workbook(int dir, struct fail *fl, const struct feed_content *c,
                           const struct xlsxw_media *m)
{
    size_t len;
    char *why = NULL;
    void *data = xlsxw_content(c, m, now_civil(NULL) / WHEN_MIN_PER_DAY, &len, &why);
    if (!data) {
        log_error("export: %s", why);
        free(why);
        fl->err = EIO;
        fl->what = xstrdup("noticeboard/" GUIDE_WORKBOOK);
        return false;
    }
    bool ok = put_file(dir, GUIDE_WORKBOOK, data, len, fl, "noticeboard/");
    free(data);
    return ok;
}

/* Files on DEST that would clash with what was written at the next import
 * (a kind both in the workbook and in a CSV, or a feed.db beside sheets). */
static void warn_leftovers(int dfd, const char *dir, bool csv)
{
    struct sbuf b = {0};
    struct stat sb;
    for (int k = 0; k < KIND_COUNT && !csv; k++)
        if (fstatat(dfd, bundle_file_name((enum kind)k), &sb, AT_SYMLINK_NOFOLLOW) == 0)
            sbuf_addf(&b, "%s%s", b.len ? "、" : "", bundle_file_name((enum kind)k));
    if (b.len)
        printf("注意：U盘上还有以前的 %s；导入时同一类内容不能既在 %s 里又有 CSV 文件，"
               "请删除这些 CSV 文件后再导入。\n", b.s, GUIDE_WORKBOOK);
    sbuf_free(&b);
    if (csv && fstatat(dfd, GUIDE_WORKBOOK, &sb, AT_SYMLINK_NOFOLLOW) == 0)
        printf("注意：U盘上还有以前的 %s；导入时同一类内容不能既在 %s 里又有 CSV 文件，"
               "请删除 %s 后再导入。\n", GUIDE_WORKBOOK, GUIDE_WORKBOOK, GUIDE_WORKBOOK);
    if (fstatat(dfd, "feed.db", &sb, AT_SYMLINK_NOFOLLOW) == 0)
        printf("注意：%s/feed.db 也在U盘上；导入时它和表格不能同时存在，请删除它后再导入。\n", dir);
}

/* ---------------------------------------------------------------- main */

int export_main(int argc, char **argv)
{
    struct sync_args args;
    switch (args_parse(argc, argv, ARGS_CSV, 1, usage_text, &args)) {
    case ARGS_OK: break;
    case ARGS_HELP: return 0;
    case ARGS_BAD: return 2;
    }
    const char *data = args.data, *dest = args.pos[0];

    struct store st;
    if (!store_init(&st, data, false)) {
        log_errno("export: data folder %s", data);
        fprintf(stderr, "无法打开本设备的数据文件夹 %s\n", data);
        return 4;
    }
    int status = 0;
    char *why = NULL, *dir = NULL, *plog = NULL;
    int bfd = -1, mfd = -1;
    struct fail fl = {0};
    struct feed_content *c = NULL;
    struct names media = {0};
    struct feed *f = feed_open(st.feed, &why);
    if (!f) {
        log_error("export: %s: %s", st.feed, why ? why : "cannot open");
        fprintf(stderr, "本设备还没有可以导出的内容（尚未导入过，或内容文件无法读取）\n");
        status = 1;
        goto out;
    }
    c = feed_load(f);
    if (!c) {
        fprintf(stderr, "读取本设备的内容时出错，无法导出\n");
        status = 4;
        goto out;
    }
    dir = xasprintf("%s/noticeboard", dest);
    bfd = stickw_bundle_dir(dest, true);
    if (bfd < 0) {
        failed(&fl, "noticeboard");
        status = 4;
        goto io;
    }
    mfd = stickw_dir(bfd, "media", true);
    if (mfd < 0) {
        failed(&fl, "noticeboard/media");
        status = 4;
        goto io;
    }
    /* Media first: the cells name the files as written. */
    collect_media(c, &media);
    struct xlsxw_media xm = {names_file, &media};
    if (!export_media(f, mfd, &media, &fl) ||
        !(args.csv ? write_csvs(bfd, &fl, c, &xm) : write_workbook(bfd, &fl, c, &xm))) {
        status = 4;
        goto io;
    }
    plog = xstrdup(st.playlog);
    size_t nlog = 0;
    if (!copy_tree(plog, bfd, "playlog", "noticeboard/playlog", &nlog, &fl)) {
        status = 4;
        goto io;
    }
    size_t nhon = 0;
    for (size_t i = 0; i < c->nrolls; i++)
        nhon += c->rolls[i].nentries;
    printf("已导出到 %s（%s）：%zu条公告、%zu项活动、%zu位表彰、%zu条滚动消息、%zu天节假日、%zu张图片",
           dir, args.csv ? "CSV 文件" : GUIDE_WORKBOOK, c->nann, c->nevents, nhon, c->nticker,
           c->nholidays, media.n);
    if (nlog)
        printf("，播放记录 %zu 个文件", nlog);
    printf("。\n");
    warn_leftovers(bfd, dir, args.csv);
    goto out;
io:;
    char *msg = stickw_why(fl.what ? fl.what : dest, fl.what ? fl.err : EIO);
    fprintf(stderr, "%s（%s）\n", msg, dest);
    free(msg);
out:
    if (mfd >= 0)
        close(mfd);
    if (bfd >= 0)
        close(bfd);
    free(fl.what);
    names_free(&media);
    content_destroy(c);
    feed_close(f);
    free(why);
    free(dir);
    free(plog);
    store_fini(&st);
    return status;
}
