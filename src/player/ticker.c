/* ticker.c — the scrolling band.  Item texts are rendered once, in chunks of
 * a few dozen characters so that no texture exceeds what a small GPU takes
 * (a long item at 40 px would pass 8192 px), and laid end to end as a strip. */
#include "player/ticker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/util.h"

#define CHUNK_CHARS 24
#define SEPARATOR "●"

struct chunk {
    SDL_Surface *surf;
    SDL_Texture *tex;           /* NULL until drawn (or after invalidation) */
    double x;                   /* offset in the strip */
};

struct ticker {
    const struct draw *d;
    int w, h, margin;
    struct chunk *chunks;
    size_t n, cap;
    double period;
};

static void add_chunk(struct ticker *t, SDL_Surface *s, double *x, double after)
{
    if (!s)
        return;
    xgrow(&t->chunks, &t->cap, t->n + 1, sizeof *t->chunks);
    t->chunks[t->n++] = (struct chunk){ s, NULL, *x };
    *x += s->w + after;
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
            size_t end = at, chars = 0;
            while (end < len && chars < CHUNK_CHARS) {
                uint32_t cp;
                size_t k = utf8_decode(line + end, len - end, &cp);
                end += k ? k : 1;
                chars++;
            }
            add_chunk(t, fonts_render(d->fonts, line + at, end - at, size, FONT_REGULAR, fg), &x,
                      end < len ? 0 : gap);
            at = end;
        }
        free(line);
        add_chunk(t, fonts_render(d->fonts, SEPARATOR, strlen(SEPARATOR), (int)(size * 0.45),
                                  FONT_REGULAR, draw_alpha(fg, 255)), &x, gap);
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
        SDL_FreeSurface(t->chunks[i].surf);
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

static void draw_strip(struct ticker *t, double sx, int x, int y)
{
    for (size_t i = 0; i < t->n; i++) {
        struct chunk *c = &t->chunks[i];
        double cx = sx + c->x;
        if (cx >= x + t->w || cx + c->surf->w <= x)
            continue;
        if (!c->tex) {
            c->tex = SDL_CreateTextureFromSurface(t->d->r, c->surf);
            if (!c->tex) {
                log_msg_once(LOG_LEVEL_WARN, "cannot create ticker texture: %s", SDL_GetError());
                continue;
            }
            SDL_SetTextureBlendMode(c->tex, SDL_BLENDMODE_BLEND);
        }
        SDL_FRect dst = { (float)cx, (float)(y + (t->h - c->surf->h) / 2), (float)c->surf->w,
                          (float)c->surf->h };
        SDL_RenderCopyF(t->d->r, c->tex, NULL, &dst);
    }
}

void ticker_draw(struct ticker *t, int x, int y, double scrolled)
{
    draw_rect(t->d, (SDL_Rect){ x, y, t->w, t->h }, draw_color(t->d->theme->ticker_bg));
    SDL_Rect clip = { x, y, t->w, t->h };
    SDL_RenderSetClipRect(t->d->r, &clip);
    double off = scrolled - t->w;
    if (off < 0) {
        draw_strip(t, x - off, x, y);
    } else {
        off = fmod(off, t->period);
        for (double sx = x - off; sx < x + t->w; sx += t->period)
            draw_strip(t, sx, x, y);
    }
    SDL_RenderSetClipRect(t->d->r, NULL);
}
