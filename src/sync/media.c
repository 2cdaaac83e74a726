/* media.c — checks, decodes, downscales and re-encodes the photos and
 * posters on a stick.  Headers are judged before any decoder runs; JPEGs
 * decode with libjpeg at a reduced DCT scale when the target is small,
 * PNGs with the typed SDL2_image loader, on surfaces (no SDL video). */
#include "sync/media.h"

#include <SDL.h>
#include <SDL_image.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "core/jpg.h"
#include "core/log.h"
#include "core/util.h"

#define MSG_CORRUPT "图片文件已损坏或不完整"
#define JPEG_QUALITY 88

static bool fail(char **why, const char *msg)
{
    if (why)
        *why = xstrdup(msg);
    return false;
}

/* The header check is core/image.c's, the one both programs use (whole:
 * with the completeness check). */
static bool probe(const uint8_t *d, size_t len, bool whole, enum media_type *type, int *width,
                  int *height, int *orient, char **why)
{
    struct image_info info;
    bool ok = whole ? image_probe(d, len, &info, why) : image_header(d, len, &info, why);
    if (!ok)
        log_warn("media: %s", info.problem);
    *type = info.type == IMAGE_PNG ? MEDIA_PNG : info.type == IMAGE_JPEG ? MEDIA_JPEG : MEDIA_NONE;
    *width = info.w;
    *height = info.h;
    *orient = info.orient;
    return ok;
}

bool media_probe(const void *data, size_t len, enum media_type *type, int *width,
                 int *height, char **why)
{
    int orient;
    return probe(data, len, false, type, width, height, &orient, why);
}

/* ---------------------------------------------------------------- pixels */

/* Halves an ARGB8888 surface with a 2x2 box filter: a clean, fast first
 * stage for big photos before the final linear stretch (linear alone from
 * 4000 px to 1920 px skips pixels and shimmers). */
static SDL_Surface *halve(SDL_Surface *s)
{
    int w = s->w / 2, h = s->h / 2;
    SDL_Surface *o = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!o)
        return NULL;
    for (int y = 0; y < h; y++) {
        const uint32_t *r0 = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)(2 * y) * s->pitch);
        const uint32_t *r1 = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)(2 * y + 1) * s->pitch);
        uint32_t *out = (uint32_t *)((uint8_t *)o->pixels + (size_t)y * o->pitch);
        for (int x = 0; x < w; x++) {
            uint32_t a = r0[2 * x], b = r0[2 * x + 1], c = r1[2 * x], d = r1[2 * x + 1];
            /* Two channels at a time: 0x00FF00FF lanes leave room for the
             * carries of four 8-bit sums plus rounding. */
            uint32_t lo = ((a & 0x00FF00FF) + (b & 0x00FF00FF) + (c & 0x00FF00FF) +
                           (d & 0x00FF00FF) + 0x00020002) >> 2;
            uint32_t hi = (((a >> 8) & 0x00FF00FF) + ((b >> 8) & 0x00FF00FF) +
                           ((c >> 8) & 0x00FF00FF) + ((d >> 8) & 0x00FF00FF) + 0x00020002) >> 2;
            out[x] = (lo & 0x00FF00FF) | ((hi & 0x00FF00FF) << 8);
        }
    }
    return o;
}

/* Scales s (ARGB8888) to exactly w x h; takes ownership of s. */
static SDL_Surface *scale_to(SDL_Surface *s, int w, int h)
{
    while (s->w >= 2 * w && s->h >= 2 * h && s->w >= 2 && s->h >= 2) {
        SDL_Surface *o = halve(s);
        SDL_FreeSurface(s);
        if (!o)
            return NULL;
        s = o;
    }
    if (s->w == w && s->h == h)
        return s;
    SDL_Surface *o = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (o && SDL_SoftStretchLinear(s, NULL, o, NULL) != 0) {
        SDL_FreeSurface(o);
        o = NULL;
    }
    SDL_FreeSurface(s);
    return o;
}

/* Applies EXIF orientation 2..8 (mirror and/or rotate); takes ownership. */
static SDL_Surface *orient_surface(SDL_Surface *s, int orient)
{
    if (orient <= 1 || orient > 8)
        return s;
    bool swap = orient >= 5;
    int w = swap ? s->h : s->w, h = swap ? s->w : s->h;
    SDL_Surface *o = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!o) {
        SDL_FreeSurface(s);
        return NULL;
    }
    for (int y = 0; y < s->h; y++) {
        const uint32_t *in = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            int dx, dy;
            switch (orient) {
            case 2: dx = s->w - 1 - x; dy = y; break;                 /* mirror */
            case 3: dx = s->w - 1 - x; dy = s->h - 1 - y; break;      /* 180 */
            case 4: dx = x; dy = s->h - 1 - y; break;                 /* flip */
            case 5: dx = y; dy = x; break;                            /* transpose */
            case 6: dx = s->h - 1 - y; dy = x; break;                 /* 90 cw */
            case 7: dx = s->h - 1 - y; dy = s->w - 1 - x; break;      /* transverse */
            default: dx = y; dy = s->w - 1 - x; break;                /* 8: 90 ccw */
            }
            ((uint32_t *)((uint8_t *)o->pixels + (size_t)dy * o->pitch))[dx] = in[x];
        }
    }
    SDL_FreeSurface(s);
    return o;
}

static bool has_alpha(const SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        const uint32_t *r = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < s->w; x++)
            if ((r[x] >> 24) != 0xFF)
                return true;
    }
    return false;
}

/* ---------------------------------------------------------------- JPEG decoding */

struct jpeg_want {
    int w, h;               /* the size the header said */
    SDL_Surface *s;
    int denom;
};

static uint8_t *jpeg_surface(void *ctx, const struct jpg_shape *shape, size_t *pitch)
{
    struct jpeg_want *want = ctx;
    if (shape->w != want->w || shape->h != want->h) {
        log_warn("media: libjpeg reads %dx%d, header said %dx%d", shape->w, shape->h, want->w,
                 want->h);
        return NULL;
    }
    want->s = SDL_CreateRGBSurfaceWithFormat(0, shape->out_w, shape->out_h, 32,
                                             SDL_PIXELFORMAT_ARGB8888);
    if (!want->s) {
        log_error("media: surface of %dx%d: %s", shape->out_w, shape->out_h, SDL_GetError());
        return NULL;
    }
    want->denom = shape->denom;
    *pitch = (size_t)want->s->pitch;
    return want->s->pixels;
}

/* Decodes a whole JPEG (judged w x h) at the largest DCT scale that still
 * covers tw x th, so the final downscale (ours, box filter then linear) is
 * what sets the quality, as before; only the pixels we would have averaged
 * away are never made.  NULL, logged, for a file libjpeg refuses or a size
 * that disagrees with the header we judged. */
static SDL_Surface *jpeg_decode(const uint8_t *data, size_t len, int w, int h, int tw, int th,
                                int *denom)
{
    struct jpeg_want want = { .w = w, .h = h, .denom = 1 };
    char err[JPG_ERR_MAX];
    if (!jpg_decode(data, len, tw, th, jpeg_surface, &want, err, sizeof err)) {
        log_warn("media: JPEG decoding failed: %s", err);
        SDL_FreeSurface(want.s);
        return NULL;
    }
    *denom = want.denom;
    return want.s;
}

/* ---------------------------------------------------------------- encoding */

/* A write-only SDL_RWops that appends to an sbuf: SDL has no growable
 * memory stream, and the encoders need one. */
static size_t sbuf_rw_write(SDL_RWops *rw, const void *p, size_t size, size_t n)
{
    sbuf_add(rw->hidden.unknown.data1, p, size * n);
    return n;
}

static Sint64 sbuf_rw_size(SDL_RWops *rw)
{
    return (Sint64)((struct sbuf *)rw->hidden.unknown.data1)->len;
}

static Sint64 sbuf_rw_seek(SDL_RWops *rw, Sint64 off, int whence)
{
    /* Encoders only ask where they are. */
    return off == 0 && whence == RW_SEEK_CUR ? sbuf_rw_size(rw) : -1;
}

static size_t sbuf_rw_read(SDL_RWops *rw, void *p, size_t size, size_t n)
{
    return 0;
}

static int sbuf_rw_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

static bool encode(SDL_Surface *s, bool png, struct sbuf *out)
{
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw)
        return false;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = out;
    rw->write = sbuf_rw_write;
    rw->read = sbuf_rw_read;
    rw->seek = sbuf_rw_seek;
    rw->size = sbuf_rw_size;
    rw->close = sbuf_rw_close;
    int r = png ? IMG_SavePNG_RW(s, rw, 1) : IMG_SaveJPG_RW(s, rw, 1, JPEG_QUALITY);
    return r == 0 && out->len > 0;
}

/* Hands the encoded bytes to out, with their type and sha256. */
static void set_output(struct media_out *out, struct sbuf *enc, bool png)
{
    out->len = enc->len;
    out->data = sbuf_take(enc);
    out->mime = png ? "image/png" : "image/jpeg";
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, out->data, out->len);
    sodium_bin2hex(out->sha256, sizeof out->sha256, d, sizeof d);
}

static bool img_ready(void)
{
    static int inited;
    if (!inited) {
        /* Surfaces only: no SDL_Init(SDL_INIT_VIDEO), so no display needed. */
        if (sodium_init() < 0) {
            log_error("media: libsodium failed to initialise");
            inited = -1;
            return false;
        }
        int want = IMG_INIT_JPG | IMG_INIT_PNG;
        inited = (IMG_Init(want) & want) == want ? 1 : -1;
        if (inited < 0)
            log_error("media: SDL_image lacks JPEG or PNG support: %s", IMG_GetError());
    }
    return inited > 0;
}

bool media_prepare(const void *data, size_t len, int max_w, int max_h,
                   struct media_out *out, char **why)
{
    memset(out, 0, sizeof *out);
    enum media_type type;
    int w, h, orient;
    if (len > MEDIA_MAX_BYTES) {
        log_warn("media: %zu bytes exceeds the %u byte limit", len, MEDIA_MAX_BYTES);
        if (why)
            *why = xasprintf("图片文件过大（最大 %u MB）", MEDIA_MAX_BYTES >> 20);
        return false;
    }
    if (!probe(data, len, true, &type, &w, &h, &orient, why))
        return false;
    /* Scans and coefficient memory (core/jpg.h): jpg_decode enforces them
     * too; checked here first to tell staff why in plain words. */
    if (type == MEDIA_JPEG && !jpg_check_limits(data, len, why))
        return false;
    if (!img_ready())
        return fail(why, MSG_CORRUPT);
    /* Fit the upright image into max_w x max_h, never enlarging. */
    bool swap = orient >= 5;
    int uw = swap ? h : w, uh = swap ? w : h;
    int tw = uw, th = uh;
    if (max_w > 0 && max_h > 0 && (uw > max_w || uh > max_h)) {
        if ((int64_t)uw * max_h > (int64_t)uh * max_w) {
            tw = max_w;
            th = (int)(((int64_t)uh * max_w + uw / 2) / uw);
        } else {
            th = max_h;
            tw = (int)(((int64_t)uw * max_h + uh / 2) / uh);
        }
        if (tw < 1)
            tw = 1;
        if (th < 1)
            th = 1;
    }
    SDL_Surface *s;
    int denom = 1;
    if (type == MEDIA_JPEG) {
        /* Rotation comes after scaling, so the target is in the stored
         * (sideways) orientation. */
        s = jpeg_decode(data, len, w, h, swap ? th : tw, swap ? tw : th, &denom);
        if (!s)
            return fail(why, MSG_CORRUPT);
    } else {
        SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
        if (!rw)
            return fail(why, MSG_CORRUPT);
        SDL_Surface *img = IMG_LoadPNG_RW(rw);
        SDL_RWclose(rw);
        if (!img) {
            log_warn("media: decoding failed: %s", IMG_GetError());
            return fail(why, MSG_CORRUPT);
        }
        if (img->w != w || img->h != h) {
            log_warn("media: decoded %dx%d, header said %dx%d", img->w, img->h, w, h);
            SDL_FreeSurface(img);
            return fail(why, MSG_CORRUPT);
        }
        s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(img);
        if (!s) {
            log_error("media: convert: %s", SDL_GetError());
            return fail(why, MSG_CORRUPT);
        }
    }
    s = scale_to(s, swap ? th : tw, swap ? tw : th);
    if (s)
        s = orient_surface(s, orient);
    if (!s) {
        log_error("media: scaling failed: %s", SDL_GetError());
        return fail(why, MSG_CORRUPT);
    }
    bool png = type == MEDIA_PNG && has_alpha(s);
    struct sbuf enc = {0};
    if (!encode(s, png, &enc)) {
        log_error("media: encoding %s failed: %s", png ? "PNG" : "JPEG", IMG_GetError());
        sbuf_free(&enc);
        SDL_FreeSurface(s);
        return fail(why, MSG_CORRUPT);
    }
    out->width = s->w;
    out->height = s->h;
    out->decode_scale = denom;
    SDL_FreeSurface(s);
    set_output(out, &enc, png);
    return true;
}

bool media_encode_xrgb(const void *pixels, int w, int h, int pitch, bool png,
                       struct media_out *out)
{
    memset(out, 0, sizeof *out);
    if (!img_ready())
        return false;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom((void *)pixels, w, h, 32, pitch,
                                                        SDL_PIXELFORMAT_RGB888);
    if (!s) {
        log_error("media: surface of %dx%d: %s", w, h, SDL_GetError());
        return false;
    }
    struct sbuf enc = {0};
    bool ok = encode(s, png, &enc);
    SDL_FreeSurface(s);
    if (!ok) {
        log_error("media: encoding %s failed: %s", png ? "PNG" : "JPEG", IMG_GetError());
        sbuf_free(&enc);
        return false;
    }
    out->width = w;
    out->height = h;
    out->decode_scale = 1;
    set_output(out, &enc, png);
    return true;
}

bool media_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (!n || n > 255 || name[0] == '.' || !utf8_valid(name, n, NULL))
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || strchr("/\\\"*:<>?|", *p))
            return false;
    /* Windows also refuses a trailing dot or space. */
    return name[n - 1] != '.' && name[n - 1] != ' ';
}

void media_out_free(struct media_out *m)
{
    if (!m)
        return;
    free(m->data);
    memset(m, 0, sizeof *m);
}
