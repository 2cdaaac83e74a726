/* notecard.c — the import's result card: what a sync state says in words
 * (notecard_from_syncstate) and how it looks (notecard_render: a rounded
 * card in the outcome's colour, a symbol in a disc, a title and a detail). */
#include "player/notecard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/syncstate.h"
#include "core/text.h"
#include "core/util.h"
#include "player/draw.h"
#include "player/font.h"

/* How long a result stays: a success is glanced at, a failure must be read
 * and acted on (a walk to the screen from the office door included). */
#define SHOW_OK_MS 20000
#define SHOW_WARN_MS 30000
#define SHOW_FAIL_MS 60000

static const char *const prefix_fail = "更新失败：";
static const char *const prefix_denied = "未授权：";

/* ---------------------------------------------------------------- words */

/* "12条公告、8项活动、36位表彰、5条滚动消息" (kinds with none left out). */
static void add_counts(struct sbuf *b, const struct syncstate *st)
{
    size_t n0 = b->len;
    const struct { size_t n; const char *what; } k[] = {
        {st->announcements, "条公告"}, {st->events, "项活动"},
        {st->honors, "位表彰"}, {st->ticker, "条滚动消息"},
    };
    for (size_t i = 0; i < ARRAY_LEN(k); i++)
        if (k[i].n)
            sbuf_addf(b, "%s%zu%s", b->len > n0 ? "、" : "", k[i].n, k[i].what);
    if (b->len == n0)
        sbuf_adds(b, "没有内容（屏幕只显示单位名称和时间）");
}

/* The summary without its leading result words ("更新失败：…" → "…"),
 * malloc'd; fallback when it says nothing more. */
static char *reason(const struct syncstate *st, const char *prefix, const char *fallback)
{
    const char *s = st->summary;
    size_t n = strlen(prefix);
    if (!strncmp(s, prefix, n))
        s += n;
    return xstrdup(*s ? s : fallback);
}

/* Ends the sentence in b with 。 unless it has one (or b is empty). */
static void end_sentence(struct sbuf *b)
{
    if (b->len && !(b->len >= 3 && !memcmp(b->s + b->len - 3, "。", 3)))
        sbuf_adds(b, "。");
}

/* After a reason, the sentences on the report that did not reach the
 * stick: why, what is missing, what to do (then `then`, may be ""). */
static void add_lost(struct sbuf *b, enum syncstate_report r, const char *missing,
                     const char *then)
{
    end_sentence(b);
    sbuf_addf(b, "%s，%s没有保存到U盘。%s%s", syncstate_report_cn(r), missing,
              syncstate_report_todo_cn(r), then);
}

/* What a successful import leaves beside its report. */
static const char *const all_lost = "报告、本周安排和预览图";

void notecard_from_syncstate(const struct syncstate *st, struct notecard *out, int *show_ms)
{
    memset(out, 0, sizeof *out);
    struct sbuf b = {0};
    /* The report (and the week and the picture beside it) is not on the
     * stick: the card says why and what to do. */
    bool lost = st->result != SYNCSTATE_BUSY && st->report != SYNCSTATE_REPORT_SAVED;
    switch (st->result) {
    case SYNCSTATE_BUSY:
        out->kind = NOTECARD_BUSY;
        out->percent = st->percent < 0 ? 0 : st->percent > 100 ? 100 : st->percent;
        out->title = xasprintf("正在更新内容… %d%%", out->percent);
        /* The report is written back to the stick at the very end: it
         * must stay in until the result shows, not just while copying. */
        out->detail = xasprintf("%s，请勿拔出U盘", syncstate_stage_cn(st->stage));
        *show_ms = 0;
        return;
    case SYNCSTATE_OK:
    case SYNCSTATE_OK_WARNINGS:
        if (lost) {
            /* It plays, but staff cannot read what happened: amber, and
             * the card says why and what to do before the counts. */
            out->kind = NOTECARD_WARN;
            out->title = xstrdup("内容已更新，但报告没有保存");
            add_lost(&b, st->report, all_lost, "，然后再插一次保存报告");
            if (st->warnings)
                sbuf_addf(&b, "（有 %zu 条提醒要看）", st->warnings);
            sbuf_adds(&b, "。现在播放：");
            add_counts(&b, st);
            *show_ms = SHOW_WARN_MS;
        } else if (st->result == SYNCSTATE_OK) {
            out->kind = NOTECARD_OK;
            out->title = xstrdup("更新成功");
            sbuf_adds(&b, "现在播放：");
            add_counts(&b, st);
            *show_ms = SHOW_OK_MS;
        } else {
            out->kind = NOTECARD_WARN;
            out->title = xasprintf("更新成功，有 %zu 条提醒", st->warnings);
            sbuf_adds(&b, "现在播放：");
            add_counts(&b, st);
            sbuf_adds(&b, "。提醒请看U盘里的报告");
            *show_ms = SHOW_WARN_MS;
        }
        break;
    case SYNCSTATE_CHECKED:
        out->kind = NOTECARD_INFO;
        out->title = xstrdup("检查通过（试运行）");
        sbuf_adds(&b, "屏幕内容没有改变。导入后会播放：");
        add_counts(&b, st);
        if (lost)
            add_lost(&b, st->report, all_lost, "。");
        *show_ms = lost ? SHOW_WARN_MS : SHOW_OK_MS;
        break;
    case SYNCSTATE_REJECTED:
        out->kind = NOTECARD_FAIL;
        out->title = st->problems ? xasprintf("更新失败：发现 %zu 处问题", st->problems)
                                  : xstrdup("更新失败");
        sbuf_adds(&b, "屏幕内容没有改变");
        if (lost)   /* the problems are listed in the report only */
            add_lost(&b, st->report, "报告", "，然后再插一次，就能在U盘里的报告中看到要改的地方");
        else
            sbuf_adds(&b, "。请看U盘里的报告，改好后再插一次");
        *show_ms = SHOW_FAIL_MS;
        break;
    case SYNCSTATE_NOT_AUTHORISED:
    case SYNCSTATE_IO_ERROR: {
        bool denied = st->result == SYNCSTATE_NOT_AUTHORISED;
        out->kind = denied ? NOTECARD_DENIED : NOTECARD_FAIL;
        out->title = xstrdup(denied ? "未授权：这个U盘不能更新本屏幕" : "更新失败");
        char *why = denied ? reason(st, prefix_denied, "屏幕内容没有改变。")
                           : reason(st, prefix_fail, "读取U盘或写入设备时出错。屏幕内容没有改变。");
        sbuf_adds(&b, why);
        free(why);
        if (lost)
            add_lost(&b, st->report, "报告", "。");
        out->detail = sbuf_take(&b);
        *show_ms = SHOW_FAIL_MS;
        return;
    }
    }
    /* A clock the stick corrected is said on the card too (the summary's
     * sentence 设备时间已校正为…（原为…）。): staff must see the time moved.
     * It starts a line of its own, so the two times read as one phrase. */
    const char *moved = strstr(st->summary, "设备时间已校正为");
    if (moved) {
        end_sentence(&b);
        sbuf_adds(&b, "\n");
        sbuf_adds(&b, moved);
    }
    out->detail = sbuf_take(&b);
}

void notecard_fini(struct notecard *n)
{
    if (!n)
        return;
    free(n->title);
    free(n->detail);
    memset(n, 0, sizeof *n);
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

bool notecard_equal(const struct notecard *a, const struct notecard *b)
{
    return a->kind == b->kind && a->percent == b->percent && str_eq(a->title, b->title) &&
           str_eq(a->detail, b->detail);
}

/* ---------------------------------------------------------------- look */

struct look {
    SDL_Color bg, fg;
};

/* Colours told apart also without colour vision (each has its own symbol),
 * with text contrast above 4.5:1: white on the dark ones, near-black on amber. */
static struct look look_of(enum notecard_kind k)
{
    const SDL_Color white = {255, 255, 255, 255}, ink = {26, 26, 26, 255};
    switch (k) {
    case NOTECARD_BUSY:
    case NOTECARD_INFO: return (struct look){{21, 101, 192, 255}, white};
    case NOTECARD_OK: return (struct look){{27, 122, 52, 255}, white};
    case NOTECARD_WARN: return (struct look){{249, 168, 37, 255}, ink};
    case NOTECARD_FAIL: return (struct look){{198, 40, 40, 255}, white};
    case NOTECARD_DENIED: return (struct look){{106, 27, 154, 255}, white};
    }
    return (struct look){{60, 60, 60, 255}, white};
}

SDL_Color notecard_color(enum notecard_kind kind)
{
    return look_of(kind).bg;
}

/* Paints colour c over s (ARGB8888, straight alpha) with coverage cov. */
static void blend_px(Uint32 *px, SDL_Color c, double cov)
{
    if (cov <= 0)
        return;
    if (cov > 1)
        cov = 1;
    double sa = cov * c.a / 255.0;
    Uint32 d = *px;
    double da = (d >> 24) / 255.0;
    double oa = sa + da * (1 - sa);
    if (oa <= 0)
        return;
    double dr = (d >> 16) & 255, dg = (d >> 8) & 255, db = d & 255;
    Uint32 r = (Uint32)lround((c.r * sa + dr * da * (1 - sa)) / oa);
    Uint32 g = (Uint32)lround((c.g * sa + dg * da * (1 - sa)) / oa);
    Uint32 b = (Uint32)lround((c.b * sa + db * da * (1 - sa)) / oa);
    *px = (Uint32)lround(oa * 255) << 24 | r << 16 | g << 8 | b;
}

/* A round-capped stroke from (x0,y0) to (x1,y1), half-width hw, anti-
 * aliased by distance (a zero-length one is a disc). */
static void stroke(SDL_Surface *s, double x0, double y0, double x1, double y1, double hw,
                   SDL_Color c)
{
    int minx = (int)floor(fmin(x0, x1) - hw - 1), maxx = (int)ceil(fmax(x0, x1) + hw + 1);
    int miny = (int)floor(fmin(y0, y1) - hw - 1), maxy = (int)ceil(fmax(y0, y1) + hw + 1);
    if (minx < 0) minx = 0;
    if (miny < 0) miny = 0;
    if (maxx > s->w) maxx = s->w;
    if (maxy > s->h) maxy = s->h;
    double vx = x1 - x0, vy = y1 - y0, vv = vx * vx + vy * vy;
    for (int y = miny; y < maxy; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = minx; x < maxx; x++) {
            double px = x + 0.5 - x0, py = y + 0.5 - y0;
            double t = vv > 0 ? (px * vx + py * vy) / vv : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double dx = px - t * vx, dy = py - t * vy;
            blend_px(&row[x], c, hw - sqrt(dx * dx + dy * dy) + 0.5);
        }
    }
}

/* The symbol of kind k in a disc of colour disc at (cx,cy), radius R, drawn
 * in colour ink (the card's own colour: it reads as cut out of the disc). */
static void symbol(SDL_Surface *s, enum notecard_kind k, double cx, double cy, double R,
                   SDL_Color disc, SDL_Color ink)
{
    stroke(s, cx, cy, cx, cy, R, disc);
#define P(x, y) cx + (x) * R, cy + (y) * R
    switch (k) {
    case NOTECARD_BUSY:         /* an arrow down: into the box */
        stroke(s, P(0, -0.52), P(0, 0.42), 0.11 * R, ink);
        stroke(s, P(-0.36, 0.08), P(0, 0.44), 0.11 * R, ink);
        stroke(s, P(0.36, 0.08), P(0, 0.44), 0.11 * R, ink);
        break;
    case NOTECARD_INFO:
    case NOTECARD_OK:           /* a tick */
        stroke(s, P(-0.46, 0.02), P(-0.14, 0.34), 0.12 * R, ink);
        stroke(s, P(-0.14, 0.34), P(0.46, -0.30), 0.12 * R, ink);
        break;
    case NOTECARD_WARN:         /* ! */
        stroke(s, P(0, -0.52), P(0, 0.14), 0.12 * R, ink);
        stroke(s, P(0, 0.46), P(0, 0.46), 0.14 * R, ink);
        break;
    case NOTECARD_FAIL:         /* a cross */
        stroke(s, P(-0.36, -0.36), P(0.36, 0.36), 0.12 * R, ink);
        stroke(s, P(-0.36, 0.36), P(0.36, -0.36), 0.12 * R, ink);
        break;
    case NOTECARD_DENIED:       /* no entry */
        stroke(s, P(-0.52, 0), P(0.52, 0), 0.16 * R, ink);
        break;
    }
#undef P
}

static void blit_text(struct fonts *f, SDL_Surface *dst, const char *s, size_t len, int size,
                      enum font_weight w, SDL_Color c, int x, int y)
{
    SDL_Surface *t = fonts_render(f, s, len, size, w, c);
    if (!t)
        return;
    SDL_SetSurfaceBlendMode(t, SDL_BLENDMODE_BLEND);
    SDL_BlitSurface(t, NULL, dst, &(SDL_Rect){x, y, t->w, t->h});
    SDL_FreeSurface(t);
}

SDL_Surface *notecard_render(struct fonts *f, const struct notecard *n, int width, int base)
{
    struct look lk = look_of(n->kind);
    const char *detail = n->detail ? n->detail : "";
    int pad = base * 3 / 4;
    int tsize = base * 2, dsize = base * 5 / 4;
    int icon = fonts_line_height(f, tsize, FONT_BOLD) + fonts_line_height(f, dsize, FONT_REGULAR);
    int textw = width - 3 * pad - icon;
    if (textw < 4 * base)
        textw = 4 * base;
    /* The title on one line, smaller if it must; the detail on two lines at
     * most, smaller down to the base, and then on as many as it needs. */
    const struct text_measurer *mb = fonts_measurer(f, FONT_BOLD);
    const struct text_measurer *mr = fonts_measurer(f, FONT_REGULAR);
    int tw = mb->width(mb->ctx, n->title, strlen(n->title), tsize);
    if (tw > textw)
        tsize = (int)fmax(base, (double)tsize * textw / tw);
    struct text_layout tl = {0}, dl = {0};
    text_wrap(n->title, textw, tsize, 1.0, mb, &tl);
    for (int size = dsize;; size--) {
        text_layout_free(&dl);
        text_wrap(detail, textw, size, 1.0, mr, &dl);
        if (dl.nlines <= 2 || size <= base)
            break;
    }
    int tlh = fonts_line_height(f, tl.size, FONT_BOLD);
    int dlh = fonts_line_height(f, dl.size, FONT_REGULAR);
    int texth = (int)tl.nlines * tlh + (int)dl.nlines * dlh;
    int bar = n->kind == NOTECARD_BUSY ? base / 2 : 0;
    int body = texth > icon ? texth : icon;
    int h = pad + body + (bar ? pad / 2 + bar : 0) + pad;
    SDL_Surface *s = draw_round_surface(width, h, pad, lk.bg);
    if (!s) {
        text_layout_free(&tl);
        text_layout_free(&dl);
        return NULL;
    }
    SDL_LockSurface(s);
    symbol(s, n->kind, pad + icon / 2.0, pad + body / 2.0, icon / 2.0, lk.fg, lk.bg);
    if (bar) {
        int bx = pad, bw = width - 2 * pad, by = pad + body + pad / 2;
        SDL_Color track = lk.fg;
        track.a = 90;
        stroke(s, bx + bar / 2.0, by + bar / 2.0, bx + bw - bar / 2.0, by + bar / 2.0, bar / 2.0,
               track);
        double fill = bw * n->percent / 100.0;
        if (fill >= bar)
            stroke(s, bx + bar / 2.0, by + bar / 2.0, bx + fill - bar / 2.0, by + bar / 2.0,
                   bar / 2.0, lk.fg);
    }
    SDL_UnlockSurface(s);
    int x = 2 * pad + icon, y = pad + (body - texth) / 2;
    for (size_t i = 0; i < tl.nlines; i++, y += tlh)
        blit_text(f, s, n->title + tl.lines[i].start, tl.lines[i].len, tl.size, FONT_BOLD, lk.fg,
                  x, y);
    for (size_t i = 0; i < dl.nlines; i++, y += dlh)
        blit_text(f, s, detail + dl.lines[i].start, dl.lines[i].len, dl.size, FONT_REGULAR,
                  lk.fg, x, y);
    text_layout_free(&tl);
    text_layout_free(&dl);
    return s;
}
