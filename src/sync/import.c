/* import.c — the import pipeline, in the order docs/promises.md gives:
 * authorize, stage once, validate, prepare media, build the feed in
 * staging, activate by rename (store.c), report to the stick and the screen. */
#include "sync/import.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/glyphs.h"
#include "core/feed.h"
#include "core/image.h"
#include "core/log.h"
#include "core/now.h"
#include "core/plan.h"
#include "core/schedule.h"
#include "core/sha256.h"
#include "core/store.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/bundle.h"
#include "sync/media.h"
#include "sync/pdf.h"
#include "sync/posters.h"
#include "sync/preview.h"
#include "sync/report.h"
#include "sync/stage.h"
#include "sync/stickclock.h"
#include "sync/stickw.h"
#include "sync/trust.h"

/* Downscale bounds: the largest screen for posters and the logo, a card
 * for honor photos. */
#define BIG_W 3840
#define BIG_H 2160
#define PHOTO_W 800
#define PHOTO_H 800

/* PDF notices: each page rendered to fit PDF_BOX × PDF_BOX (a 4K screen's
 * height for an A4 page's long side; smaller screens scale it down), and at
 * most PDF_IMPORT_PAGES pages from all PDFs of one import (time on a slow
 * box, and slides in the loop). */
#define PDF_BOX 2160
#define PDF_IMPORT_PAGES 200

/* For staff when the data folder cannot be used (the log says why). */
#define DATA_DENIED "设备的数据文件夹权限不对，请联系安装人员。"
#define DATA_FAILED "无法使用设备的数据文件夹，请联系安装人员。"

struct media_map {
    char *src;              /* name as the content referred to it */
    bool photo;             /* bound used */
    char *name;             /* stored name, NULL when the image was bad */
};

struct imp {
    const struct import_opts *o;
    struct config cfg;
    struct store st;
    bool st_ok;
    bool authorized;        /* the stick passed trust_check */
    int lock_fd, bundle_fd;
    struct report r;
    struct stage stage;
    struct manifest *manifest;
    struct feed *live, *staged_feed;
    struct feed_content *content;
    struct feed_writer *w;
    struct media_map *map;
    size_t nmap;
    char **added;           /* media names already in the writer */
    size_t nadded;
    bool tty;
    int last_pct;
    enum syncstate_stage shown;     /* the stage of the last progress shown */
    void *png;              /* the picture of the pages (preview.h), or NULL */
    size_t png_len;
    struct stickclock clock;        /* what the stick's time does (stickclock.h) */
    size_t pdf_pages;       /* PDF pages stored so far (PDF_IMPORT_PAGES) */
};

/* ---------------------------------------------------------------- progress */

/* What the terminal says at each stage. */
static const char *phase_text(const struct imp *x, enum syncstate_stage stage)
{
    if (stage == SYNCSTATE_STAGE_DONE)
        return x->o->dry_run ? "检查完成" : "完成";
    return stage == SYNCSTATE_STAGE_NONE ? "" : syncstate_stage_cn(stage);
}

/* Progress goes to the terminal (a bar on a TTY, plain lines otherwise)
 * and, as a busy sync state (syncstate.h), to the player's 正在更新内容… */
static void progress(struct imp *x, int pct, enum syncstate_stage stage)
{
    if (pct < x->last_pct)
        pct = x->last_pct;
    bool new_phase = stage != x->shown;
    if (!new_phase && pct == x->last_pct)
        return;
    const char *phase = phase_text(x, stage);
    if (x->tty) {
        int fill = pct / 5;
        fprintf(stderr, "\r[%.*s%.*s] %3d%% %s\033[K", fill, "####################", 20 - fill,
                "--------------------", pct, phase);
        fflush(stderr);
    } else if (new_phase) {
        fprintf(stderr, "%3d%% %s\n", pct, phase);
    }
    /* Every 10% is enough for the screen and spares the SD card; and the
     * moment the copy begins, from when the stick must stay in. */
    bool copy_begins = new_phase && stage == SYNCSTATE_STAGE_COPY;
    if (x->st_ok && (pct / 10 != x->last_pct / 10 || x->last_pct < 0 || copy_begins)) {
        struct syncstate st = {.result = SYNCSTATE_BUSY, .percent = pct, .stage = stage};
        char *sum = xasprintf("正在更新内容… %d%%", pct);
        syncstate_set_summary(&st, sum);
        free(sum);
        syncstate_write(&x->st, &st);
    }
    x->last_pct = pct;
    x->shown = stage;
}

static void stage_progress(void *ctx, int pct)
{
    struct imp *x = ctx;
    progress(x, pct * 60 / 100, SYNCSTATE_STAGE_COPY);
}

/* ---------------------------------------------------------------- media */

static const char *mime_of(const unsigned char *d, size_t n)
{
    return image_mime(image_sniff(d, n));
}

static bool already_added(struct imp *x, const char *name)
{
    for (size_t i = 0; i < x->nadded; i++)
        if (!strcmp(x->added[i], name))
            return true;
    x->added = xrealloc(x->added, (x->nadded + 1) * sizeof *x->added);
    x->added[x->nadded++] = xstrdup(name);
    return false;
}

/* Reads a staged media file (private staging, ours). */
static void *read_staged_media(struct imp *x, const char *name, size_t *len)
{
    char *path = xasprintf("%s/media/%s", x->stage.dir, name);
    void *data = read_file(path, (size_t)MEDIA_MAX_BYTES * 4, len);
    if (!data)
        log_errno("reading staged media %s", path);
    free(path);
    return data;
}

/* Copies a blob of the live feed into the new one unchanged (it was
 * checked when it came in).  Returns the name or NULL if it is gone. */
static const char *keep_live(struct imp *x, const char *name, bool *io)
{
    for (size_t i = 0; i < x->nadded; i++)
        if (!strcmp(x->added[i], name))
            return name;
    void *data = NULL;
    size_t len = 0;
    int wd = 0, ht = 0;
    if (!x->live || !feed_media(x->live, name, &data, &len, &wd, &ht)) {
        log_warn("live feed lacks media %s; dropping the reference", name);
        return NULL;
    }
    char hex[65];
    sha256_hex(data, len, hex);
    already_added(x, name);
    char *file = feed_media_file(x->live, name);   /* NULL from a v1 feed */
    if (!feed_writer_media(x->w, name, media_name_ok(file) ? file : NULL, hex, wd, ht,
                           mime_of(data, len), data, len))
        *io = true;
    free(file);
    free(data);
    return name;
}

/* Prepares an image from the stick (or a staged feed.db): decoded, checked,
 * downscaled, stored under its sha256 with the file name staff gave it
 * (for export).  A bad image is a warning and the row keeps no image
 * (docs/bundle.md: a bad image is skipped). */
static const char *prepare(struct imp *x, const char *src, bool photo, const char *file,
                           bool *io)
{
    for (size_t i = 0; i < x->nmap; i++)
        if (x->map[i].photo == photo && !strcmp(x->map[i].src, src))
            return x->map[i].name;
    void *data = NULL;
    size_t len = 0;
    int wd, ht;
    char *given = NULL;                 /* the name staff gave the file */
    if (x->staged_feed) {
        if (!feed_media(x->staged_feed, src, &data, &len, &wd, &ht))
            data = NULL;
        given = feed_media_file(x->staged_feed, src);
        if (!media_name_ok(given)) {
            free(given);
            given = NULL;
        }
    } else {
        data = read_staged_media(x, src, &len);
    }
    char *name = NULL;
    if (!data) {
        report_warning(&x->r, "%s: 图片“%s”无法读取，已跳过（这条内容将不显示图片）", file, src);
    } else {
        struct media_out out = {0};
        char *why = NULL;
        if (media_prepare(data, len, photo ? PHOTO_W : BIG_W, photo ? PHOTO_H : BIG_H, &out,
                          &why)) {
            name = xstrdup(out.sha256);
            if (!already_added(x, name) &&
                !feed_writer_media(x->w, name, given ? given : src, out.sha256, out.width,
                                   out.height, out.mime, out.data, out.len))
                *io = true;
            media_out_free(&out);
        } else {
            report_warning(&x->r, "%s: 图片“%s”无法使用（%s），已跳过（这条内容将不显示图片）",
                           file, src, why ? why : "格式不对或文件已损坏");
        }
        free(why);
        free(data);
    }
    free(given);
    x->map = xrealloc(x->map, (x->nmap + 1) * sizeof *x->map);
    x->map[x->nmap++] = (struct media_map){xstrdup(src), photo, name};
    return name;
}

/* Rewrites one media reference in place to its stored name (or NULL). */
static void fix_ref(struct imp *x, char **ref, bool fresh, bool photo, const char *file, bool *io)
{
    if (!*ref)
        return;
    const char *n = fresh ? prepare(x, *ref, photo, file, io) : keep_live(x, *ref, io);
    char *copy = n ? xstrdup(n) : NULL;
    free(*ref);
    *ref = copy;
}

static bool has_pdf_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcasecmp(name + n - 4, ".pdf");
}

/* Appends a copy of a (strings duplicated) to *out[*n]. */
static struct nb_announcement *push_ann(struct nb_announcement **out, size_t *n, size_t *cap,
                                        const struct nb_announcement *a)
{
    xgrow(out, cap, *n + 1, sizeof **out);
    struct nb_announcement *b = &(*out)[(*n)++];
    *b = *a;
    b->title = xstrdup(a->title);
    b->body = xstrdup(a->body);
    b->image = a->image ? xstrdup(a->image) : NULL;
    b->qr = xstrdup(a->qr ? a->qr : "");
    return b;
}

/* PDF notices (docs/bundle.md): an announcement whose 图片 is a PDF becomes
 * its pages, rendered once here (pdf.c, in a bounded child) and stored as
 * PNG media.  The row keeps its text with page 1 as its picture (a poster
 * when it has none); pages 2… follow it as posters with the row's timing.
 * Ids are renumbered in play order.  A PDF that cannot be used is a 提醒
 * and the row keeps no picture, as for a bad image.  false on a write
 * error (*io). */
static bool pdf_notices(struct imp *x, bool *io)
{
    struct feed_content *c = x->content;
    struct nb_announcement *out = NULL;
    size_t n = 0, cap = 0;
    bool any = false;
    const char *sheet = kind_info(KIND_ANNOUNCEMENTS)->sheet;
    for (size_t i = 0; i < c->nann && !*io; i++) {
        struct nb_announcement *a = &c->ann[i];
        if (!a->image || !has_pdf_suffix(a->image)) {
            push_ann(&out, &n, &cap, a);
            continue;
        }
        any = true;
        size_t len = 0;
        void *data = read_staged_media(x, a->image, &len);
        struct pdf_pages pp = {0};
        char *why = NULL;
        bool ok = data && pdf_render(data, len, PDF_BOX, PDF_BOX, NULL, &pp, &why);
        free(data);
        if (ok && x->pdf_pages + (size_t)pp.count > PDF_IMPORT_PAGES) {
            pdf_pages_free(&pp);
            ok = false;
            why = xasprintf("这次导入的 PDF 一共超过 %d 页，这一个没有放进来；"
                            "请分几次导入，或只放需要显示的页", PDF_IMPORT_PAGES);
        }
        if (!ok) {
            report_warning(&x->r, "%s: PDF“%s”无法使用（%s），已跳过（这条内容将不显示图片）",
                           sheet, a->image, why ? why : "无法读取");
            free(why);
            struct nb_announcement *b = push_ann(&out, &n, &cap, a);
            free(b->image);
            b->image = NULL;
            continue;
        }
        if (pp.note)
            report_warning(&x->r, "%s: PDF“%s”：%s", sheet, a->image, pp.note);
        x->pdf_pages += (size_t)pp.count;
        /* "通知.pdf" → "通知-第2页.png": what export names the pages. */
        size_t stem = strlen(a->image) - 4;
        for (int p = 0; p < pp.count && !*io; p++) {
            const struct media_out *m = &pp.page[p];
            char *file = xasprintf("%.*s-第%d页.png", (int)stem, a->image, p + 1);
            if (!already_added(x, m->sha256) &&
                !feed_writer_media(x->w, m->sha256, media_name_ok(file) ? file : NULL, m->sha256,
                                   m->width, m->height, m->mime, m->data, m->len))
                *io = true;
            free(file);
            /* prepare() finds the stored page, not a file in staging. */
            x->map = xrealloc(x->map, (x->nmap + 1) * sizeof *x->map);
            x->map[x->nmap++] = (struct media_map){xstrdup(m->sha256), false, xstrdup(m->sha256)};
            struct nb_announcement *b = push_ann(&out, &n, &cap, a);
            free(b->image);
            b->image = xstrdup(m->sha256);
            if (p > 0) {            /* a poster: the row's text and code are on page 1 */
                b->title[0] = b->body[0] = b->qr[0] = '\0';
            }
        }
        pdf_pages_free(&pp);
        log_info("pdf %s: pages stored", a->image);
    }
    if (!any) {
        for (size_t i = 0; i < n; i++)
            free(out[i].title), free(out[i].body), free(out[i].image), free(out[i].qr);
        free(out);
        return !*io;
    }
    content_clear_kind(c, KIND_ANNOUNCEMENTS);
    for (size_t i = 0; i < n; i++)
        out[i].id = (int64_t)i + 1;
    c->ann = out;
    c->nann = n;
    return !*io;
}

/* Stores one prepared picture under its sha256 with the name export gives
 * it, and lets prepare() find it by that name.  Returns the name. */
static const char *store_made(struct imp *x, const struct media_out *m, const char *file, bool *io)
{
    if (!already_added(x, m->sha256) &&
        !feed_writer_media(x->w, m->sha256, media_name_ok(file) ? file : NULL, m->sha256,
                           m->width, m->height, m->mime, m->data, m->len))
        *io = true;
    for (size_t i = 0; i < x->nmap; i++)
        if (!x->map[i].photo && !strcmp(x->map[i].src, m->sha256))
            return m->sha256;
    x->map = xrealloc(x->map, (x->nmap + 1) * sizeof *x->map);
    x->map[x->nmap++] = (struct media_map){xstrdup(m->sha256), false, xstrdup(m->sha256)};
    return m->sha256;
}

/* The 海报 folder (posters.h, docs/bundle.md): each picture, and each
 * page of each PDF, in natural order of the file names, becomes a poster
 * with the default timing after the announcements.  Without a 公告 sheet
 * (sheet false) the stick's posters replace the plain posters on the
 * screen and the announcements with text or timing stay.  A file that
 * cannot be used is a 提醒 naming it.  false on a write error (*io). */
static bool folder_posters(struct imp *x, bool sheet, bool *io)
{
    struct feed_content *c = x->content;
    struct report *r = &x->r;
    r->posters_from = xstrdup(x->stage.posters_src);
    struct nb_announcement *made = NULL;
    size_t nmade = 0, cap = 0;
    const char *folder = x->stage.posters_src;
    for (size_t f = 0; f < x->stage.nposters && !*io; f++) {
        const char *name = x->stage.posters[f];
        char *path = xasprintf("%s/" POSTERS_DIR "/%s", x->stage.dir, name);
        size_t len = 0;
        void *data = read_file(path, (size_t)MEDIA_MAX_BYTES * 4, &len);
        if (!data)
            log_errno("reading staged poster %s", path);
        free(path);
        char *why = NULL;
        size_t added = 0;
        bool pdf = posters_file_kind(name) == POSTERS_PDF;
        if (!data) {
            why = xstrdup("无法读取");
        } else if (pdf && !pdf_is_pdf(data, len)) {
            why = xstrdup("其实不是 PDF，可能只改了扩展名");
        } else if (pdf_is_pdf(data, len)) {
            struct pdf_pages pp = {0};
            bool ok = pdf_render(data, len, PDF_BOX, PDF_BOX, NULL, &pp, &why);
            if (ok && x->pdf_pages + (size_t)pp.count > PDF_IMPORT_PAGES) {
                pdf_pages_free(&pp);
                ok = false;
                why = xasprintf("这次导入的 PDF 一共超过 %d 页，这一个没有放进来；"
                                "请分几次导入，或只放需要显示的页", PDF_IMPORT_PAGES);
            }
            if (ok && pp.note)
                report_warning(r, "%s/%s: %s", folder, name, pp.note);
            const char *dot = strrchr(name, '.');
            int stem = (int)(dot ? (size_t)(dot - name) : strlen(name));
            for (int p = 0; ok && p < pp.count && !*io; p++) {
                char *file = xasprintf("%.*s-第%d页.png", stem, name, p + 1);
                xgrow(&made, &cap, nmade + 1, sizeof *made);
                posters_row(&made[nmade++], store_made(x, &pp.page[p], file, io));
                free(file);
                added++;
            }
            if (ok)
                x->pdf_pages += (size_t)pp.count;
            pdf_pages_free(&pp);
        } else {
            struct media_out out = {0};
            if (media_prepare(data, len, BIG_W, BIG_H, &out, &why)) {
                xgrow(&made, &cap, nmade + 1, sizeof *made);
                posters_row(&made[nmade++], store_made(x, &out, name, io));
                added++;
                media_out_free(&out);
            } else if (!why) {
                why = xstrdup("格式不对或文件已损坏");
            }
        }
        free(data);
        if (!added && !*io) {
            report_warning(r, "%s/%s: %s无法使用（%s），已跳过", folder, name,
                           pdf ? "PDF " : "图片",
                           why ? why : "格式不对或文件已损坏");
            report_poster_skipped(r, name);
        }
        r->posters += added;
        free(why);
        progress(x, 65 + (int)((f + 1) * 10 / x->stage.nposters), SYNCSTATE_STAGE_IMAGES);
    }
    /* Files, none usable: most likely a mistake, and the screen's posters
     * are not lost for it (an empty folder clears them on purpose). */
    r->posters_kept = !sheet && !nmade && r->nposters_skipped;
    size_t keep = 0;
    for (size_t i = 0; i < c->nann; i++) {
        struct nb_announcement *a = &c->ann[i];
        if (!sheet && !r->posters_kept && posters_is_plain(a)) {
            free(a->title), free(a->body), free(a->image), free(a->qr);
            continue;
        }
        r->posters += r->posters_kept && posters_is_plain(a);
        c->ann[keep++] = *a;
    }
    c->ann = xrealloc(c->ann, (keep + nmade + 1) * sizeof *c->ann);
    if (nmade)
        memcpy(c->ann + keep, made, nmade * sizeof *made);
    c->nann = keep + nmade;
    free(made);
    for (size_t i = 0; i < c->nann; i++)
        c->ann[i].id = (int64_t)i + 1;
    return !*io;
}

static bool media_all(struct imp *x, unsigned fresh)
{
    struct feed_content *c = x->content;
    bool io = false;
    bool fa = fresh & (1u << KIND_ANNOUNCEMENTS), fh = fresh & (1u << KIND_HONORS),
         fs = fresh & (1u << KIND_SETTINGS);
    if (fa && !x->staged_feed && !pdf_notices(x, &io))
        return false;
    if (x->stage.posters_dir && !folder_posters(x, fa, &io))
        return false;
    size_t total = c->nann + c->nrolls + 1, done = 0;
    for (size_t i = 0; i < c->nann && !io; i++, done++) {
        fix_ref(x, &c->ann[i].image, fa, false, kind_info(KIND_ANNOUNCEMENTS)->sheet, &io);
        progress(x, 65 + (int)(done * 25 / total), SYNCSTATE_STAGE_IMAGES);
    }
    for (size_t i = 0; i < c->nrolls && !io; i++, done++) {
        for (size_t j = 0; j < c->rolls[i].nentries && !io; j++)
            fix_ref(x, &c->rolls[i].entries[j].photo, fh, true, kind_info(KIND_HONORS)->sheet, &io);
        progress(x, 65 + (int)(done * 25 / total), SYNCSTATE_STAGE_IMAGES);
    }
    if (!io)
        fix_ref(x, &c->logo, fs, false, kind_info(KIND_SETTINGS)->sheet, &io);
    /* Keep the settings table in step with the logo actually stored. */
    for (size_t i = 0; i < c->nsettings; i++)
        if (!strcmp(c->settings[i].key, "logo")) {
            free(c->settings[i].value);
            c->settings[i].value = xstrdup(c->logo ? c->logo : "");
        }
    return !io;
}

/* ---------------------------------------------------------------- steps */

/* The newest mtime among staged tables, for the installer. */
static void record_stick_time(struct imp *x)
{
    if (!x->stage.newest_mtime)
        return;
    char buf[17];
    when_format(when_from_time_t(x->stage.newest_mtime), buf);
    char *s = xasprintf("%s\n", buf);
    store_state_write(&x->st, STORE_STICK_TIME, s);     /* logged on failure */
    free(s);
}

static char *poster_file(void *feed, const char *image)
{
    return feed ? feed_media_file(feed, image) : NULL;
}

/* What plays today and in the six days after, with the plan code of the
 * player and `noticeboard plan`, for the report.  A poster is named by
 * the picture's file name as the new feed newdb keeps it (海报“1.jpg”:
 * staff put that file on the stick; 第N条 told them nothing). */
static void plan_week(struct imp *x, const char *newdb)
{
    int64_t now = now_civil(NULL);
    struct sched_opts so;
    content_sort(x->content);
    schedule_opts_for(&x->cfg, x->content, clock_load_last_good(&x->st), now, &so);
    struct feed *f = feed_open(newdb, NULL);     /* NULL: 海报（第N条） */
    struct plan_names names = {poster_file, f};
    x->r.schedule = plan_week_text(x->content, &so, now, 7, 80, &names);
    if (f)
        feed_close(f);
}

/* A dry run's picture: the staged feed drawn as the live one would be, by
 * `noticeboard sheet` on a data folder of its own inside staging (the new
 * feed linked in as feed.db, the box's last good time beside it, so the
 * clock is judged as for the live feed).  NULL when it could not be made
 * (logged); the dry run goes on without a picture. */
static void *preview_staged(struct imp *x, const char *newdb, int64_t at, size_t *len)
{
    char *dir = xasprintf("%s/preview", x->stage.dir);
    char *feed = xasprintf("%s/feed.db", dir);
    void *png = NULL;
    struct store ps;
    bool made = store_init(&ps, dir, true);
    if (made && link(newdb, feed) != 0) {
        log_errno("preview: linking the staged feed to %s", feed);
        made = false;
    }
    if (made) {
        char *good = store_state_read(&x->st, STORE_CLOCK);
        if (good)
            store_state_write(&ps, STORE_CLOCK, good);      /* logged on failure */
        free(good);
        png = preview_sheet(dir, x->o->config, dir, at, len);
    }
    store_fini(&ps);
    free(feed);
    free(dir);
    return png;
}

static enum syncstate_result sync_result(enum report_result res, size_t warnings)
{
    switch (res) {
    case REPORT_OK: return warnings ? SYNCSTATE_OK_WARNINGS : SYNCSTATE_OK;
    case REPORT_DRY_RUN: return SYNCSTATE_CHECKED;
    case REPORT_REJECTED: return SYNCSTATE_REJECTED;
    case REPORT_DENIED: return SYNCSTATE_NOT_AUTHORISED;
    case REPORT_IO: break;
    }
    return SYNCSTATE_IO_ERROR;
}

static int finish(struct imp *x, enum report_result res, int status)
{
    x->r.result = res;
    if (!x->r.content)
        x->r.content = x->content;
    if (x->tty && x->last_pct >= 0)
        fputc('\n', stderr);
    /* The play summary only for a stick that was let in (it tells what
     * this board showed) and a data folder that could be opened. */
    if (x->st_ok && x->authorized && res != REPORT_IO && res != REPORT_DENIED)
        report_set_plays(&x->r, x->st.playlog, now_civil(NULL) / WHEN_MIN_PER_DAY);
    char *text = report_render(&x->r, now_civil(NULL));
    char *sum = report_summary(&x->r);
    fputs(text, stdout);
    fflush(stdout);
    int rfd = x->o->report_dir ? open(x->o->report_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                               : x->bundle_fd;
    if (x->o->report_dir && rfd < 0)
        log_errno("report folder %s", x->o->report_dir);
    /* A stick that takes no writes (the write-protect switch, a FAT the
     * kernel mounted read-only, a full one) still imports: the screen and
     * `status` then say the report is not on it, and why. */
    enum syncstate_report saved = SYNCSTATE_REPORT_SAVED;
    if (rfd >= 0) {
        char stamp[16];
        report_stamp_now(stamp);
        if (!report_write_stick(rfd, stamp, text, x->png, x->png_len)) {
            int e = errno;
            log_msg_errno(LOG_LEVEL_WARN, "could not write the report to the stick");
            saved = syncstate_report_of_errno(e);
            char *msg = stickw_why("noticeboard/reports", e);
            printf("提醒：无法把报告写到U盘上。%s。\n", msg);
            free(msg);
        }
        if (rfd != x->bundle_fd)
            close(rfd);
    }
    if (x->st_ok) {
        struct syncstate st = {.result = sync_result(res, x->r.nwarnings),
                               .warnings = x->r.nwarnings, .problems = x->r.nproblems,
                               .report = saved};
        if (res == REPORT_OK || res == REPORT_DRY_RUN)
            syncstate_set_counts(&st, x->r.content);
        syncstate_set_summary(&st, sum);
        syncstate_write(&x->st, &st);   /* logged on failure */
    }
    fprintf(stderr, "%s\n", sum);
    free(sum);
    free(text);
    return status;
}

/* The loop is bounded (schedule.h): with every item on at once, would the
 * urgent block play less often than after every slide?  Staff are told,
 * not left to find out at the screen. */
static void warn_loop(struct imp *x)
{
    const struct feed_content *c = x->content;
    size_t urgent = 0, high = 0, loop = 0;
    for (size_t i = 0; i < c->nann; i++) {
        urgent += c->ann[i].priority == PRIO_URGENT;
        high += c->ann[i].priority == PRIO_HIGH;
    }
    loop = c->nann - urgent + (c->nevents > 0);
    for (size_t i = 0; i < c->nrolls; i++)
        loop += c->rolls[i].nentries > 0;
    if (loop >= 3)
        loop += high;       /* 重要 plays twice a loop */
    size_t every = schedule_urgent_every(urgent, loop);
    if (every > 1)
        report_warning(&x->r, "公告: 有%zu条紧急公告，其他内容有%zu页，轮播太长，"
                              "紧急公告同时显示时改为每隔%zu页插播一次（不是每页之后都插播）。"
                              "紧急公告请只保留真正紧急的几条", urgent, loop, every);
}

/* The events slide shows every event it lists (SCHEDULE_EVENTS_MAX at
 * most): a sheet that would list more on some day from today on is
 * refused, with the busiest days named, rather than cut at the screen.
 * Today is the corrected time when this stick corrects the clock. */
static bool check_events(struct imp *x)
{
    int64_t now = x->clock.d.move ? when_from_time_t((time_t)x->clock.d.to) : now_civil(NULL);
    int64_t first = 0, last = 0;
    size_t peak = schedule_events_peak(x->content, now / WHEN_MIN_PER_DAY, &first, &last);
    if (peak <= SCHEDULE_EVENTS_MAX)
        return true;
    int y1, m1, d1, y2, m2, d2;
    when_civil_from_days(first, &y1, &m1, &d1);
    when_civil_from_days(last, &y2, &m2, &d2);
    report_problem(&x->r, "%s: %d年%d月%d日到%d年%d月%d日之间有%zu项活动，屏幕上的近期活动一次"
                          "最多列出%d项（今后两周的活动）。请删掉一些活动，或把天天都有的活动"
                          "合并成一行（例如活动名写“广场舞（每天）”）",
                   x->r.source[KIND_EVENTS] ? x->r.source[KIND_EVENTS] : "活动",
                   y1, m1, d1, y2, m2, d2, peak, SCHEDULE_EVENTS_MAX);
    return false;
}

static int run(struct imp *x)
{
    const struct import_opts *o = x->o;
    if (!config_load(&x->cfg, o->config, o->config_must_exist)) {
        fprintf(stderr, "noticeboard-sync: config %s is not usable (see above)\n", o->config);
        return 2;
    }
    /* A data folder made by root (init run with sudo) cannot be used by
     * the noticeboard user: say so, not "another update is running". */
    if (!store_init(&x->st, o->data, true)) {
        int e = errno;
        x->r.reason = xstrdup(e == EACCES || e == EPERM || e == EROFS ? DATA_DENIED : DATA_FAILED);
        return finish(x, REPORT_IO, 4);
    }
    x->st_ok = true;

    /* One import at a time: the lock also keeps store_clean_staging from
     * removing a running import's folder. */
    enum store_lock_result lr = store_lock(&x->st, &x->lock_fd);
    if (lr != STORE_LOCK_OK) {
        x->st_ok = false; /* the sync state belongs to the running import, or cannot be written */
        x->r.reason = xstrdup(lr == STORE_LOCK_BUSY     ? "另一个更新正在进行，请等它完成后再试。"
                              : lr == STORE_LOCK_DENIED ? DATA_DENIED
                                                        : DATA_FAILED);
        return finish(x, REPORT_IO, 4);
    }
    store_clean_staging(&x->st);
    int64_t live_version = store_live_version(&x->st);
    x->r.old_version = live_version;

    int src = open(o->source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (src < 0) {
        log_errno("source %s", o->source);
        x->r.reason = xasprintf("找不到U盘或文件夹“%s”，请检查U盘是否插好。", o->source);
        return finish(x, REPORT_IO, 4);
    }
    x->bundle_fd = openat(src, "noticeboard", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    close(src);
    if (x->bundle_fd < 0) {
        errno = e;
        log_errno("%s/noticeboard", o->source);
        if (e != ENOENT && e != ENOTDIR && e != ELOOP) {
            /* EIO and the like: the stick went away, not a wrong stick. */
            x->r.reason = xstrdup("读取U盘时出错，请检查U盘是否插好后重试。");
            return finish(x, REPORT_IO, 4);
        }
        report_problem(&x->r, "noticeboard: U盘上没有 noticeboard 文件夹。请把内容文件放在U盘的"
                              " noticeboard 文件夹里（可以先用 init 生成模板）");
        return finish(x, REPORT_REJECTED, 1);
    }
    progress(x, 0, SYNCSTATE_STAGE_AUTHORISE);

    /* (2) Authorization: nothing but the trust files is read before it. */
    char *why = NULL;
    enum trust_result tr = trust_check(&x->cfg, &x->st, x->bundle_fd, &x->manifest, &why);
    if (tr != TRUST_OK) {
        x->r.reason = why;
        return finish(x, tr == TRUST_DENIED ? REPORT_DENIED : REPORT_IO, tr == TRUST_DENIED ? 3 : 4);
    }
    free(why);
    x->authorized = true;

    /* (3) Stage the stick once; from here on only the copy is read. */
    switch (stage_copy(x->bundle_fd, x->st.staging, x->manifest, &x->r, stage_progress, x,
                       &x->stage)) {
    case STAGE_OK: break;
    case STAGE_REJECTED: return finish(x, REPORT_REJECTED, 1);
    case STAGE_DENIED: return finish(x, REPORT_DENIED, 3);
    case STAGE_IO: return finish(x, REPORT_IO, 4);
    }
    progress(x, 60, SYNCSTATE_STAGE_CHECK);

    /* (4) Validate, starting from the live content for absent kinds. */
    struct store_live live;
    char *lwhy = NULL;
    switch (store_load_live(&x->st, STORE_LIVE_KEPT, &live, &lwhy)) {
    case STORE_LIVE_OK:             /* x takes both over */
        x->live = live.feed;
        x->content = live.content;
        break;
    case STORE_LIVE_NONE:
        x->content = content_create();
        break;
    case STORE_LIVE_BAD:
        log_error("live feed %s unreadable: %s", x->st.feed, lwhy ? lwhy : "load failed");
        free(lwhy);
        x->r.reason = xstrdup("无法读取设备上现有的内容。");
        return finish(x, REPORT_IO, 4);
    }
    report_count_before(&x->r, x->content);
    for (size_t i = 0; i < x->content->nann; i++)
        x->r.posters_before += posters_is_plain(&x->content->ann[i]);
    unsigned fresh = 0;
    bool tables = x->stage.csv_mask || x->stage.book_mask || x->stage.workbook;
    if (x->stage.feed_db && x->stage.posters_dir) {
        report_problem(&x->r, "noticeboard: 同时有 feed.db 和 %s 文件夹，只能二选一。"
                              "用 feed.db 更新时请把海报文件夹移走", x->stage.posters_src);
        return finish(x, REPORT_REJECTED, 1);
    }
    tables = tables || x->stage.posters_dir;
    if (x->stage.feed_db && tables) {
        report_problem(&x->r, "noticeboard: 同时有 feed.db 和表格文件（.xlsx 或 CSV），只能二选一。"
                              "用表格更新时请删除 feed.db");
        return finish(x, REPORT_REJECTED, 1);
    }
    if (!x->stage.feed_db && !tables) {
        /* Nothing would change; most likely the files sit in another folder. */
        report_problem(&x->r, "noticeboard: 文件夹里没有内容文件（内容.xlsx，或 announcements.csv、"
                              "events.csv 等，或放海报图片的“海报”文件夹），请把表格放在U盘的 "
                              "noticeboard 文件夹里");
        return finish(x, REPORT_REJECTED, 1);
    }
    if (x->stage.feed_db) {
        /* A complete feed from the stick is never trusted as-is: checked,
         * loaded, and rewritten below through feed_writer. */
        char *path = xasprintf("%s/feed.db", x->stage.dir), *fwhy = NULL;
        x->staged_feed = feed_open(path, &fwhy);
        free(path);
        struct feed_content *c = x->staged_feed ? feed_load_ex(x->staged_feed, &fwhy) : NULL;
        if (!c) {
            /* The reason is for installers (English, in the log); staff
             * get what to do instead. */
            log_warn("staged feed.db refused: %s", fwhy ? fwhy : "load failed");
            report_problem(&x->r, "feed.db: 不是有效的公告屏内容文件（可能已损坏或被改动过）。"
                                  "请用 export 重新导出，或删除 feed.db 改用表格更新");
            free(fwhy);
            return finish(x, REPORT_REJECTED, 1);
        }
        free(fwhy);
        /* The same limits as a sheet (rows, lengths, control characters):
         * the feed's content goes through the sheets' validation. */
        content_destroy(x->content);
        x->content = content_create();
        struct glyphs *glyphs = glyphs_create(&x->cfg);
        bool valid = bundle_validate_content(x->content, c, "feed.db", glyphs, &x->r);
        glyphs_destroy(glyphs);
        content_destroy(c);
        if (!valid || x->r.nproblems)
            return finish(x, REPORT_REJECTED, 1);
        fresh = (1u << KIND_COUNT) - 1;
        for (int k = 0; k < KIND_COUNT; k++)
            report_source(&x->r, (enum kind)k, "feed.db");
    } else {
        /* Text is checked against the fonts the player will draw it with. */
        struct bundle_media bm = {(const char *const *)x->stage.media, x->stage.nmedia,
                                  glyphs_create(&x->cfg)};
        bool loaded = bundle_load(x->stage.dirfd, x->content, &bm, &x->r, &fresh);
        glyphs_destroy(bm.glyphs);
        if (!loaded || x->r.nproblems)
            return finish(x, REPORT_REJECTED, 1);
    }
    /* The time the stick brings, decided now: the new feed is made at the
     * corrected time (a box set back must not judge it made in the future). */
    stickclock_decide(&x->cfg, &x->st, &x->stage, x->manifest, x->bundle_fd, &x->r, &x->clock);
    if ((fresh & (1u << KIND_EVENTS)) && !check_events(x))
        return finish(x, REPORT_REJECTED, 1);
    progress(x, 65, SYNCSTATE_STAGE_IMAGES);

    /* (5)+(6) Media and the new feed, built inside staging. */
    char *newdb = xasprintf("%s/new.db", x->stage.dir), *wwhy = NULL;
    x->w = feed_writer_create(newdb, &wwhy);
    if (!x->w) {
        log_error("creating %s: %s", newdb, wwhy ? wwhy : "?");
        free(wwhy);
        free(newdb);
        x->r.reason = xstrdup("无法在设备上生成新内容（磁盘可能已满）。");
        return finish(x, REPORT_IO, 4);
    }
    if (x->staged_feed)
        feed_writer_set_source(x->w, "feed.db");
    if (!media_all(x, fresh)) {
        feed_writer_abort(x->w);
        x->w = NULL;
        free(newdb);
        x->r.reason = xstrdup("无法在设备上保存图片（磁盘可能已满）。");
        return finish(x, REPORT_IO, 4);
    }
    warn_loop(x);       /* with the PDF pages and the 海报 folder's posters in the loop */
    progress(x, 90, SYNCSTATE_STAGE_BUILD);
    /* Above every kept feed too, so activation never replaces one (after a
     * rollback the live version is not the newest). */
    int64_t version = store_next_version(&x->st);
    x->content->created = x->clock.d.move ? when_from_time_t(x->clock.d.to) : now_civil(NULL);
    bool ok = feed_writer_finish(x->w, x->content, version, &wwhy);
    x->w = NULL;
    if (!ok) {
        log_error("writing the new feed: %s", wwhy ? wwhy : "?");
        free(wwhy);
        free(newdb);
        x->r.reason = xstrdup("无法在设备上生成新内容（磁盘可能已满）。");
        return finish(x, REPORT_IO, 4);
    }
    x->r.new_version = version;
    plan_week(x, newdb);
    if (o->dry_run) {
        /* The picture of what would play, as after the import. */
        x->png = preview_staged(x, newdb, x->content->created, &x->png_len);
        x->r.preview = x->png != NULL;
        free(newdb);
        progress(x, 100, SYNCSTATE_STAGE_DONE);
        return finish(x, REPORT_DRY_RUN, 0);
    }

    /* (7) Activate: store.c renames, so a kill leaves old or new, whole. */
    progress(x, 95, SYNCSTATE_STAGE_ACTIVATE);
    stickclock_apply(&x->st, &x->clock, &x->r);     /* before the player sees the new feed */
    if (!store_activate(&x->st, newdb, version)) {
        free(newdb);
        x->r.reason = xstrdup("无法启用新内容（磁盘可能已满）。");
        return finish(x, REPORT_IO, 4);
    }
    free(newdb);
    if (x->manifest && !trust_accept(&x->st, x->manifest))
        log_warn("could not record the manifest version");
    record_stick_time(x);
    /* Drawn from the live feed, now that it is the new one. */
    x->png = preview_sheet(o->data, o->config, x->stage.dir, now_civil(NULL), &x->png_len);
    x->r.preview = x->png != NULL;
    progress(x, 100, SYNCSTATE_STAGE_DONE);
    return finish(x, REPORT_OK, 0);
}

int import_run(const struct import_opts *o)
{
    struct imp x = {.o = o, .lock_fd = -1, .bundle_fd = -1, .last_pct = -1,
                    .tty = isatty(2) == 1};
    x.stage.dirfd = -1;
    if (sodium_init() < 0) {
        log_error("libsodium failed to initialise");
        return 4;
    }
    int status = run(&x);

    if (x.w)
        feed_writer_abort(x.w);
    stage_destroy(&x.stage);
    if (x.staged_feed)
        feed_close(x.staged_feed);
    if (x.live)
        feed_close(x.live);
    content_destroy(x.content);
    if (x.manifest)
        manifest_destroy(x.manifest);
    for (size_t i = 0; i < x.nmap; i++) {
        free(x.map[i].src);
        free(x.map[i].name);
    }
    free(x.map);
    for (size_t i = 0; i < x.nadded; i++)
        free(x.added[i]);
    free(x.added);
    report_free(&x.r);
    free(x.png);
    if (x.bundle_fd >= 0)
        close(x.bundle_fd);
    if (x.lock_fd >= 0)
        close(x.lock_fd);
    if (x.st_ok || x.st.dir)
        store_fini(&x.st);
    config_free(&x.cfg);
    return status;
}
