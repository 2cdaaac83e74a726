/* draw.c — drawing primitives on the current render target.  Called only
 * when a page is laid out (scene.c rasterises each page once), so clarity
 * beats speed here: shapes are built as anti-aliased surfaces in software. */
#include "player/draw.h"

#include <SDL_image.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/feed.h"
#include "core/image.h"
#include "core/jpg.h"
#include "core/log.h"
#include "core/util.h"
#include "player/testmode.h"

SDL_Color draw_color(struct rgb c)
{
    return (SDL_Color){ c.r, c.g, c.b, 255 };
}

SDL_Color draw_alpha(SDL_Color c, Uint8 a)
{
    c.a = a;
    return c;
}

void draw_rect(const struct draw *d, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(d->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(d->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(d->r, &rc);
}

/* Coverage (0..1) of the pixel at (x, y) by a w x h rectangle with corners
 * of radius rad: 1 inside, a one-pixel ramp on the rounded edge. */
static float round_coverage(int x, int y, int w, int h, float rad)
{
    float px = (float)x + 0.5f, py = (float)y + 0.5f, cx, cy;
    if (px < rad)
        cx = rad;
    else if (px > (float)w - rad)
        cx = (float)w - rad;
    else
        return 1.0f;
    if (py < rad)
        cy = rad;
    else if (py > (float)h - rad)
        cy = (float)h - rad;
    else
        return 1.0f;
    float dist = sqrtf((px - cx) * (px - cx) + (py - cy) * (py - cy));
    float cov = rad - dist + 0.5f;
    return cov < 0 ? 0 : cov > 1 ? 1 : cov;
}

static void blit_surface(const struct draw *d, SDL_Surface *s, SDL_Rect dst)
{
    SDL_Texture *t = SDL_CreateTextureFromSurface(d->r, s);
    if (!t) {
        log_msg_once(LOG_LEVEL_WARN, "cannot create texture %dx%d: %s", s->w, s->h,
                     SDL_GetError());
        return;
    }
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    SDL_RenderCopy(d->r, t, NULL, &dst);
    SDL_DestroyTexture(t);
}

static SDL_Surface *new_argb(int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        log_msg_once(LOG_LEVEL_WARN, "cannot create surface %dx%d: %s", w, h, SDL_GetError());
    return s;
}

SDL_Surface *draw_round_surface(int w, int h, int radius, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return NULL;
    int shortest = w < h ? w : h;
    if (radius * 2 > shortest)
        radius = shortest / 2;
    SDL_Surface *s = new_argb(w, h);
    if (!s)
        return NULL;
    float rad = (float)(radius > 0 ? radius : 0);
    for (int y = 0; y < h; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < w; x++) {
            float cov = rad > 0 ? round_coverage(x, y, w, h, rad) : 1.0f;
            Uint32 a = (Uint32)lrintf(cov * (float)c.a);
            row[x] = (a << 24) | ((Uint32)c.r << 16) | ((Uint32)c.g << 8) | c.b;
        }
    }
    return s;
}

void draw_round_rect(const struct draw *d, SDL_Rect rc, int radius, SDL_Color c)
{
    if (rc.w <= 0 || rc.h <= 0)
        return;
    if (radius <= 0) {
        draw_rect(d, rc, c);
        return;
    }
    SDL_Surface *s = draw_round_surface(rc.w, rc.h, radius, c);
    if (!s)
        return;
    blit_surface(d, s, rc);
    SDL_FreeSurface(s);
}

int draw_text_width(const struct draw *d, const char *s, size_t len, int size,
                    enum font_weight w)
{
    if (len == 0)
        return 0;
    const struct text_measurer *m = fonts_measurer(d->fonts, w);
    return m->width(m->ctx, s, len, size);
}

int draw_text(const struct draw *d, const char *s, size_t len, int size,
              enum font_weight w, SDL_Color c, int x, int y, enum draw_align align)
{
    if (len == 0)
        return 0;
    SDL_Surface *surf = fonts_render(d->fonts, s, len, size, w, (SDL_Color){ c.r, c.g, c.b, 255 });
    if (!surf)
        return 0;
    if (align == DRAW_CENTER)
        x -= surf->w / 2;
    else if (align == DRAW_RIGHT)
        x -= surf->w;
    SDL_Texture *t = SDL_CreateTextureFromSurface(d->r, surf);
    int width = surf->w;
    if (t) {
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        SDL_SetTextureAlphaMod(t, c.a);
        SDL_RenderCopy(d->r, t, NULL, &(SDL_Rect){ x, y, surf->w, surf->h });
        SDL_DestroyTexture(t);
    } else {
        log_msg_once(LOG_LEVEL_WARN, "cannot create text texture: %s", SDL_GetError());
    }
    SDL_FreeSurface(surf);
    return width;
}

int draw_str(const struct draw *d, const char *s, int size, enum font_weight w,
             SDL_Color c, int x, int y, enum draw_align align)
{
    return draw_text(d, s, strlen(s), size, w, c, x, y, align);
}

size_t draw_ellipsis_cut(const struct draw *d, const char *s, int size, enum font_weight w,
                         int width)
{
    size_t len = strlen(s);
    if (draw_text_width(d, s, len, size, w) <= width)
        return len;
    /* Bisection over the bytes, on character starts; lo fits with its "…". */
    size_t lo = 0, hi = len;
    struct sbuf t = {0};
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && (s[mid] & 0xC0) == 0x80)
            mid--;
        if (mid == lo) {
            mid = lo + 1;
            while (mid < hi && (s[mid] & 0xC0) == 0x80)
                mid++;
            if (mid >= hi)
                break;
        }
        t.len = 0;
        sbuf_add(&t, s, mid);
        sbuf_adds(&t, "…");
        if (draw_text_width(d, t.s, t.len, size, w) <= width)
            lo = mid;
        else
            hi = mid;
    }
    sbuf_free(&t);
    return lo;
}

int draw_str_within(const struct draw *d, const char *s, int size, enum font_weight w,
                    SDL_Color c, int x, int y, enum draw_align align, int width)
{
    size_t len = strlen(s), cut = draw_ellipsis_cut(d, s, size, w, width);
    if (cut == len)
        return draw_text(d, s, len, size, w, c, x, y, align);
    char *t = xasprintf("%.*s…", (int)cut, s);
    int drawn = draw_text(d, t, strlen(t), size, w, c, x, y, align);
    free(t);
    return drawn;
}

int draw_fit_line(const struct draw *d, const char *s, int width, int min, int max,
                  enum font_weight w)
{
    size_t len = strlen(s);
    /* Text width grows about linearly with size: one estimate, then step down. */
    int at_max = draw_text_width(d, s, len, max, w);
    if (at_max <= width)
        return max;
    int size = (int)((double)max * width / at_max);
    if (size > max)
        size = max;
    while (size > min && draw_text_width(d, s, len, size, w) > width)
        size--;
    return size < min ? min : size;
}

void draw_lines(const struct draw *d, const char *text, const struct text_layout *l,
                size_t from, size_t to, SDL_Rect box, enum font_weight w, SDL_Color c,
                enum draw_align align)
{
    int y = box.y;
    for (size_t i = from; i < to && i < l->nlines; i++) {
        const struct text_line *ln = &l->lines[i];
        int x = align == DRAW_CENTER ? box.x + box.w / 2
              : align == DRAW_RIGHT  ? box.x + box.w
                                     : box.x;
        draw_text(d, text + ln->start, ln->len, l->size, w, c, x, y, align);
        y += l->line_height;
    }
}

void draw_fit_page(const struct draw *d, const char *text, const struct text_fit *fit,
                   size_t page, SDL_Rect box, enum font_weight w, SDL_Color c,
                   enum draw_align align)
{
    if (page >= fit->npages)
        return;
    draw_lines(d, text, &fit->layout, fit->page_first[page], fit->page_first[page + 1],
               box, w, c, align);
}

/* What a JPEG decoded into, and what it was expected to be. */
struct decode_want {
    int w, h;                   /* the size the feed stored; 0 when unknown */
    SDL_Surface *s;
    const char *why;            /* why the target was refused */
};

static uint8_t *decode_target(void *ctx, const struct jpg_shape *shape, size_t *pitch)
{
    struct decode_want *want = ctx;
    if (shape->w > IMAGE_MAX_SIDE || shape->h > IMAGE_MAX_SIDE) {
        want->why = "larger than the cap";
        return NULL;
    }
    if (want->w && (shape->w != want->w || shape->h != want->h)) {
        want->why = "not the size the feed stored";
        return NULL;
    }
    want->s = new_argb(shape->out_w, shape->out_h);
    if (!want->s)
        return NULL;
    *pitch = (size_t)want->s->pitch;
    return want->s->pixels;
}

/* draw_decode_image with a target size (tw x th, 0: full) for a JPEG and
 * the size the feed stored (w x h, 0: unknown), checked before decoding. */
static SDL_Surface *decode(const void *data, size_t len, int tw, int th, int w, int h,
                           const char *what)
{
    struct decode_want want = { .w = w, .h = h };
    char err[JPG_ERR_MAX];
    /* The same header check as the sync tool's (core/image.h): size caps,
     * PNG pixels, completeness.  A feed made elsewhere (or by an older
     * sync tool) may hold what the importer would now refuse. */
    struct image_info info;
    if (!image_probe(data, len, &info, NULL)) {
        snprintf(err, sizeof err, "%s", info.problem);
    } else if (info.type == IMAGE_PNG) {
        SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
        want.s = rw ? IMG_LoadPNG_RW(rw) : NULL;
        if (rw)
            SDL_RWclose(rw);
        snprintf(err, sizeof err, "%s", SDL_GetError());
    } else {
        if (!jpg_decode(data, len, tw, th, decode_target, &want, err, sizeof err)) {
            SDL_FreeSurface(want.s);
            want.s = NULL;
        }
        if (want.why)
            snprintf(err, sizeof err, "%s", want.why);
    }
    if (!want.s)
        log_msg_once(LOG_LEVEL_WARN, "image %s does not decode: %s", what, err);
    return want.s;
}

SDL_Surface *draw_decode_image(const void *data, size_t len, const char *what)
{
    return decode(data, len, 0, 0, 0, 0, what);
}

bool draw_media_size(const struct draw *d, const char *name, int *w, int *h)
{
    if (!d->feed || !name || !*name)
        return false;
    if (!feed_media_info(d->feed, name, w, h)) {
        log_msg_once(LOG_LEVEL_WARN, "media %s is not in the feed", name);
        return false;
    }
    return true;
}

struct ahead_image {
    char *name;
    int bw, bh;
    bool contain;
    SDL_Surface *s;
};

struct draw_ahead {
    struct ahead_image *v;
    size_t n, cap;
};

struct draw_ahead *draw_ahead_new(void)
{
    return xcalloc(1, sizeof(struct draw_ahead));
}

/* The image decoded ahead for exactly this request, handed over; or NULL. */
static SDL_Surface *take_ahead(const struct draw *d, const char *name, int bw, int bh,
                               bool contain)
{
    struct draw_ahead *a = d->ahead;
    for (size_t i = 0; a && i < a->n; i++) {
        struct ahead_image *m = &a->v[i];
        if (m->bw == bw && m->bh == bh && m->contain == contain && !strcmp(m->name, name)) {
            SDL_Surface *s = m->s;
            free(m->name);
            a->v[i] = a->v[--a->n];
            return s;
        }
    }
    return NULL;
}

static SDL_Surface *load_fit(const struct draw *d, const char *name, int bw, int bh,
                             bool contain);

void draw_media_ahead(const struct draw *d, const char *name, int bw, int bh, bool contain)
{
    struct draw_ahead *a = d->ahead;
    if (!a || !name || !*name)
        return;
    SDL_Surface *s = load_fit(d, name, bw, bh, contain);
    if (!s)
        return;                 /* the draw tries again, and logs nothing new */
    xgrow(&a->v, &a->cap, a->n + 1, sizeof *a->v);
    a->v[a->n++] = (struct ahead_image){ xstrdup(name), bw, bh, contain, s };
}

static void ahead_clear(struct draw_ahead *a)
{
    for (size_t i = 0; a && i < a->n; i++) {
        free(a->v[i].name);
        SDL_FreeSurface(a->v[i].s);
    }
    if (a)
        a->n = 0;
}

void draw_ahead_drop(const struct draw *d)
{
    ahead_clear(d->ahead);
}

void draw_ahead_free(struct draw_ahead *a)
{
    if (!a)
        return;
    ahead_clear(a);
    free(a->v);
    free(a);
}

SDL_Surface *draw_load_media_fit(const struct draw *d, const char *name, int bw, int bh,
                                 bool contain)
{
    if (!name || !*name)
        return NULL;
    SDL_Surface *s = take_ahead(d, name, bw, bh, contain);
    return s ? s : load_fit(d, name, bw, bh, contain);
}

static SDL_Surface *load_fit(const struct draw *d, const char *name, int bw, int bh,
                             bool contain)
{
    if (!d->feed)
        return NULL;
    void *data = NULL;
    size_t len = 0;
    int w = 0, h = 0;
    if (!feed_media(d->feed, name, &data, &len, &w, &h)) {
        log_msg_once(LOG_LEVEL_WARN, "media %s is not in the feed", name);
        return NULL;
    }
    /* The size it will be shown at, rounded up, in integers so that a box
     * of exactly half the image allows exactly half. */
    int tw = 0, th = 0;
    if (bw > 0 && bh > 0 && w > 0 && h > 0) {
        bool by_width = ((int64_t)bw * h < (int64_t)bh * w) == contain;
        if (by_width) {
            tw = bw;
            th = (int)(((int64_t)h * bw + w - 1) / w);
        } else {
            th = bh;
            tw = (int)(((int64_t)w * bh + h - 1) / h);
        }
    }
    SDL_Surface *s = decode(data, len, tw, th, w, h, name);
    free(data);
    if (s)
        testmode_count(TM_IMAGE);
    return s;
}

SDL_Surface *draw_load_media(const struct draw *d, const char *name)
{
    return draw_load_media_fit(d, name, 0, 0, true);
}

bool draw_media(const struct draw *d, const char *name, SDL_Rect box, bool contain)
{
    SDL_Surface *img = draw_load_media_fit(d, name, box.w, box.h, contain);
    bool ok = img != NULL;
    draw_image(d, img, box, contain);
    SDL_FreeSurface(img);
    return ok;
}

bool draw_media_circle(const struct draw *d, const char *name, SDL_Rect box)
{
    /* draw_image_circle covers a square of the short side. */
    int dia = box.w < box.h ? box.w : box.h;
    SDL_Surface *img = draw_load_media_fit(d, name, dia, dia, false);
    bool ok = img != NULL;
    draw_image_circle(d, img, box);
    SDL_FreeSurface(img);
    return ok;
}

SDL_Surface *draw_load_file(const char *path)
{
    size_t len = 0;
    char *data = read_file(path, 32u << 20, &len);
    if (!data) {
        log_msg_once(LOG_LEVEL_WARN, "cannot read image %s: %s", path, strerror(errno));
        return NULL;
    }
    SDL_Surface *s = draw_decode_image(data, len, path);
    free(data);
    return s;
}

int draw_crop_top(int img_h, int crop_h)
{
    /* People are photographed with the face in the upper part of a
     * portrait frame: a centred crop of a head-and-shoulders photo cuts
     * the forehead.  A fifth of the spare height above the crop keeps a
     * 3:4 ID photo's face whole and its eyes near the circle's middle. */
    return img_h > crop_h ? (img_h - crop_h) / 5 : 0;
}

void draw_image(const struct draw *d, SDL_Surface *img, SDL_Rect box, bool contain)
{
    if (!img || box.w <= 0 || box.h <= 0 || img->w <= 0 || img->h <= 0)
        return;
    SDL_Texture *t = SDL_CreateTextureFromSurface(d->r, img);
    if (!t) {
        log_msg_once(LOG_LEVEL_WARN, "cannot create image texture: %s", SDL_GetError());
        return;
    }
    SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    double sx = (double)box.w / img->w, sy = (double)box.h / img->h;
    if (contain) {
        double s = sx < sy ? sx : sy;
        int w = (int)lround(img->w * s), h = (int)lround(img->h * s);
        SDL_Rect dst = { box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h };
        SDL_RenderCopy(d->r, t, NULL, &dst);
    } else {
        double s = sx > sy ? sx : sy;
        int w = (int)lround(box.w / s), h = (int)lround(box.h / s);
        SDL_Rect src = { (img->w - w) / 2, draw_crop_top(img->h, h), w, h };
        SDL_RenderCopy(d->r, t, &src, &box);
    }
    SDL_DestroyTexture(t);
}

void draw_image_circle(const struct draw *d, SDL_Surface *img, SDL_Rect box)
{
    int dia = box.w < box.h ? box.w : box.h;
    if (!img || dia <= 0)
        return;
    SDL_Surface *src = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_Surface *dst = new_argb(dia, dia);
    if (!src || !dst) {
        SDL_FreeSurface(src);
        SDL_FreeSurface(dst);
        return;
    }
    /* Crop a square (centred across, high in a portrait photo: see
     * draw_crop_top), then average the source pixels under each target
     * pixel (box filter): photos shrink a lot and stay smooth. */
    int side = src->w < src->h ? src->w : src->h;
    int ox = (src->w - side) / 2, oy = draw_crop_top(src->h, side);
    double step = (double)side / dia;
    float rad = (float)dia / 2;
    for (int y = 0; y < dia; y++) {
        Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch);
        int y0 = oy + (int)(y * step), y1 = oy + (int)((y + 1) * step);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (int x = 0; x < dia; x++) {
            int x0 = ox + (int)(x * step), x1 = ox + (int)((x + 1) * step);
            if (x1 <= x0)
                x1 = x0 + 1;
            Uint32 r = 0, g = 0, b = 0, n = 0;
            for (int sy = y0; sy < y1 && sy < src->h; sy++) {
                const Uint32 *in = (const Uint32 *)((const Uint8 *)src->pixels +
                                                    (size_t)sy * (size_t)src->pitch);
                for (int sx = x0; sx < x1 && sx < src->w; sx++) {
                    r += (in[sx] >> 16) & 0xff;
                    g += (in[sx] >> 8) & 0xff;
                    b += in[sx] & 0xff;
                    n++;
                }
            }
            if (!n)
                n = 1;
            float cov = round_coverage(x, y, dia, dia, rad);
            Uint32 a = (Uint32)lrintf(cov * 255.0f);
            out[x] = (a << 24) | ((r / n) << 16) | ((g / n) << 8) | (b / n);
        }
    }
    blit_surface(d, dst, (SDL_Rect){ box.x + (box.w - dia) / 2, box.y + (box.h - dia) / 2, dia, dia });
    SDL_FreeSurface(src);
    SDL_FreeSurface(dst);
}
