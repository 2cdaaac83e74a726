/* slide_honors.c — an honor roll: its title, then a grid of cards (photo or
 * initial avatar, name large, honor, unit · year), or of names alone when
 * that is all the roll has; the fewest pages, then the largest cards. */
#include "player/slide.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/kinds.h"
#include "core/log.h"
#include "core/util.h"

/* Line spacing of a card's lines: the CJK font's own line height has ample
 * leading, and one-line items need less of it (issue 18: 100 names took 9
 * pages). */
#define CARD_SPACING 0.9
/* Grid rows at most: a tall portrait screen takes 7 or 8 rows of cards;
 * 12 of cards with a name alone. */
#define HONORS_MAX_ROWS 8
#define HONORS_MAX_ROWS_NAMES 12

struct hcard {
    const struct nb_honor *h;
    bool photo;                 /* in the feed (decoded only while drawn); else the
                                 * initial avatar */
    char *meta;                 /* unit (· year), may be "" */
    int name_size;
    struct text_layout honor;   /* wrapped to the card's text width */
    struct text_layout metal;
    int meta_x;                 /* > 0: meta drawn on the honor's line, this far
                                 * right of the text's left edge (metal empty) */
};

struct hstate {
    const struct nb_roll *roll;
    struct hcard *cards;
    size_t n;                   /* cards laid out: at most HONORS_ROLL_MAX */
    size_t more;                /* the roll's people left out */
    int cols, rows;
    int card_w, card_h, gap;
    bool vertical;              /* avatar above the text (few, large cards) */
    int avatar, pad;
    int text_w;
    int name_max, honor_size, meta_size;
    int heading_h;
    bool show_year;             /* false when the roll's title already says it */
    bool merge;                 /* honor and meta share a line on every card (a
                                 * denser grid than three lines allow) */
    bool too_short;             /* grid_ok failed on a card's text height only */
    bool names_only;            /* nobody has a photo, honor or unit: a card is the
                                 * name alone, no initial avatar */
};

/* Card geometry for a grid: the avatar and text width follow from the card. */
static void card_geometry(const struct slide_env *e, struct hstate *s)
{
    s->vertical = s->card_w < s->card_h * 1.25;
    s->pad = (int)lround((s->card_w < s->card_h ? s->card_w : s->card_h) * 0.08);
    if (s->pad < 4)
        s->pad = 4;
    if (s->names_only) {
        s->vertical = true;
        s->avatar = 0;
        s->text_w = s->card_w - 2 * s->pad;
    } else if (s->vertical) {
        int a = (int)(s->card_h * 0.42), b = (int)(s->card_w * 0.6);
        s->avatar = a < b ? a : b;
        s->text_w = s->card_w - 2 * s->pad;
    } else {
        /* The name, not the avatar, is what residents look for. */
        int a = s->card_h - 2 * s->pad, b = (int)(s->card_w * 0.23);
        s->avatar = a < b ? a : b;
        s->text_w = s->card_w - 3 * s->pad - s->avatar;
    }
    (void)e;
}

/* The height a card leaves its text, `pads` paddings taken off. */
static int text_room(const struct hstate *s, int pads)
{
    if (s->names_only)
        return s->card_h - pads * s->pad;
    return s->vertical ? s->card_h - (pads + 1) * s->pad - s->avatar : s->card_h - pads * s->pad;
}

/* Text height a card needs at the floor sizes for entry h. */
static char *meta_text(const struct hstate *s, const struct nb_honor *h)
{
    const char *year = s->show_year ? h->year : "";
    if (h->unit[0] && year[0])
        return xasprintf("%s · %s", h->unit, year);
    return xstrdup(h->unit[0] ? h->unit : year);
}

static int name_height(const struct slide_env *e, int size)
{
    return (int)lround(fonts_line_height(e->d->fonts, size, FONT_BOLD) * CARD_SPACING);
}

/* Where the meta goes on the honor's line (> 0), or 0 when it does not fit
 * there (or one of them is empty). */
static int meta_inline_x(const struct slide_env *e, const char *honor, const char *meta,
                         int width, int size)
{
    if (!honor[0] || !meta[0] || strchr(honor, '\n') || strchr(meta, '\n'))
        return 0;
    int x = draw_text_width(e->d, honor, strlen(honor), size, FONT_REGULAR) + size * 2 / 3;
    if (x + draw_text_width(e->d, meta, strlen(meta), size, FONT_REGULAR) > width)
        return 0;
    return x;
}

static int wrapped_height(const struct slide_env *e, const char *text, int width, int size)
{
    if (!text[0])
        return 0;
    struct text_layout l;
    text_wrap(text, width, size, CARD_SPACING, fonts_measurer(e->d->fonts, FONT_REGULAR), &l);
    int h = (int)l.nlines * l.line_height;
    text_layout_free(&l);
    return h;
}

static int card_text_need(const struct slide_env *e, const struct hstate *s,
                          const struct nb_honor *h)
{
    int need = name_height(e, s->name_max);
    need += wrapped_height(e, h->honor, s->text_w, s->honor_size);
    char *meta = meta_text(s, h);
    if (!s->merge)
        need += wrapped_height(e, meta, s->text_w, s->meta_size);
    else if (!meta_inline_x(e, h->honor, meta, s->text_w, s->honor_size) && h->honor[0] &&
             meta[0])
        need = INT_MAX / 2;     /* merged grids merge every card, or none */
    free(meta);
    return need;
}

/* Does a cols x rows grid give every card room for its text? */
/* The card size of a cols x rows grid in w x h: false when there is none. */
static bool grid_size(const struct slide_env *e, struct hstate *s, int cols, int rows, int w,
                      int h)
{
    s->cols = cols;
    s->rows = rows;
    s->card_w = (w - (cols - 1) * s->gap) / cols;
    s->card_h = (h - (rows - 1) * s->gap) / rows;
    if (s->card_w <= 0 || s->card_h <= 0)
        return false;
    /* A few names get generous cards, not cards as large as the screen. */
    int max_w = (int)(e->unit * 0.62), max_h = (int)(e->unit * 0.28);
    if (s->card_w > max_w)
        s->card_w = max_w;
    if (s->card_h > max_h)
        s->card_h = max_h;
    return true;
}

static bool grid_ok(const struct slide_env *e, struct hstate *s, int cols, int rows, int w, int h)
{
    s->too_short = false;
    if (!grid_size(e, s, cols, rows, w, h))
        return false;
    card_geometry(e, s);
    if (!s->names_only && (s->avatar < e->floor * 2 || s->text_w < e->floor * 5))
        return false;
    /* Name lines must fit at least at the floor size; a name alone, a
     * quarter larger (it is all the card says). */
    int name_min = s->names_only ? e->floor * 5 / 4 : e->floor;
    int text_h = text_room(s, 2);
    for (size_t i = 0; i < s->n; i++) {
        const struct nb_honor *hh = &s->roll->entries[i];
        if (draw_text_width(e->d, hh->name, strlen(hh->name), name_min, FONT_BOLD) > s->text_w)
            return false;
        int saved = s->name_max;
        s->name_max = name_min;
        int need = card_text_need(e, s, hh);
        s->name_max = saved;
        if (need > text_h) {
            s->too_short = true;
            return false;
        }
    }
    return true;
}

static void *honors_layout(const struct slide_env *e, const struct slide_ref *ref)
{
    struct hstate *s = xcalloc(1, sizeof *s);
    s->roll = &e->c->rolls[ref->index];
    /* The import refuses a roll of more than HONORS_ROLL_MAX people, so a
     * roll is shown whole however many pages it takes; the bound is for a
     * feed that did not come through it. */
    s->n = s->roll->nentries < HONORS_ROLL_MAX ? s->roll->nentries : HONORS_ROLL_MAX;
    int inner_w = e->w - 2 * e->mx, inner_h = e->h - 2 * e->my;
    s->heading_h = slide_heading_height(e, s->roll->name, inner_w);
    int gw = inner_w, gh = inner_h - s->heading_h;
    s->gap = slide_px(e, 0.024, 6);
    s->honor_size = e->floor;
    s->meta_size = e->floor;
    s->name_max = slide_px(e, 0.056, e->floor);
    /* 2026年度优秀志愿者 needs no "2026" on every card. */
    s->show_year = false;
    for (size_t i = 0; i < s->n; i++) {
        const char *y = s->roll->entries[i].year;
        if (y[0] && (strcmp(y, s->roll->entries[0].year) != 0 || !strstr(s->roll->name, y)))
            s->show_year = true;
    }
    s->names_only = true;
    for (size_t i = 0; i < s->n && s->names_only; i++) {
        const struct nb_honor *h = &s->roll->entries[i];
        s->names_only = !(h->photo && h->photo[0]) && !h->honor[0] && !h->unit[0] &&
                        !(s->show_year && h->year[0]);
    }

    /* Fewest pages first; then no wholly empty row on a single page; then
     * the largest card. */
    int best_c = 1, best_r = 1;
    bool best_m = false;
    size_t best_pages = SIZE_MAX;
    long best_area = -1;
    int max_rows = s->names_only ? HONORS_MAX_ROWS_NAMES : HONORS_MAX_ROWS;
    for (int rows = 1; rows <= max_rows; rows++) {
        for (int cols = 1; cols <= 6; cols++) {
            /* A grid that cannot win is not measured (every card's text
             * wrapped: 300 long names, 96 grids). */
            size_t per = (size_t)(cols * rows);
            size_t pages = s->n ? (s->n + per - 1) / per : 1;
            if (pages > best_pages || !grid_size(e, s, cols, rows, gw, gh) ||
                (pages == best_pages && (long)s->card_w * s->card_h <= best_area))
                continue;
            /* Three lines a card where they fit, else honor · meta on one. */
            s->merge = false;
            if (!grid_ok(e, s, cols, rows, gw, gh)) {
                if (!s->too_short)
                    continue;
                s->merge = true;
                if (!grid_ok(e, s, cols, rows, gw, gh))
                    continue;
            }
            if (pages == 1 && s->n && per - s->n >= (size_t)cols)
                continue;
            long area = (long)s->card_w * s->card_h;
            if (pages < best_pages || (pages == best_pages && area > best_area)) {
                best_pages = pages;
                best_area = area;
                best_c = cols;
                best_r = rows;
                best_m = s->merge;
            }
        }
    }
    if (best_pages == SIZE_MAX) {
        /* Nothing passes (huge names on a tiny screen): a dense grid at the
         * floor, still readable, cards as tall as the text needs. */
        best_c = e->portrait ? 2 : 3;
        best_r = 3;
    }
    s->merge = best_m;
    grid_ok(e, s, best_c, best_r, gw, gh);
    s->more = s->roll->nentries - s->n;
    if (s->more)
        log_msg_once(LOG_LEVEL_WARN, "honor roll: %zu of %zu people left out (%d at most)",
                     s->more, s->roll->nentries, HONORS_ROLL_MAX);

    s->cards = xcalloc(s->n ? s->n : 1, sizeof *s->cards);
    const struct text_measurer *reg = fonts_measurer(e->d->fonts, FONT_REGULAR);
    int name_cap = s->vertical ? slide_px(e, 0.06, e->floor) : s->name_max;
    /* One name size per card grid, from the longest name, so names line up. */
    int name_size = name_cap;
    for (size_t i = 0; i < s->n; i++) {
        int sz = draw_fit_line(e->d, s->roll->entries[i].name, s->text_w, e->floor, name_cap,
                               FONT_BOLD);
        if (sz < name_size)
            name_size = sz;
    }
    for (size_t i = 0; i < s->n; i++) {
        struct hcard *c = &s->cards[i];
        c->h = &s->roll->entries[i];
        int pw, ph;
        c->photo = draw_media_size(e->d, c->h->photo, &pw, &ph);
        c->meta = meta_text(s, c->h);
        text_wrap(c->h->honor, s->text_w, s->honor_size, CARD_SPACING, reg, &c->honor);
        c->meta_x = s->merge ? meta_inline_x(e, c->h->honor, c->meta, s->text_w, s->honor_size)
                             : 0;
        if (!c->meta_x)
            text_wrap(c->meta, s->text_w, s->meta_size, CARD_SPACING, reg, &c->metal);
    }
    /* ... and no taller than the card leaves room for, half its padding
     * given to the text (grid_ok checked that the floor size fits in the
     * padded room). */
    int text_h = text_room(s, 1);
    int rest = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct hcard *c = &s->cards[i];
        int r = (int)c->honor.nlines * c->honor.line_height +
                (int)c->metal.nlines * c->metal.line_height;
        rest = r > rest ? r : rest;
    }
    while (name_size > e->floor && name_height(e, name_size) + rest > text_h)
        name_size--;
    for (size_t i = 0; i < s->n; i++)
        s->cards[i].name_size = name_size;
    return s;
}

static size_t honors_pages(const void *st)
{
    const struct hstate *s = st;
    size_t per = (size_t)(s->cols * s->rows);
    return s->n ? (s->n + per - 1) / per : 1;
}

/* Avatar colours: mid-tones that carry white text at >= 3:1 (large text). */
static const struct rgb avatar_palette[] = {
    { 0x2e, 0x6d, 0xb4 }, { 0x1e, 0x7f, 0x66 }, { 0xb0, 0x4a, 0x22 }, { 0x7a, 0x4f, 0xb3 },
    { 0xa8, 0x32, 0x6e }, { 0x3d, 0x7a, 0x2c }, { 0x4a, 0x5a, 0x8c }, { 0x9c, 0x5b, 0x12 },
};

/* The colour of a name's avatar: FNV-1a of its bytes, so it is stable. */
static struct rgb avatar_colour(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return avatar_palette[h % ARRAY_LEN(avatar_palette)];
}

static void draw_avatar(const struct slide_env *e, const struct hcard *c, SDL_Rect box)
{
    /* A photo that fails to decode gives the avatar it would have had
     * without one. */
    if (c->photo && draw_media_circle(e->d, c->h->photo, box))
        return;
    draw_round_rect(e->d, box, box.w / 2, draw_color(avatar_colour(c->h->name)));
    /* The surname: the first character (Chinese names put it first). */
    uint32_t cp;
    size_t len = utf8_decode(c->h->name, strlen(c->h->name), &cp);
    if (!len)
        return;
    char ch[8];
    memcpy(ch, c->h->name, len);
    ch[len] = 0;
    if (cp < 0x80 && ch[0] >= 'a' && ch[0] <= 'z')
        ch[0] = (char)(ch[0] - 'a' + 'A');
    int size = (int)(box.w * 0.46);
    int lh = fonts_line_height(e->d->fonts, size, FONT_BOLD);
    draw_str(e->d, ch, size, FONT_BOLD, (SDL_Color){ 255, 255, 255, 255 }, box.x + box.w / 2,
             box.y + (box.h - lh) / 2, DRAW_CENTER);
}

static void draw_card(const struct slide_env *e, const struct hstate *s, const struct hcard *c,
                      int x, int y)
{
    const struct theme *th = e->d->theme;
    SDL_Color fg = draw_color(th->fg), muted = draw_color(th->muted);
    draw_round_rect(e->d, (SDL_Rect){ x, y, s->card_w, s->card_h }, s->pad,
                    draw_color(th->card_bg));
    int name_lh = name_height(e, c->name_size);
    int meta_lh = (int)c->metal.nlines * c->metal.line_height;
    int honor_h = (int)c->honor.nlines * c->honor.line_height;
    int text_h = name_lh + honor_h + meta_lh;
    if (s->vertical) {
        int above = s->names_only ? 0 : s->avatar + s->pad;
        int top = y + (s->card_h - above - text_h) / 2;
        if (!s->names_only)
            draw_avatar(e, c, (SDL_Rect){ x + (s->card_w - s->avatar) / 2, top, s->avatar,
                                          s->avatar });
        int ty = top + above, cx = x + s->card_w / 2;
        draw_str_within(e->d, c->h->name, c->name_size, FONT_BOLD, fg, cx, ty, DRAW_CENTER,
                        s->text_w);
        ty += name_lh;
        if (c->meta_x) {
            /* honor and meta centred together on one line */
            int mw = draw_text_width(e->d, c->meta, strlen(c->meta), s->honor_size, FONT_REGULAR);
            int lx = cx - (c->meta_x + mw) / 2;
            draw_str(e->d, c->h->honor, s->honor_size, FONT_REGULAR, fg, lx, ty, DRAW_LEFT);
            draw_str(e->d, c->meta, s->honor_size, FONT_REGULAR, muted, lx + c->meta_x, ty,
                     DRAW_LEFT);
        } else {
            draw_lines(e->d, c->h->honor, &c->honor, 0, c->honor.nlines,
                       (SDL_Rect){ x + s->pad, ty, s->text_w, honor_h }, FONT_REGULAR, fg,
                       DRAW_CENTER);
        }
        ty += honor_h;
        draw_lines(e->d, c->meta, &c->metal, 0, c->metal.nlines,
                   (SDL_Rect){ x + s->pad, ty, s->text_w, meta_lh }, FONT_REGULAR, muted,
                   DRAW_CENTER);
    } else {
        draw_avatar(e, c, (SDL_Rect){ x + s->pad, y + (s->card_h - s->avatar) / 2, s->avatar,
                                      s->avatar });
        int tx = x + 2 * s->pad + s->avatar;
        int ty = y + (s->card_h - text_h) / 2;
        draw_str_within(e->d, c->h->name, c->name_size, FONT_BOLD, fg, tx, ty, DRAW_LEFT,
                        s->text_w);
        ty += name_lh;
        draw_lines(e->d, c->h->honor, &c->honor, 0, c->honor.nlines,
                   (SDL_Rect){ tx, ty, s->text_w, honor_h }, FONT_REGULAR, fg, DRAW_LEFT);
        if (c->meta_x)
            draw_str(e->d, c->meta, s->honor_size, FONT_REGULAR, muted, tx + c->meta_x, ty,
                     DRAW_LEFT);
        ty += honor_h;
        draw_lines(e->d, c->meta, &c->metal, 0, c->metal.nlines,
                   (SDL_Rect){ tx, ty, s->text_w, meta_lh }, FONT_REGULAR, muted, DRAW_LEFT);
    }
}

static void honors_draw(const void *st, const struct slide_env *e, size_t page)
{
    const struct hstate *s = st;
    const struct theme *th = e->d->theme;
    draw_rect(e->d, (SDL_Rect){ 0, 0, e->w, e->h }, draw_color(th->bg));
    int inner_w = e->w - 2 * e->mx, inner_h = e->h - 2 * e->my;
    slide_heading(e, s->roll->name, e->mx, e->my, inner_w, draw_color(th->fg),
                  draw_color(th->accent));
    size_t per = (size_t)(s->cols * s->rows);
    size_t first = page * per, last = first + per < s->n ? first + per : s->n;
    size_t count = last - first;
    /* Rows actually used, centred in the space under the heading. */
    int used_rows = (int)((count + (size_t)s->cols - 1) / (size_t)s->cols);
    int grid_h = used_rows * s->card_h + (used_rows - 1) * s->gap;
    int avail = inner_h - s->heading_h;
    int top = e->my + s->heading_h + (avail - grid_h) / 2;
    for (size_t i = first; i < last; i++) {
        size_t k = i - first;
        int row = (int)(k / (size_t)s->cols), col = (int)(k % (size_t)s->cols);
        /* The last row, if short, is centred. */
        size_t in_row = row == used_rows - 1 ? count - (size_t)row * (size_t)s->cols
                                             : (size_t)s->cols;
        int row_w = (int)in_row * s->card_w + ((int)in_row - 1) * s->gap;
        int left = e->mx + (inner_w - row_w) / 2;
        draw_card(e, s, &s->cards[i], left + col * (s->card_w + s->gap),
                  top + row * (s->card_h + s->gap));
    }
    if (s->more && page + 1 == honors_pages(s)) {
        char more[64];
        snprintf(more, sizeof more, "另有%zu位未能显示", s->more);
        slide_more(e, more, draw_color(th->muted));
    }
    slide_page_number(e, page, honors_pages(s), draw_color(th->muted));
}

static void honors_destroy(void *st)
{
    struct hstate *s = st;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->cards[i].meta);
        text_layout_free(&s->cards[i].honor);
        text_layout_free(&s->cards[i].metal);
    }
    free(s->cards);
    free(s);
}

/* The photos of a page's cards, at the avatar size draw_avatar asks for. */
static void honors_ahead(const void *st, const struct slide_env *e, size_t page)
{
    const struct hstate *s = st;
    size_t per = (size_t)(s->cols * s->rows);
    for (size_t i = page * per; i < s->n && i < (page + 1) * per; i++)
        if (s->cards[i].photo)
            draw_media_ahead(e->d, s->cards[i].h->photo, s->avatar, s->avatar, false);
}

const struct slide_impl slide_honors_impl = {
    .name = "honors",
    .layout = honors_layout,
    .pages = honors_pages,
    .draw = honors_draw,
    .ahead = honors_ahead,
    .destroy = honors_destroy,
};
