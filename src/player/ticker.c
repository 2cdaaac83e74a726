/* ticker.c — the scrolling band.  Item texts are measured once, in chunks of
 * a few dozen characters so that no texture exceeds what a small GPU takes
 * (a long item at 40 px would pass 8192 px), and laid end to end as a strip;
 * a chunk is rendered when it scrolls into the band and let go when it has
 * left, so only about a band's width of text is held as pixels. */
#include "player/ticker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/text.h"
#include "core/util.h"

#define CHUNK_CHARS 24
#define SEPARATOR "●"

struct chunk {
    char *text;
    size_t len;
    int size, w, h;             /* pixel size; the rendered width and height */
    SDL_Color color;
    SDL_Texture *tex;           /* NULL while out of the band (or invalidated) */
    unsigned long drawn;        /* the last frame it was drawn in */
    double x;                   /* offset in the strip */
};

struct ticker {
    const struct draw *d;
    int w, h, margin;
    struct chunk *chunks;
    size_t n, cap;
    double period;
    unsigned long frame;
};

/* Appends s[0..len) at *x when it draws anything (its measured width equals
 * the width fonts_render gives it), then advances *x by it and `after`. */
static void add_chunk(struct ticker *t, const char *s, size_t len, int size, SDL_Color color,
                      double *x, double after)
{
    int w = draw_text_width(t->d, s, len, size, FONT_REGULAR);
    if (w <= 0)
        return;
    xgrow(&t->chunks, &t->cap, t->n + 1, sizeof *t->chunks);
    t->chunks[t->n++] = (struct chunk){
        .text = xstrndup(s, len), .len = len, .size = size, .w = w,
        .h = fonts_line_height(t->d->fonts, size, FONT_REGULAR), .color = color, .x = *x,
    };
    *x += w + after;
}

struct ticker *ticker_create(const struct draw *d, int w, int h, int unit, int margin,
                             const struct feed_content *c, const struct plan *p)
{
    if (!p || p->nticker == 0)
        return NULL;
    struct ticker *t = xcalloc(1, sizeof *t);
    t->d = d;
    t->w = w;
    t->h = h;
    int size = (int)lround(h * 0.5);
    if (size < unit / 30)
        size = unit / 30;
    t->margin = margin;
    SDL_Color fg = draw_color(d->theme->ticker_fg);
    double gap = size * 1.6, x = 0;
    for (size_t i = 0; i < p->nticker; i++) {
        const char *text = c->ticker[p->ticker[i]].text;
        /* One line: paragraph breaks become spaces. */
        char *line = xstrdup(text);
        for (char *q = line; *q; q++)
            if (*q == '\n' || *q == '\r' || *q == '\t')
                *q = ' ';
        size_t len = strlen(line), at = 0;
        while (at < len) {
            /* Whole characters: 👍🏽 or 👨‍👩‍👧 cut between two chunks would be
             * drawn as pieces (up to 4 x CHUNK_CHARS code points, so a
             * chain of thousands still makes bounded chunks). */
            size_t end = at, chars = 0;
            uint32_t prev = 0;
            while (end < len && chars < 4 * CHUNK_CHARS) {
                uint32_t cp;
                size_t k = utf8_decode(line + end, len - end, &cp);
                if (chars >= CHUNK_CHARS && !(k && text_joined(prev, cp)))
                    break;
                end += k ? k : 1;
                prev = k ? cp : 0;
                chars++;
            }
            add_chunk(t, line + at, end - at, size, fg, &x, end < len ? 0 : gap);
            at = end;
        }
        free(line);
        add_chunk(t, SEPARATOR, strlen(SEPARATOR), (int)(size * 0.45), draw_alpha(fg, 255), &x,
                  gap);
    }
    t->period = x > 0 ? x : 1;
    return t;
}

void ticker_invalidate(struct ticker *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        if (t->chunks[i].tex)
            SDL_DestroyTexture(t->chunks[i].tex);
        t->chunks[i].tex = NULL;
    }
}

void ticker_destroy(struct ticker *t)
{
    if (!t)
        return;
    ticker_invalidate(t);
    for (size_t i = 0; i < t->n; i++)
        free(t->chunks[i].text);
    free(t->chunks);
    free(t);
}

double ticker_period(const struct ticker *t)
{
    return t->period;
}

double ticker_still_offset(const struct ticker *t)
{
    return t->w - t->margin;
}

/* The chunk's texture, rendered from its text when it has none. */
static SDL_Texture *chunk_texture(struct ticker *t, struct chunk *c)
{
    if (c->tex)
        return c->tex;
    SDL_Surface *s = fonts_render(t->d->fonts, c->text, c->len, c->size, FONT_REGULAR, c->color);
    if (s)
        c->tex = SDL_CreateTextureFromSurface(t->d->r, s);
    if (s && !c->tex)
        log_msg_once(LOG_LEVEL_WARN, "cannot create ticker texture: %s", SDL_GetError());
    SDL_FreeSurface(s);
    if (c->tex)
        SDL_SetTextureBlendMode(c->tex, SDL_BLENDMODE_BLEND);
    return c->tex;
}

static void draw_strip(struct ticker *t, double sx, int x, int y)
{
    for (size_t i = 0; i < t->n; i++) {
        struct chunk *c = &t->chunks[i];
        double cx = sx + c->x;
        if (cx >= x + t->w || cx + c->w <= x)
            continue;
        c->drawn = t->frame;
        SDL_Texture *tex = chunk_texture(t, c);
        if (!tex)
            continue;
        SDL_FRect dst = { (float)cx, (float)(y + (t->h - c->h) / 2), (float)c->w, (float)c->h };
        SDL_RenderCopyF(t->d->r, tex, NULL, &dst);
    }
}

void ticker_draw(struct ticker *t, int x, int y, double scrolled)
{
    draw_rect(t->d, (SDL_Rect){ x, y, t->w, t->h }, draw_color(t->d->theme->ticker_bg));
    SDL_Rect clip = { x, y, t->w, t->h };
    SDL_RenderSetClipRect(t->d->r, &clip);
    t->frame++;
    double off = scrolled - t->w;
    if (off < 0) {
        draw_strip(t, x - off, x, y);
    } else {
        off = fmod(off, t->period);
        for (double sx = x - off; sx < x + t->w; sx += t->period)
            draw_strip(t, sx, x, y);
    }
    SDL_RenderSetClipRect(t->d->r, NULL);
    /* Chunks that have left the band give their pixels back. */
    for (size_t i = 0; i < t->n; i++) {
        struct chunk *c = &t->chunks[i];
        if (c->tex && c->drawn != t->frame) {
            SDL_DestroyTexture(c->tex);
            c->tex = NULL;
        }
    }
}
