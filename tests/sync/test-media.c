/* test-media.c — image checks before decoding, typed decoding, downscaling,
 * EXIF orientation and re-encoding (fixtures in tests/fixtures/images/,
 * made with ImageMagick; the 12-megapixel photo is generated here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "sync/media.h"

#define FIX "tests/fixtures/images"

static char *load(const char *name, size_t *len)
{
    char *p = xasprintf(FIX "/%s", name);
    char *d = read_file(p, 1 << 20, len);
    assert_non_null(d);
    free(p);
    return d;
}

/* Decodes prepared output again, to look at its pixels. */
static SDL_Surface *decode(const struct media_out *m)
{
    SDL_RWops *rw = SDL_RWFromConstMem(m->data, (int)m->len);
    SDL_Surface *s = strcmp(m->mime, "image/png") == 0 ? IMG_LoadPNG_RW(rw) : IMG_LoadJPG_RW(rw);
    SDL_RWclose(rw);
    assert_non_null(s);
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    assert_non_null(c);
    return c;
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch))[x];
}

static int chan(uint32_t p, int shift)
{
    return (int)((p >> shift) & 0xFF);
}

/* media-1.1: JPEG and PNG are recognised by magic bytes, sizes read from
 * the header. */
static void media_1_1(void **state)
{
    size_t len;
    char *d = load("small.jpg", &len);
    enum media_type t;
    int w = 0, h = 0;
    char *why = NULL;
    assert_true(media_probe(d, len, &t, &w, &h, &why));
    assert_int_equal(t, MEDIA_JPEG);
    assert_int_equal(w, 64);
    assert_int_equal(h, 48);
    free(d);
    d = load("alpha.png", &len);
    assert_true(media_probe(d, len, &t, &w, &h, &why));
    assert_int_equal(t, MEDIA_PNG);
    assert_int_equal(w, 40);
    assert_int_equal(h, 30);
    free(d);
}

/* media-1.2: a PNG claiming 60000x60000 is refused from its header alone
 * (the file holds no pixel data at all, so a decoder never ran). */
static void media_1_2(void **state)
{
    size_t len;
    char *d = load("huge-header.png", &len);
    enum media_type t;
    int w, h;
    char *why = NULL;
    assert_false(media_probe(d, len, &t, &w, &h, &why));
    assert_string_equal(why, "图片尺寸 60000×60000 过大（最大 8192×8192）");
    free(why);
    struct media_out m;
    assert_false(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_string_equal(why, "图片尺寸 60000×60000 过大（最大 8192×8192）");
    free(why);
    free(d);
}

/* media-1.3: a text file named .jpg is not an image. */
static void media_1_3(void **state)
{
    size_t len;
    char *d = load("text.jpg", &len);
    enum media_type t;
    int w, h;
    char *why = NULL;
    assert_false(media_probe(d, len, &t, &w, &h, &why));
    assert_string_equal(why, "不是 JPEG 或 PNG 图片");
    free(why);
    struct media_out m;
    assert_false(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_string_equal(why, "不是 JPEG 或 PNG 图片");
    free(why);
    free(d);
}

/* media-1.4: a JPEG cut in half (header intact) and a PNG cut in half are
 * refused as damaged, not shown half grey. */
static void media_1_4(void **state)
{
    size_t len;
    char *d = load("truncated.jpg", &len);
    enum media_type t;
    int w, h;
    char *why = NULL;
    assert_true(media_probe(d, len, &t, &w, &h, &why));
    struct media_out m;
    assert_false(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_string_equal(why, "图片文件已损坏或不完整");
    free(why);
    free(d);
    d = load("alpha.png", &len);
    assert_false(media_prepare(d, len / 2, 1920, 1080, &m, &why));
    assert_string_equal(why, "图片文件已损坏或不完整");
    free(why);
    free(d);
}

/* media-1.5: malformed JPEG headers: no frame header, a zero height, a
 * segment length running past the end. */
static void media_1_5(void **state)
{
    static const uint8_t no_sof[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00,
                                     0xFF, 0xD9};
    static const uint8_t zero[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x00,
                                   0x00, 0x10, 0x01, 0x01, 0x11, 0x00};
    static const uint8_t overrun[] = {0xFF, 0xD8, 0xFF, 0xE1, 0x7F, 0xFF, 0x00};
    enum media_type t;
    int w, h;
    char *why = NULL;
    assert_false(media_probe(no_sof, sizeof no_sof, &t, &w, &h, &why));
    assert_string_equal(why, "图片文件已损坏或不完整");
    free(why);
    assert_false(media_probe(zero, sizeof zero, &t, &w, &h, &why));
    free(why);
    assert_false(media_probe(overrun, sizeof overrun, &t, &w, &h, &why));
    free(why);
    assert_false(media_probe("", 0, &t, &w, &h, &why));
    free(why);
}

/* media-2.1: a small JPEG is never enlarged; the output is a JPEG whose
 * sha256 field is the digest of its bytes. */
static void media_2_1(void **state)
{
    size_t len;
    char *d = load("small.jpg", &len);
    struct media_out m;
    char *why = NULL;
    assert_true(media_prepare(d, len, 3840, 2160, &m, &why));
    assert_int_equal(m.width, 64);
    assert_int_equal(m.height, 48);
    assert_string_equal(m.mime, "image/jpeg");
    uint8_t dg[32];
    char hex[65];
    crypto_hash_sha256(dg, m.data, m.len);
    sodium_bin2hex(hex, sizeof hex, dg, sizeof dg);
    assert_string_equal(hex, m.sha256);
    SDL_Surface *s = decode(&m);
    assert_int_equal(s->w, 64);
    SDL_FreeSurface(s);
    media_out_free(&m);
    /* media-2.1b: fitting into 32x32 keeps the 4:3 aspect. */
    assert_true(media_prepare(d, len, 32, 32, &m, &why));
    assert_int_equal(m.width, 32);
    assert_int_equal(m.height, 24);
    media_out_free(&m);
    free(d);
}

/* media-2.2: a PNG with transparency stays PNG with its alpha; an opaque
 * PNG becomes a JPEG. */
static void media_2_2(void **state)
{
    size_t len;
    char *d = load("alpha.png", &len);
    struct media_out m;
    char *why = NULL;
    assert_true(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_string_equal(m.mime, "image/png");
    SDL_Surface *s = decode(&m);
    assert_int_equal(chan(pixel(s, 0, 0), 24), 0);      /* corner transparent */
    assert_true(chan(pixel(s, 20, 15), 24) > 0);        /* circle not */
    SDL_FreeSurface(s);
    media_out_free(&m);
    free(d);
    d = load("opaque.png", &len);
    assert_true(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_string_equal(m.mime, "image/jpeg");
    assert_int_equal(m.width, 50);
    media_out_free(&m);
    free(d);
}

/* media-2.3: EXIF orientation 6 (a phone held upright): 60x40 red|blue
 * comes out 40x60 with red on top. */
static void media_2_3(void **state)
{
    size_t len;
    char *d = load("rotated.jpg", &len);
    struct media_out m;
    char *why = NULL;
    assert_true(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_int_equal(m.width, 40);
    assert_int_equal(m.height, 60);
    SDL_Surface *s = decode(&m);
    uint32_t top = pixel(s, 20, 5), bottom = pixel(s, 20, 55);
    assert_true(chan(top, 16) > 200 && chan(top, 0) < 60);
    assert_true(chan(bottom, 0) > 200 && chan(bottom, 16) < 60);
    SDL_FreeSurface(s);
    media_out_free(&m);
    free(d);
}

/* media-2.4: a progressive JPEG (many scans) and a CMYK JPEG decode, are
 * found complete and come out as ordinary JPEGs of the same size. */
static void media_2_4(void **state)
{
    static const char *const files[] = {"progressive.jpg", "cmyk.jpg"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        size_t len;
        char *d = load(files[i], &len);
        struct media_out m;
        char *why = NULL;
        assert_true(media_prepare(d, len, 1920, 1080, &m, &why));
        assert_int_equal(m.width, 80);
        assert_int_equal(m.height, 60);
        assert_string_equal(m.mime, "image/jpeg");
        media_out_free(&m);
        free(d);
    }
}

/* media-3.1: a 12-megapixel camera photo (4000x3000, generated now) is
 * downscaled to fit 3840x2160 (2880x2160), cleanly (quadrant colours
 * kept) and fast; the time is printed. */
static void media_3_1(void **state)
{
    SDL_Surface *src = SDL_CreateRGBSurfaceWithFormat(0, 4000, 3000, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(src);
    for (int y = 0; y < 3000; y++)
        for (int x = 0; x < 4000; x++) {
            /* quadrants red, green / blue, white, with fine noise that a
             * bad downscaler would alias */
            uint32_t c = y < 1500 ? (x < 2000 ? 0xFFE01010u : 0xFF10E010u)
                                  : (x < 2000 ? 0xFF1010E0u : 0xFFF0F0F0u);
            if ((x ^ y) & 1)
                c ^= 0x000F0F0Fu;
            ((uint32_t *)((uint8_t *)src->pixels + (size_t)y * src->pitch))[x] = c;
        }
    struct sbuf buf = {0};
    char path[] = "/tmp/nb-test-media-12mp.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    SDL_RWops *rw = SDL_RWFromFile(path, "wb");
    assert_int_equal(IMG_SaveJPG_RW(src, rw, 1, 90), 0);
    SDL_FreeSurface(src);
    size_t len;
    char *d = read_file(path, 64 << 20, &len);
    unlink(path);
    close(fd);
    assert_non_null(d);
    sbuf_free(&buf);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct media_out m;
    char *why = NULL;
    assert_true(media_prepare(d, len, 3840, 2160, &m, &why));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("media-3.1: 4000x3000 JPEG (%zu KB) -> %dx%d JPEG (%zu KB) in %.0f ms\n",
           len >> 10, m.width, m.height, m.len >> 10, ms);
    assert_int_equal(m.width, 2880);
    assert_int_equal(m.height, 2160);
    assert_true(ms < 20000);
    SDL_Surface *s = decode(&m);
    uint32_t tl = pixel(s, 700, 500), br = pixel(s, 2200, 1600);
    assert_true(chan(tl, 16) > 190 && chan(tl, 8) < 60);
    assert_true(chan(br, 0) > 200 && chan(br, 8) > 200 && chan(br, 16) > 200);
    SDL_FreeSurface(s);
    media_out_free(&m);
    free(d);
}

/* A w x h JPEG (quality 90) of fill's colours, with an EXIF APP1 segment
 * carrying orient right after SOI when orient > 1, as phones write it. */
static char *make_jpeg(int w, int h, uint32_t (*fill)(int x, int y, int w, int h), int orient,
                       size_t *len)
{
    SDL_Surface *src = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(src);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            ((uint32_t *)((uint8_t *)src->pixels + (size_t)y * src->pitch))[x] = fill(x, y, w, h);
    char path[] = "/tmp/nb-test-media-dct.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(IMG_SaveJPG_RW(src, SDL_RWFromFile(path, "wb"), 1, 90), 0);
    SDL_FreeSurface(src);
    size_t n;
    char *d = read_file(path, 64 << 20, &n);
    unlink(path);
    close(fd);
    assert_non_null(d);
    if (orient <= 1) {
        *len = n;
        return d;
    }
    /* Big-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 1. */
    const uint8_t app1[36] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
                              'M', 'M', 0x00, 0x2A, 0, 0, 0, 8, 0, 1,
                              0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (uint8_t)orient, 0, 0,
                              0, 0, 0, 0};
    char *o = xmalloc(n + sizeof app1);
    memcpy(o, d, 2);
    memcpy(o + 2, app1, sizeof app1);
    memcpy(o + 2 + sizeof app1, d + 2, n - 2);
    free(d);
    *len = n + sizeof app1;
    return o;
}

/* Quadrants red, green / blue, white. */
static uint32_t quadrants(int x, int y, int w, int h)
{
    return y < h / 2 ? (x < w / 2 ? 0xFFE01010u : 0xFF10E010u)
                     : (x < w / 2 ? 0xFF1010E0u : 0xFFF0F0F0u);
}

/* Left half red, right half blue: the top, once a phone's orientation 6
 * is applied. */
static uint32_t halves(int x, int y, int w, int h)
{
    return x < w / 2 ? 0xFFE01010u : 0xFF1010E0u;
}

static bool reddish(uint32_t p)
{
    return chan(p, 16) > 190 && chan(p, 8) < 70 && chan(p, 0) < 70;
}

static bool bluish(uint32_t p)
{
    return chan(p, 0) > 190 && chan(p, 8) < 70 && chan(p, 16) < 70;
}

/* media-3.2: big JPEGs decode at the largest DCT scale (1/2, 1/4, 1/8)
 * that still covers the target, in the stored orientation (sideways for
 * EXIF 5..8), and come out at the same size, upright, as a full decode
 * would give: a landscape camera photo and phone portraits (EXIF 6 and 8). */
static void media_3_2(void **state)
{
    size_t len;
    struct media_out m;
    char *why = NULL;
    char *d = make_jpeg(4000, 3000, quadrants, 1, &len);
    /* Honor photo box 800x800: 800x600 from a 1/4 decode (1000x750). */
    assert_true(media_prepare(d, len, 800, 800, &m, &why));
    assert_int_equal(m.width, 800);
    assert_int_equal(m.height, 600);
    assert_int_equal(m.decode_scale, 4);
    SDL_Surface *s = decode(&m);
    assert_true(reddish(pixel(s, 200, 150)));
    assert_true(bluish(pixel(s, 200, 450)));
    assert_true(chan(pixel(s, 600, 450), 8) > 200 && chan(pixel(s, 600, 450), 16) > 200);
    SDL_FreeSurface(s);
    media_out_free(&m);
    /* Poster box 3840x2160: 2880x2160 needs the full 3000 rows. */
    assert_true(media_prepare(d, len, 3840, 2160, &m, &why));
    assert_int_equal(m.width, 2880);
    assert_int_equal(m.height, 2160);
    assert_int_equal(m.decode_scale, 1);
    media_out_free(&m);
    /* A small image is never scaled at all. */
    assert_true(media_prepare(d, len, 8000, 8000, &m, &why));
    assert_int_equal(m.width, 4000);
    assert_int_equal(m.decode_scale, 1);
    media_out_free(&m);
    free(d);

    static const struct {
        int orient, box_w, box_h, w, h, scale;
        bool red_top;
    } cases[] = {
        /* Stored 4000x1000 sideways, upright 1000x4000.  Fitting 800x800
         * gives 200x800, i.e. 800x200 stored: 1/4 (1000x250).  A target
         * not swapped (200x800 stored) would allow only 1/1. */
        {6, 800, 800, 200, 800, 4, true},
        {8, 800, 800, 200, 800, 4, false},
        /* 1920x1080: 270x1080 upright, 1080x270 stored: 1/2 (2000x500). */
        {6, 1920, 1080, 270, 1080, 2, true},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        d = make_jpeg(4000, 1000, halves, cases[i].orient, &len);
        assert_true(media_prepare(d, len, cases[i].box_w, cases[i].box_h, &m, &why));
        assert_int_equal(m.width, cases[i].w);
        assert_int_equal(m.height, cases[i].h);
        assert_int_equal(m.decode_scale, cases[i].scale);
        s = decode(&m);
        uint32_t top = pixel(s, m.width / 2, m.height / 8);
        uint32_t bottom = pixel(s, m.width / 2, m.height - 1 - m.height / 8);
        assert_true(cases[i].red_top ? reddish(top) && bluish(bottom)
                                     : bluish(top) && reddish(bottom));
        SDL_FreeSurface(s);
        media_out_free(&m);
        free(d);
    }
}

/* media-1.6: a PNG whose chunk length runs past the end of the file, or
 * that stops before IEND, is refused before decoding.  (SDL2_image ignores
 * short reads, so libpng looped for ever on such a file: found by
 * tests/fuzz/fuzz-media; the alarm turns a regression into a failure.) */
static void media_1_6(void **state)
{
    size_t len;
    char *d = load("opaque.png", &len);
    /* After IHDR (8 + 25 bytes): a tIME chunk claiming 1.4 GB, 12 bytes. */
    size_t at = 8 + 25;
    static const uint8_t bad[12] = {0x56, 0x00, 0x00, 0x07, 't', 'I', 'M', 'E', 1, 2, 3, 4};
    char *evil = xmalloc(len + sizeof bad);
    memcpy(evil, d, at);
    memcpy(evil + at, bad, sizeof bad);
    memcpy(evil + at + sizeof bad, d + at, len - at);
    struct media_out m;
    char *why = NULL;
    alarm(10);
    assert_false(media_prepare(evil, len + sizeof bad, 1920, 1080, &m, &why));
    assert_string_equal(why, "图片文件已损坏或不完整");
    free(why);
    why = NULL;
    /* Cut before IEND (the last 12 bytes). */
    assert_false(media_prepare(d, len - 12, 1920, 1080, &m, &why));
    assert_string_equal(why, "图片文件已损坏或不完整");
    free(why);
    why = NULL;
    /* The untouched file still goes through. */
    assert_true(media_prepare(d, len, 1920, 1080, &m, &why));
    media_out_free(&m);
    alarm(0);
    free(evil);
    free(d);
}

/* media-3.3: pixels made at import (PDF pages) are encoded as PNG
 * exactly and as JPEG closely, hashed, and pass the probe; the unused top
 * byte of each pixel is ignored and the pitch honoured. */
static void media_3_3(void **state)
{
    enum { W = 40, H = 30, PITCH = 48 * 4 };
    uint32_t *px = xcalloc((size_t)PITCH / 4 * H, 4);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            px[y * PITCH / 4 + x] = 0xAB000000u | (x < W / 2 ? 0xD01010u : 0x1030E0u);
    for (int png = 1; png >= 0; png--) {
        struct media_out m;
        assert_true(media_encode_xrgb(px, W, H, PITCH, png, &m));
        assert_string_equal(m.mime, png ? "image/png" : "image/jpeg");
        assert_int_equal(m.width, W);
        assert_int_equal(m.height, H);
        assert_int_equal(m.decode_scale, 1);
        unsigned char dg[crypto_hash_sha256_BYTES];
        char hex[65];
        crypto_hash_sha256(dg, m.data, m.len);
        sodium_bin2hex(hex, sizeof hex, dg, sizeof dg);
        assert_string_equal(hex, m.sha256);
        enum media_type t;
        int w, h;
        assert_true(media_probe(m.data, m.len, &t, &w, &h, NULL));
        assert_int_equal(t, png ? MEDIA_PNG : MEDIA_JPEG);
        SDL_Surface *s = decode(&m);
        for (int i = 0; i < 2; i++) {
            uint32_t p = pixel(s, i ? 3 * W / 4 : W / 4, H / 2);
            uint32_t want = i ? 0x1030E0u : 0xD01010u;
            int tol = png ? 0 : 12;
            assert_true((p >> 24) == 0xFF);     /* opaque */
            for (int sh = 0; sh < 24; sh += 8)
                assert_true(abs(chan(p, sh) - chan(want, sh)) <= tol);
        }
        SDL_FreeSurface(s);
        media_out_free(&m);
    }
    free(px);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(media_1_1), cmocka_unit_test(media_1_2),
        cmocka_unit_test(media_1_3), cmocka_unit_test(media_1_4),
        cmocka_unit_test(media_1_5), cmocka_unit_test(media_1_6),
        cmocka_unit_test(media_2_1),
        cmocka_unit_test(media_2_2), cmocka_unit_test(media_2_3),
        cmocka_unit_test(media_2_4), cmocka_unit_test(media_3_1),
        cmocka_unit_test(media_3_2), cmocka_unit_test(media_3_3),
    };
    int r = cmocka_run_group_tests_name("media", tests, NULL, NULL);
    IMG_Quit();
    return r;
}
