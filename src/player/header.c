/* header.c — the header band, rasterised into one opaque target texture that
 * is rebuilt only when the minute (or the clock's trust) changes; every
 * frame in between is a single texture copy. */
#include "player/header.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/lunar.h"
#include "core/util.h"
#include "core/when.h"

#define UNSURE_LABEL "时间未校准"

struct header {
    const struct draw *d;
    int w, h, unit;
    bool portrait;
    char *org;
    SDL_Surface *logo;
    int64_t now;
    bool unsure;
    bool lunar;                 /* the 农历 line (config [display] lunar) */
    SDL_Texture *tex;           /* NULL: to be rasterised */
};

struct header *header_create(const struct draw *d, int w, int h, int unit, bool portrait,
                             const char *org, SDL_Surface *logo)
{
    struct header *hd = xcalloc(1, sizeof *hd);
    hd->d = d;
    hd->w = w;
    hd->h = h;
    hd->unit = unit;
    hd->portrait = portrait;
    hd->org = xstrdup(org ? org : "");
    hd->logo = logo;
    hd->now = -1;
    return hd;
}

void header_destroy(struct header *h)
{
    if (!h)
        return;
    if (h->tex)
        SDL_DestroyTexture(h->tex);
    free(h->org);
    free(h);
}

void header_invalidate(struct header *h)
{
    if (h && h->tex) {
        SDL_DestroyTexture(h->tex);
        h->tex = NULL;
    }
}

void header_set_lunar(struct header *h, bool on)
{
    if (h && h->lunar != on) {
        h->lunar = on;
        header_invalidate(h);
    }
}

/* Days before 春节 in which the header counts down to it. */
#define SPRING_COUNTDOWN_DAYS 30

/* The 农历 line for the day shown: 「农历十月十五」, with the day's festivals
 * and solar term, and 「距离春节还有 N 天」 in the weeks before it.  short_
 * gives the lunar date alone (for a narrow band).  false: none (turned
 * off, clock not trusted, or a day outside 1901-2100). */
static bool lunar_line(const struct header *h, bool short_, char buf[static LUNAR_TEXT_MAX])
{
    int64_t day = h->now / WHEN_MIN_PER_DAY, spring;
    struct lunar_date ld;
    if (!h->lunar || h->unsure || !lunar_from_civil(day, &ld))
        return false;
    if (short_) {
        lunar_format_date(&ld, buf);
        return true;
    }
    if (!lunar_header_text(day, buf))
        return false;
    if (lunar_next_festival(LUNAR_CHUNJIE, day, &spring) && spring > day &&
        spring - day <= SPRING_COUNTDOWN_DAYS) {
        size_t n = strlen(buf);
        snprintf(buf + n, LUNAR_TEXT_MAX - n, "  距离春节还有%d天", (int)(spring - day));
    }
    return true;
}

bool header_set_time(struct header *h, int64_t now, bool unsure)
{
    if (now == h->now && unsure == h->unsure && h->tex)
        return false;
    h->now = now;
    h->unsure = unsure;
    header_invalidate(h);
    return true;
}

static int line_h(const struct header *h, int size, enum font_weight w)
{
    return fonts_line_height(h->d->fonts, size, w);
}

/* A small pill in the header's colours inverted (the header is often as red
 * as the urgent colour, so that would vanish); returns its width. */
static int draw_notice(const struct header *h, int size, int x, int y, bool measure_only)
{
    const struct draw *d = h->d;
    int tw = draw_text_width(d, UNSURE_LABEL, strlen(UNSURE_LABEL), size, FONT_BOLD);
    int pw = tw + size, ph = line_h(h, size, FONT_BOLD) + size / 4;
    if (!measure_only) {
        draw_round_rect(d, (SDL_Rect){ x, y - ph / 2, pw, ph }, ph / 2,
                        draw_color(d->theme->header_fg));
        draw_str(d, UNSURE_LABEL, size, FONT_BOLD, draw_color(d->theme->header_bg), x + size / 2,
                 y - line_h(h, size, FONT_BOLD) / 2, DRAW_LEFT);
    }
    return pw;
}

/* The organisation's name as laid out in a box w x hgt: one line at the
 * largest size in [0.6 max, max] when it fits; else wrapped on as many lines
 * as the height holds, at the largest size down to a floor (a sixth of the
 * band); else, at the floor, the lines that fit with the last one ending in
 * "…".  Never wider than w: the clock to its right stays clear whatever
 * staff typed.  *text is the text the lines index (the name, or a
 * shortened copy to free: see name_free). */
struct name_fit {
    char *text;
    bool owned;
    struct text_layout l;
};

static void name_free(struct name_fit *n)
{
    if (n->owned)
        free(n->text);
    text_layout_free(&n->l);
}

static int block_h(const struct text_layout *l)
{
    return (int)l->nlines * l->line_height;
}

static void fit_name(const struct header *h, int w, int hgt, int max, struct name_fit *out)
{
    const struct text_measurer *m = fonts_measurer(h->d->fonts, FONT_BOLD);
    int one_min = (int)lround(max * 0.6), floor = (int)lround(h->h / 6.0);
    *out = (struct name_fit){ .text = h->org };
    if (floor < 1)
        floor = 1;
    if (floor > one_min)
        floor = one_min;
    int size = draw_fit_line(h->d, h->org, w, one_min, max, FONT_BOLD);
    if (draw_text_width(h->d, h->org, strlen(h->org), size, FONT_BOLD) <= w) {
        text_wrap(h->org, INT32_MAX / 2, size, 1.0, m, &out->l);
        return;
    }
    struct text_fit f;
    text_fit(h->org, w, hgt, floor, one_min, 1.0, m, &f);
    out->l = f.layout;
    size_t keep = f.page_first[1];
    free(f.page_first);
    if (keep >= out->l.nlines)
        return;
    /* Too long even at the floor: the lines of the first page, the last
     * one cut to end in "…" (bisection over the bytes of the name). */
    size = out->l.size;
    size_t base = out->l.lines[keep - 1].start;
    size_t lo = base, hi = strlen(h->org);
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && (h->org[mid] & 0xC0) == 0x80)
            mid--;
        if (mid == lo)
            break;
        char *t = xasprintf("%.*s…", (int)(mid - base), h->org + base);
        bool ok = draw_text_width(h->d, t, strlen(t), size, FONT_BOLD) <= w;
        free(t);
        if (ok)
            lo = mid;
        else
            hi = mid;
    }
    char *t = xasprintf("%.*s…", (int)lo, h->org);
    text_layout_free(&out->l);
    text_wrap(t, w, size, 1.0, m, &out->l);
    out->text = t;
    out->owned = true;
    if (out->l.nlines > keep)   /* rewrapped differently: keep what fits */
        out->l.nlines = keep;
}

static void rasterise(struct header *h)
{
    const struct draw *d = h->d;
    const struct theme *th = d->theme;
    SDL_Color fg = draw_color(th->header_fg);
    SDL_Color soft = draw_alpha(fg, 215);
    draw_rect(d, (SDL_Rect){ 0, 0, h->w, h->h }, draw_color(th->header_bg));

    int mx = (int)lround(h->portrait ? h->w * 0.055 : h->w * 0.045);
    int gap = (int)lround(h->unit * 0.022);
    char clock[8], date[64];
    int minute = (int)(h->now % WHEN_MIN_PER_DAY);
    snprintf(clock, sizeof clock, "%02d:%02d", minute / 60, minute % 60);
    when_format_date_cn(h->now / WHEN_MIN_PER_DAY, date);
    if (h->unsure) {
        /* A box that booted in 1970 must not tell residents it is 1970:
         * the notice for staff stands where the date was. */
        snprintf(clock, sizeof clock, "--:--");
        date[0] = '\0';
    }

    int clock_size = (int)lround(h->h * (h->portrait ? 0.46 : 0.6));
    int date_size = (int)lround(h->h * (h->portrait ? 0.2 : 0.3));
    int org_max = (int)lround(h->h * (h->portrait ? 0.28 : 0.38));
    int notice_size = (int)lround(date_size * 0.8);
    int mid = h->h / 2;

    /* Right: the clock, the largest thing in the band. */
    int cw = draw_str(d, clock, clock_size, FONT_BOLD, fg, h->w - mx,
                      mid - line_h(h, clock_size, FONT_BOLD) / 2, DRAW_RIGHT);
    int right_x = h->w - mx - cw - gap;

    /* Left: logo, then the name. */
    int x = mx;
    if (h->logo && h->logo->h > 0) {
        int lh = (int)lround(h->h * 0.64);
        int lw = (int)lround((double)h->logo->w * lh / h->logo->h);
        if (lw > h->h * 3)
            lw = h->h * 3;
        draw_image(d, h->logo, (SDL_Rect){ x, (h->h - lh) / 2, lw, lh }, true);
        x += lw + gap / 2;
    }

    char lunar[LUNAR_TEXT_MAX];
    bool has_lunar = lunar_line(h, false, lunar);
    if (!h->portrait && has_lunar) {
        /* Date over the 农历 line, both right-aligned against the clock. */
        int size = (int)lround(h->h * 0.26);
        int lh = line_h(h, size, FONT_REGULAR);
        int top = (h->h - 2 * lh) / 2;
        int dw = draw_str(d, date, size, FONT_REGULAR, soft, right_x, top, DRAW_RIGHT);
        int lw = draw_str(d, lunar, size, FONT_REGULAR, soft, right_x, top + lh, DRAW_RIGHT);
        right_x -= (dw > lw ? dw : lw) + gap;
        date[0] = '\0';        /* drawn: the line below draws nothing */
    }
    if (!h->portrait) {
        int dw = date[0] ? draw_text_width(d, date, strlen(date), date_size, FONT_REGULAR) : 0;
        if (date[0])
            draw_str(d, date, date_size, FONT_REGULAR, soft, right_x,
                     mid - line_h(h, date_size, FONT_REGULAR) / 2, DRAW_RIGHT);
        right_x -= dw ? dw + gap : 0;
        if (h->unsure) {
            int nw = draw_notice(h, notice_size, 0, mid, true);
            right_x -= nw;
            draw_notice(h, notice_size, right_x, mid, false);
            right_x -= gap;
        }
        if (h->org[0] && right_x > x) {
            struct name_fit nf;
            fit_name(h, right_x - x, (int)lround(h->h * 0.92), org_max, &nf);
            SDL_Rect box = { x, (h->h - block_h(&nf.l)) / 2, right_x - x, block_h(&nf.l) };
            draw_lines(d, nf.text, &nf.l, 0, nf.l.nlines, box, FONT_BOLD, fg, DRAW_LEFT);
            name_free(&nf);
        }
        return;
    }

    /* Portrait: name above, date (and the notice) below, clock on the right. */
    int avail = right_x - x;
    int dh = line_h(h, date_size, FONT_REGULAR);
    struct name_fit nf = { .text = h->org };
    if (h->org[0] && avail > 0)
        fit_name(h, avail, (int)lround(h->h * 0.92) - dh, org_max, &nf);
    int oh = block_h(&nf.l);
    int top = (h->h - oh - dh) / 2;
    draw_lines(d, nf.text, &nf.l, 0, nf.l.nlines, (SDL_Rect){ x, top, avail, oh }, FONT_BOLD, fg,
               DRAW_LEFT);
    name_free(&nf);
    int dw = draw_str(d, date, date_size, FONT_REGULAR, soft, x, top + oh, DRAW_LEFT);
    /* The 农历 after the date where the band has room; else its date alone. */
    int room = right_x - x - dw - gap / 2;
    if (has_lunar && draw_text_width(d, lunar, strlen(lunar), date_size, FONT_REGULAR) > room)
        has_lunar = lunar_line(h, true, lunar) &&
                    draw_text_width(d, lunar, strlen(lunar), date_size, FONT_REGULAR) <= room;
    if (has_lunar)
        draw_str(d, lunar, date_size, FONT_REGULAR, soft, x + dw + gap / 2, top + oh, DRAW_LEFT);
    if (h->unsure)
        draw_notice(h, notice_size, x + dw + gap / 2, top + oh + dh / 2, false);
}

void header_draw(struct header *h, int x, int y)
{
    SDL_Renderer *r = h->d->r;
    if (!h->tex) {
        h->tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, h->w,
                                   h->h);
        if (!h->tex) {
            log_msg_once(LOG_LEVEL_WARN, "cannot create header texture: %s", SDL_GetError());
            return;
        }
        /* Opaque (rasterise paints the whole band): copied, not blended. */
        SDL_SetTextureBlendMode(h->tex, SDL_BLENDMODE_NONE);
        SDL_Texture *old = SDL_GetRenderTarget(r);
        SDL_SetRenderTarget(r, h->tex);
        rasterise(h);
        SDL_SetRenderTarget(r, old);
    }
    SDL_RenderCopy(r, h->tex, NULL, &(SDL_Rect){ x, y, h->w, h->h });
}
