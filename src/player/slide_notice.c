/* slide_notice.c — the two slides made from an announcement row: the normal
 * announcement (title, accent rule, body, optional image or a full poster)
 * and the urgent notice (full red field, 紧急通知 label, large text). */
#include "player/slide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"

struct notice {
    const struct nb_announcement *a;
    bool urgent;
    bool poster;                /* image only: letterboxed over the whole area */
    bool img;                   /* the feed has it: laid out from its stored size and
                                 * decoded only while a page is drawn */
    SDL_Rect img_box;
    SDL_Rect text_box;          /* where the tag, title and body stack */
    int label_size;             /* 重要 / 紧急通知 pill; 0 = none */
    struct text_fit title;
    int title_h;
    int rule_h, rule_gap;
    struct text_fit body;
    int body_h;                 /* box height the body was fitted to */
    SDL_Rect qr;                /* 二维码 card (w = 0: none) */
    int cd_h, cd_big, cd_small; /* 倒计时 line under the title (cd_h 0: none) */
    int qr_px;                  /* pixels per module */
};

/* Room for the 二维码 card: over a poster's bottom-right corner; beside the
 * text in landscape (under the picture when there is one); under the text
 * in portrait.  Shrinks toward the scannable floor before it gives up
 * room the text needs. */
static void layout_qr(struct notice *n, const struct slide_env *e, SDL_Rect inner, int gap)
{
    int h, w = 0;
    for (double per = 8; per >= 6 && !w; per -= 1) {
        n->qr_px = slide_qr_module_px(e, per);
        w = slide_qr_card(e, n->a->qr, n->qr_px, &h);
        if (w && (w > inner.w / 2 || h > inner.h * 3 / 5) && per > 6)
            w = 0;
    }
    if (!w)
        return;
    if (n->poster) {
        n->qr = (SDL_Rect){ inner.x + inner.w - w, inner.y + inner.h - h, w, h };
    } else if (e->portrait) {
        n->qr = (SDL_Rect){ inner.x + (inner.w - w) / 2, inner.y + inner.h - h, w, h };
        n->text_box.h -= h + gap;
    } else if (n->img) {
        n->qr = (SDL_Rect){ n->img_box.x + (n->img_box.w - w) / 2, inner.y + inner.h - h, w, h };
        n->img_box.h -= h + gap;
    } else {
        n->qr = (SDL_Rect){ inner.x + inner.w - w, inner.y + (inner.h - h) / 2, w, h };
        n->text_box.w -= w + gap;
    }
}

/* Code points in s[0..n) (valid UTF-8). */
static size_t utf8_len_n(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xc0) != 0x80;
    return count;
}

/* Body text sizes: the floor keeps it readable at three metres, the cap
 * keeps a two-line notice from shouting. */
static void *notice_layout_common(const struct slide_env *e, const struct slide_ref *ref,
                                  bool urgent)
{
    struct notice *n = xcalloc(1, sizeof *n);
    n->a = &e->c->ann[ref->index];
    n->urgent = urgent;
    const struct nb_announcement *a = n->a;
    bool has_text = a->title[0] || a->body[0] || a->countdown > 0;

    SDL_Rect inner = { e->mx, e->my, e->w - 2 * e->mx, e->h - 2 * e->my };
    int img_w, img_h;
    n->img = draw_media_size(e->d, a->image, &img_w, &img_h);
    if (n->img && !has_text) {
        n->poster = true;
        n->img_box = (SDL_Rect){ 0, 0, e->w, e->h };
        layout_qr(n, e, inner, 0);
        return n;   /* title and body stay zeroed: no lines, no pages */
    }

    n->text_box = inner;
    int gap = slide_px(e, 0.045, 8);
    if (n->img) {
        if (e->portrait) {
            int ih = (int)(inner.h * 0.40);
            n->img_box = (SDL_Rect){ inner.x, inner.y, inner.w, ih };
            n->text_box = (SDL_Rect){ inner.x, inner.y + ih + gap, inner.w, inner.h - ih - gap };
        } else {
            int iw = (int)(inner.w * 0.45);
            n->img_box = (SDL_Rect){ inner.x + inner.w - iw, inner.y, iw, inner.h };
            n->text_box = (SDL_Rect){ inner.x, inner.y, inner.w - iw - gap, inner.h };
        }
    }
    layout_qr(n, e, inner, gap);

    int y = 0;
    if (urgent)
        n->label_size = slide_px(e, 0.048, e->floor);
    else if (a->priority == PRIO_HIGH)
        n->label_size = (int)lround(e->floor * 0.9);
    if (n->label_size)
        y += slide_pill_height(e, n->label_size) + slide_px(e, 0.03, 6);

    if (a->countdown > 0) {
        n->cd_big = slide_px(e, 0.12, e->floor * 2);
        n->cd_small = slide_px(e, 0.05, e->floor);
        n->cd_h = fonts_line_height(e->d->fonts, n->cd_big, FONT_BOLD);
        y += n->cd_h;
    }

    int tw = n->text_box.w, th = n->text_box.h;
    const struct text_measurer *bold = fonts_measurer(e->d->fonts, FONT_BOLD);
    const struct text_measurer *reg = fonts_measurer(e->d->fonts, FONT_REGULAR);
    int title_min = (int)lround(e->floor * 1.3);
    int title_max = slide_px(e, a->body[0] ? (urgent ? 0.095 : 0.074) : 0.11, title_min);
    int title_box = a->body[0] ? (int)((th - y) * 0.42) : th - y;
    text_fit(a->title, tw, title_box, title_min, title_max, 1.15, bold, &n->title);
    /* No orphan: a title whose last line holds one or two characters is set
     * a little smaller until it loses that line (down to 80% of its size). */
    for (int size = n->title.layout.size, floor_size = size * 4 / 5;
         n->title.layout.nlines > 1 && size > floor_size && size > title_min;) {
        const struct text_line *last = &n->title.layout.lines[n->title.layout.nlines - 1];
        if (utf8_len_n(a->title + last->start, last->len) > 2)
            break;
        size -= size / 25 > 1 ? size / 25 : 1;
        struct text_fit t;
        text_fit(a->title, tw, title_box, title_min, size, 1.15, bold, &t);
        bool better = t.layout.nlines < n->title.layout.nlines;
        if (better || size <= floor_size) {
            if (better) {
                text_fit_free(&n->title);
                n->title = t;
            } else {
                text_fit_free(&t);
            }
            break;
        }
        text_fit_free(&t);
    }
    n->title_h = (int)n->title.layout.nlines * n->title.layout.line_height;
    y += n->title_h;

    if (a->body[0]) {
        n->rule_h = a->title[0] ? slide_px(e, 0.007, 3) : 0;
        n->rule_gap = a->title[0] ? slide_px(e, 0.03, 6) : 0;
        y += n->rule_h + 2 * n->rule_gap;
        int min_body = fonts_line_height(e->d->fonts, e->floor, FONT_REGULAR) * 2;
        n->body_h = th - y < min_body ? min_body : th - y;
        int body_min = urgent ? (int)lround(e->floor * 1.2) : e->floor;
        int body_max = slide_px(e, urgent ? 0.07 : 0.054, body_min);
        text_fit(a->body, tw, n->body_h, body_min, body_max, 1.45, reg, &n->body);
    }
    return n;
}

static void *announcement_layout(const struct slide_env *e, const struct slide_ref *ref)
{
    return notice_layout_common(e, ref, false);
}

static void *urgent_layout(const struct slide_env *e, const struct slide_ref *ref)
{
    return notice_layout_common(e, ref, true);
}

static size_t notice_pages(const void *st)
{
    const struct notice *n = st;
    return n->body.npages > 1 ? n->body.npages : 1;
}

/* 「还有 N 天」 with N large, or 「就在今天」, for the day being drawn: the
 * page is redrawn as the minute changes (notice_dated), so it turns at
 * midnight; the schedule drops the notice after the day. */
static void draw_countdown(const struct notice *n, const struct slide_env *e, int x, int y,
                           SDL_Color big, SDL_Color fg)
{
    int64_t left = n->a->countdown - e->now / WHEN_MIN_PER_DAY;
    int lb = fonts_line_height(e->d->fonts, n->cd_big, FONT_BOLD);
    int ls = fonts_line_height(e->d->fonts, n->cd_small, FONT_BOLD);
    int sy = y + (lb - ls) * 3 / 4;    /* the small words sit low, by the number's foot */
    if (left <= 0) {
        draw_str(e->d, "就在今天", n->cd_big, FONT_BOLD, big, x, y, DRAW_LEFT);
        return;
    }
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)left);
    int gap = n->cd_small / 3;
    x += draw_str(e->d, "还有", n->cd_small, FONT_BOLD, fg, x, sy, DRAW_LEFT) + gap;
    x += draw_str(e->d, num, n->cd_big, FONT_BOLD, big, x, y, DRAW_LEFT) + gap;
    draw_str(e->d, "天", n->cd_small, FONT_BOLD, fg, x, sy, DRAW_LEFT);
}

static bool notice_dated(const void *st)
{
    const struct notice *n = st;
    return n->cd_h > 0;
}

static void notice_draw(const void *st, const struct slide_env *e, size_t page)
{
    const struct notice *n = st;
    const struct theme *th = e->d->theme;
    SDL_Color bg = draw_color(n->urgent ? th->urgent_bg : th->bg);
    SDL_Color fg = draw_color(n->urgent ? th->urgent_fg : th->fg);
    SDL_Color accent = n->urgent ? fg : draw_color(th->accent);
    draw_rect(e->d, (SDL_Rect){ 0, 0, e->w, e->h }, bg);
    /* An image that fails to decode leaves its box in the background. */
    if (n->poster) {
        draw_media(e->d, n->a->image, n->img_box, true);
        slide_qr_draw(e, n->a->qr, n->qr_px, n->qr.x, n->qr.y);
        return;
    }
    if (n->img)
        draw_media(e->d, n->a->image, n->img_box, true);
    if (n->qr.w)
        slide_qr_draw(e, n->a->qr, n->qr_px, n->qr.x, n->qr.y);

    /* A single page is centred vertically: a short notice should sit in
     * the middle of the screen, not cling to the header. */
    int content = n->title_h;
    if (n->label_size)
        content += slide_pill_height(e, n->label_size) + slide_px(e, 0.03, 6);
    content += n->cd_h;
    if (n->a->body[0]) {
        size_t lines = n->body.npages ? n->body.page_first[1] - n->body.page_first[0] : 0;
        content += n->rule_h + 2 * n->rule_gap + (int)lines * n->body.layout.line_height;
    }
    int x = n->text_box.x, y = n->text_box.y;
    if (notice_pages(n) == 1 && content < n->text_box.h)
        y += (n->text_box.h - content) / 2;

    if (n->label_size) {
        const char *label = n->urgent ? "紧急通知" : "重要";
        slide_pill(e, label, n->label_size, x, y, bg, n->urgent ? fg : accent);
        y += slide_pill_height(e, n->label_size) + slide_px(e, 0.03, 6);
    }
    SDL_Rect box = { x, y, n->text_box.w, n->title_h };
    draw_lines(e->d, n->a->title, &n->title.layout, 0, n->title.layout.nlines, box, FONT_BOLD,
               fg, DRAW_LEFT);
    y += n->title_h;
    if (n->cd_h) {
        draw_countdown(n, e, x, y, n->urgent ? fg : accent, fg);
        y += n->cd_h;
    }
    if (n->a->body[0]) {
        y += n->rule_gap;
        if (n->rule_h)
            draw_round_rect(e->d, (SDL_Rect){ x, y, slide_px(e, 0.075, 24), n->rule_h },
                            n->rule_h / 2, accent);
        y += n->rule_h + n->rule_gap;
        draw_fit_page(e->d, n->a->body, &n->body, page,
                      (SDL_Rect){ x, y, n->text_box.w, n->body_h }, FONT_REGULAR, fg, DRAW_LEFT);
    }
    SDL_Color muted = n->urgent ? fg : draw_color(th->muted);
    slide_page_number(e, page, notice_pages(n), muted);
}

static void notice_destroy(void *st)
{
    struct notice *n = st;
    if (!n)
        return;
    text_fit_free(&n->title);
    text_fit_free(&n->body);
    free(n);
}

static void notice_ahead(const void *st, const struct slide_env *e, size_t page)
{
    const struct notice *n = st;
    if (n->img)
        draw_media_ahead(e->d, n->a->image, n->img_box.w, n->img_box.h, true);
}

const struct slide_impl slide_announcement_impl = {
    .name = "announcement",
    .layout = announcement_layout,
    .pages = notice_pages,
    .draw = notice_draw,
    .ahead = notice_ahead,
    .destroy = notice_destroy,
    .dated = notice_dated,
};

const struct slide_impl slide_urgent_impl = {
    .name = "urgent",
    .layout = urgent_layout,
    .pages = notice_pages,
    .draw = notice_draw,
    .ahead = notice_ahead,
    .destroy = notice_destroy,
    .dated = notice_dated,
};
