/* export.c — `noticeboard-sync export [--data DIR] DEST`: the live feed
 * written back as an editable bundle (CSV in the forms the importer reads,
 * so it round-trips, plus its media) and a copy of the play log. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/content.h"
#include "core/csv.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/args.h"
#include "sync/commands.h"
#include "sync/stickw.h"

#define BOM "\xEF\xBB\xBF"
#define PLAYLOG_MAX_FILE (64u << 20)

static const char usage_text[] =
    "usage: noticeboard-sync export [--data DIR] DEST\n"
    "Writes the current content as an editable bundle to DEST/noticeboard/\n"
    "(CSV files, media/) and the play log to DEST/noticeboard/playlog/.\n";

/* ---------------------------------------------------------------- cell forms */

/* A start as staff would type it: a bare date when it is midnight. */
static void fmt_start(int64_t t, char buf[17])
{
    if (t == WHEN_ALWAYS)
        buf[0] = '\0';
    else if (t % WHEN_MIN_PER_DAY == 0)
        when_format_date(t / WHEN_MIN_PER_DAY, buf);
    else
        when_format(t, buf);
}

/* An end: the importer makes a bare end date include its whole day, so an
 * end at midnight is written as the day before, without a time. */
static void fmt_end(int64_t t, char buf[17])
{
    if (t == WHEN_NEVER)
        buf[0] = '\0';
    else if (t % WHEN_MIN_PER_DAY == 0)
        when_format_date(t / WHEN_MIN_PER_DAY - 1, buf);
    else
        when_format(t, buf);
}

static char *fmt_days(uint16_t mask)
{
    if ((mask & DAYS_ALL) == DAYS_ALL || mask == 0)
        return xstrdup("每天");
    if (mask & DAYS_WORKDAY)
        return xstrdup("工作日");
    if (mask & DAYS_WEEKEND)
        return xstrdup("周末");
    static const char *const names[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    struct sbuf b = {0};
    for (int i = 0; i < 7; i++)
        if (mask & (1u << i)) {
            if (b.len)
                sbuf_adds(&b, "、");
            sbuf_adds(&b, names[i]);
        }
    return sbuf_take(&b);
}

static const char *fmt_priority(enum priority p)
{
    return p == PRIO_URGENT ? "紧急" : p == PRIO_HIGH ? "重要" : "普通";
}

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

static void csv_begin(struct sbuf *b, const char *const *header, size_t n)
{
    sbuf_adds(b, BOM);
    csv_write_row(b, header, n);
}

/* A media name from the feed as a single safe file name in media/ (a feed
 * may come from a stick as feed.db, so it is checked like any input). */
static bool media_name_ok(const char *n)
{
    return n && *n && n[0] != '.' && !strchr(n, '/') && !strchr(n, '\\') &&
           utf8_valid(n, strlen(n), NULL);
}

/* Media referenced by the content: the feed's name and the file name it
 * gets on the stick.  The importer stores media under their content hash,
 * without an extension; staff (and Windows) need one to open the file. */
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

/* The file name to write in a CSV cell for media name n. */
static const char *names_file(const struct names *s, const char *n)
{
    if (!n)
        return "";
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], n))
            return s->file[i] ? s->file[i] : n;
    return n;
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

static bool export_media(struct feed *f, int mdir, struct names *names, struct fail *fl)
{
    for (size_t i = 0; i < names->n; i++) {
        const char *n = names->v[i];
        if (!media_name_ok(n)) {
            log_warn("export: media name '%s' is not a plain file name; skipped", n);
            continue;
        }
        void *data;
        size_t len;
        int w, h;
        if (!feed_media(f, n, &data, &len, &w, &h)) {
            log_warn("export: media '%s' is referenced but not in the feed", n);
            continue;
        }
        const unsigned char *b = data;
        const char *ext = len >= 2 && b[0] == 0xFF && b[1] == 0xD8 ? ".jpg"
                        : len >= 4 && b[0] == 0x89 && b[1] == 'P' ? ".png" : "";
        const char *dot = strrchr(n, '.');
        names->file[i] = dot && dot != n ? xstrdup(n) : xasprintf("%s%s", n, ext);
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

/* ---------------------------------------------------------------- kinds */

static bool write_announcements(int dir, struct fail *fl, const struct feed_content *c,
                                const struct names *media)
{
    static const char *const header[] = {"标题", "内容", "图片", "开始", "结束",
                                         "星期", "时段", "时长", "级别"};
    struct sbuf b = {0};
    csv_begin(&b, header, ARRAY_LEN(header));
    for (size_t i = 0; i < c->nann; i++) {
        const struct nb_announcement *a = &c->ann[i];
        char s[17], e[17], dur[16];
        fmt_start(a->start, s);
        fmt_end(a->end, e);
        snprintf(dur, sizeof dur, "%d", a->duration);
        char *days = fmt_days(a->days);
        char *hours = when_format_hours(a->hours, a->nhours);
        const char *row[] = {a->title, a->body, names_file(media, a->image), s, e,
                             days, hours, dur, fmt_priority(a->priority)};
        csv_write_row(&b, row, ARRAY_LEN(row));
        free(days);
        free(hours);
    }
    bool ok = put_file(dir, "announcements.csv", b.s, b.len, fl, "noticeboard/");
    sbuf_free(&b);
    return ok;
}

static bool write_events(int dir, struct fail *fl, const struct feed_content *c)
{
    static const char *const header[] = {"日期", "活动", "开始时间", "结束时间",
                                         "地点", "主办", "备注"};
    struct sbuf b = {0};
    csv_begin(&b, header, ARRAY_LEN(header));
    for (size_t i = 0; i < c->nevents; i++) {
        const struct nb_event *ev = &c->events[i];
        char d[11], s[6], e[6];
        when_format_date(ev->day, d);
        when_format_clock(ev->start, s);
        when_format_clock(ev->end, e);
        const char *row[] = {d, ev->title, s, e, ev->place, ev->organizer, ev->note};
        csv_write_row(&b, row, ARRAY_LEN(row));
    }
    bool ok = put_file(dir, "events.csv", b.s, b.len, fl, "noticeboard/");
    sbuf_free(&b);
    return ok;
}

static bool write_honors(int dir, struct fail *fl, const struct feed_content *c,
                         const struct names *media)
{
    static const char *const header[] = {"榜单", "姓名", "荣誉", "单位", "年度",
                                         "照片", "开始", "结束"};
    struct sbuf b = {0};
    csv_begin(&b, header, ARRAY_LEN(header));
    for (size_t i = 0; i < c->nrolls; i++) {
        const struct nb_roll *r = &c->rolls[i];
        char s[17], e[17];
        fmt_start(r->start, s);
        fmt_end(r->end, e);
        /* A roll is its rows: the roll's period is repeated on each. */
        for (size_t j = 0; j < r->nentries; j++) {
            const struct nb_honor *h = &r->entries[j];
            const char *row[] = {r->name, h->name, h->honor, h->unit, h->year,
                                 names_file(media, h->photo), s, e};
            csv_write_row(&b, row, ARRAY_LEN(row));
        }
    }
    bool ok = put_file(dir, "honors.csv", b.s, b.len, fl, "noticeboard/");
    sbuf_free(&b);
    return ok;
}

static bool write_ticker(int dir, struct fail *fl, const struct feed_content *c)
{
    static const char *const header[] = {"内容", "开始", "结束"};
    struct sbuf b = {0};
    csv_begin(&b, header, ARRAY_LEN(header));
    for (size_t i = 0; i < c->nticker; i++) {
        char s[17], e[17];
        fmt_start(c->ticker[i].start, s);
        fmt_end(c->ticker[i].end, e);
        const char *row[] = {c->ticker[i].text, s, e};
        csv_write_row(&b, row, ARRAY_LEN(row));
    }
    bool ok = put_file(dir, "ticker.csv", b.s, b.len, fl, "noticeboard/");
    sbuf_free(&b);
    return ok;
}

static bool write_holidays(int dir, struct fail *fl, const struct feed_content *c)
{
    static const char *const header[] = {"日期", "类型", "名称"};
    struct sbuf b = {0};
    csv_begin(&b, header, ARRAY_LEN(header));
    for (size_t i = 0; i < c->nholidays; i++) {
        char d[11];
        when_format_date(c->holidays[i].day, d);
        const char *row[] = {d, c->holidays[i].workday ? "班" : "休", c->holidays[i].name};
        csv_write_row(&b, row, ARRAY_LEN(row));
    }
    bool ok = put_file(dir, "holidays.csv", b.s, b.len, fl, "noticeboard/");
    sbuf_free(&b);
    return ok;
}

static bool write_settings(int dir, struct fail *fl, const struct feed_content *c,
                           const struct names *media)
{
    static const char *const header[] = {"项目", "值"};
    struct sbuf b = {0};
    csv_begin(&b, header, ARRAY_LEN(header));
    bool org = false, logo = false;
    for (size_t i = 0; i < c->nsettings; i++) {
        const char *k = c->settings[i].key, *v = c->settings[i].value;
        /* Written under their Chinese names, as staff know them. */
        if (!strcmp(k, "org_name")) {
            k = "单位名称";
            org = true;
        } else if (!strcmp(k, "logo")) {
            k = "标志";
            logo = true;
            v = names_file(media, v);
        }
        const char *row[] = {k, v};
        csv_write_row(&b, row, 2);
    }
    if (!org && c->org_name && *c->org_name) {
        const char *row[] = {"单位名称", c->org_name};
        csv_write_row(&b, row, 2);
    }
    if (!logo && c->logo && *c->logo) {
        const char *row[] = {"标志", names_file(media, c->logo)};
        csv_write_row(&b, row, 2);
    }
    bool ok = put_file(dir, "settings.csv", b.s, b.len, fl, "noticeboard/");
    sbuf_free(&b);
    return ok;
}

/* ---------------------------------------------------------------- main */

int export_main(int argc, char **argv)
{
    struct sync_args args;
    switch (args_parse(argc, argv, 0, 1, usage_text, &args)) {
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
    /* Media first: the CSV cells name the files as written. */
    collect_media(c, &media);
    if (!export_media(f, mfd, &media, &fl) || !write_announcements(bfd, &fl, c, &media) ||
        !write_events(bfd, &fl, c) || !write_honors(bfd, &fl, c, &media) ||
        !write_ticker(bfd, &fl, c) || !write_holidays(bfd, &fl, c) ||
        !write_settings(bfd, &fl, c, &media)) {
        status = 4;
        goto io;
    }
    plog = xasprintf("%s/playlog", st.dir);
    size_t nlog = 0;
    if (!copy_tree(plog, bfd, "playlog", "noticeboard/playlog", &nlog, &fl)) {
        status = 4;
        goto io;
    }
    size_t nhon = 0;
    for (size_t i = 0; i < c->nrolls; i++)
        nhon += c->rolls[i].nentries;
    printf("已导出到 %s：%zu条公告、%zu项活动、%zu位表彰、%zu条滚动消息、%zu天节假日、%zu张图片",
           dir, c->nann, c->nevents, nhon, c->nticker, c->nholidays, media.n);
    if (nlog)
        printf("，播放记录 %zu 个文件", nlog);
    printf("。\n");
    struct stat sb;
    if (fstatat(bfd, "feed.db", &sb, AT_SYMLINK_NOFOLLOW) == 0)
        printf("注意：%s/feed.db 也在U盘上；导入时它和表格不能同时存在，请删除它后再导入。\n", dir);
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
