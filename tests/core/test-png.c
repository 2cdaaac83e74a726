/* test-png.c — png_complete, the chunk walk, both programs run before
 * libpng sees a PNG (a chunk running past the end hung libpng), and
 * png_size, the IHDR read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/png.h"

/* sig + IHDR(13) + IDAT(n) + IEND, with CRCs left zero (not checked here). */
static size_t build(uint8_t *b, uint32_t idat_len, uint32_t claimed, bool iend)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };
    size_t n = 0;
    memcpy(b, sig, 8);
    n = 8;
    const struct { uint32_t len, claim; const char *type; } ch[3] = {
        { 13, 13, "IHDR" }, { idat_len, claimed, "IDAT" }, { 0, 0, "IEND" } };
    for (int i = 0; i < (iend ? 3 : 2); i++) {
        uint32_t c = ch[i].claim;
        b[n] = (uint8_t)(c >> 24), b[n + 1] = (uint8_t)(c >> 16);
        b[n + 2] = (uint8_t)(c >> 8), b[n + 3] = (uint8_t)c;
        memcpy(b + n + 4, ch[i].type, 4);
        memset(b + n + 8, 0x5a, ch[i].len + 4);
        n += 12 + ch[i].len;
    }
    return n;
}

/* png_1: a whole file passes; a chunk claiming more than is left, a length
 * over 2^31 - 1, a file without IEND, one cut anywhere, and one too short
 * for a chunk fail. */
static void png_1(void **state)
{
    (void)state;
    uint8_t b[256];
    size_t n = build(b, 40, 40, true);
    assert_true(png_complete(b, n));
    for (size_t cut = 0; cut < n; cut++)
        assert_false(png_complete(b, cut));
    n = build(b, 40, 41, true);                 /* IDAT claims a byte more */
    assert_false(png_complete(b, n));
    n = build(b, 40, 0x80000000u, true);
    assert_false(png_complete(b, n));
    n = build(b, 40, 40, false);                /* no IEND */
    assert_false(png_complete(b, n));
    n = build(b, 40, 40, true);
    assert_true(png_complete(b, n + 7));        /* bytes after IEND are not chunks */
}

/* png_2: png_size reads IHDR's width and height when IHDR comes first
 * with length 13, and nothing else. */
static void png_2(void **state)
{
    (void)state;
    uint8_t b[256];
    size_t n = build(b, 40, 40, true);
    b[16] = 0, b[17] = 0, b[18] = 0x07, b[19] = 0x80;      /* 1920 */
    b[20] = 0, b[21] = 0, b[22] = 0x04, b[23] = 0x38;      /* 1080 */
    uint32_t w = 0, h = 0;
    assert_true(png_size(b, n, &w, &h));
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    assert_false(png_size(b, 8 + 8 + 12, &w, &h));          /* IHDR cut short */
    memcpy(b + 12, "IDAT", 4);
    assert_false(png_size(b, n, &w, &h));                   /* not first */
    memcpy(b + 12, "IHDR", 4);
    b[11] = 14;
    assert_false(png_size(b, n, &w, &h));                   /* wrong length */
}

static void set_size(uint8_t *b, uint32_t w, uint32_t h)
{
    for (int i = 0; i < 4; i++) {
        b[16 + i] = (uint8_t)(w >> (24 - 8 * i));
        b[20 + i] = (uint8_t)(h >> (24 - 8 * i));
    }
}

/* png_3: png_check_limits refuses more than PNG_MAX_PIXELS before anything
 * is decoded (an 8192 x 8192 RGBA PNG took 536 MB to import), with the
 * size in words for staff; 6000 x 4000 passes; no IHDR is not judged. */
static void png_3(void **state)
{
    (void)state;
    uint8_t b[256];
    size_t n = build(b, 40, 40, true);
    char *why = NULL;
    set_size(b, 8192, 8192);
    assert_false(png_check_limits(b, n, &why));
    assert_string_equal(why, "PNG 图片 8192×8192 像素太大，最多 2400 万像素，请缩小或另存为 JPEG 后再放入");
    free(why);
    set_size(b, 6000, 4000);
    assert_true(png_check_limits(b, n, &why));
    assert_null(why);
    set_size(b, 6000, 4001);
    assert_false(png_check_limits(b, n, NULL));
    set_size(b, 0xFFFFFFFFu, 0xFFFFFFFFu);                  /* no overflow */
    assert_false(png_check_limits(b, n, NULL));
    memcpy(b + 12, "IDAT", 4);
    assert_true(png_check_limits(b, n, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(png_1), cmocka_unit_test(png_2),
                                        cmocka_unit_test(png_3) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
