/* test-image.c — the one image header check of both programs (image.h):
 * type by magic bytes, size and EXIF orientation from the header,
 * completeness, the side and PNG pixel caps, on files built byte by byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "core/png.h"
#include "core/util.h"

static size_t put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
    return 4;
}

/* A PNG's structure (CRCs are not checked here): signature, IHDR of w x h,
 * an IDAT of 4 bytes, IEND unless truncated. */
static size_t make_png(uint8_t *b, uint32_t w, uint32_t h, bool iend)
{
    size_t n = 0;
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    n += 8;
    n += put32(b + n, 13);
    memcpy(b + n, "IHDR", 4), n += 4;
    n += put32(b + n, w);
    n += put32(b + n, h);
    memcpy(b + n, "\x08\x02\x00\x00\x00", 5), n += 5;
    n += put32(b + n, 0);                       /* CRC */
    n += put32(b + n, 4);
    memcpy(b + n, "IDAT\x00\x00\x00\x00", 8), n += 8;
    n += put32(b + n, 0);
    if (iend) {
        n += put32(b + n, 0);
        memcpy(b + n, "IEND", 4), n += 4;
        n += put32(b + n, 0);
    }
    return n;
}

/* A JPEG's structure: SOI, APP1 Exif with orientation (0: none), SOF0 of
 * w x h, SOS, two bytes of entropy data with a stuffed FF00, EOI unless
 * truncated. */
static size_t make_jpeg(uint8_t *b, int w, int h, int orient, bool eoi)
{
    size_t n = 0;
    memcpy(b, "\xff\xd8", 2), n += 2;
    if (orient) {
        static const uint8_t app1[] = {
            0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
            'M', 'M', 0, 42, 0, 0, 0, 8,            /* TIFF header, IFD at 8 */
            0, 1,                                   /* one entry */
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, /* Orientation SHORT 1 value */
            0, 0, 0, 0};
        memcpy(b + n, app1, sizeof app1);
        b[n + 2 + 2 + 6 + 8 + 2 + 8] = 0;
        b[n + 2 + 2 + 6 + 8 + 2 + 9] = (uint8_t)orient;
        n += sizeof app1;
    }
    uint8_t sof[] = {0xff, 0xc0, 0x00, 0x0b, 8, (uint8_t)(h >> 8), (uint8_t)h, (uint8_t)(w >> 8),
                     (uint8_t)w, 1, 1, 0x11, 0};
    memcpy(b + n, sof, sizeof sof), n += sizeof sof;
    static const uint8_t sos[] = {0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0x12, 0xff, 0x00, 0x34};
    memcpy(b + n, sos, sizeof sos), n += sizeof sos;
    if (eoi)
        memcpy(b + n, "\xff\xd9", 2), n += 2;
    return n;
}

/* image_1_1: the type by magic bytes, its MIME type and extension. */
static void image_1_1(void **st)
{
    uint8_t b[256];
    size_t n = make_png(b, 10, 10, true);
    assert_int_equal(image_sniff(b, n), IMAGE_PNG);
    assert_string_equal(image_mime(IMAGE_PNG), "image/png");
    assert_string_equal(image_ext(IMAGE_PNG), ".png");
    n = make_jpeg(b, 10, 10, 0, true);
    assert_int_equal(image_sniff(b, n), IMAGE_JPEG);
    assert_string_equal(image_mime(IMAGE_JPEG), "image/jpeg");
    assert_string_equal(image_ext(IMAGE_JPEG), ".jpg");
    assert_int_equal(image_sniff("GIF89a", 6), IMAGE_NONE);
    assert_int_equal(image_sniff(b, 2), IMAGE_NONE);     /* too short to tell */
    assert_string_equal(image_mime(IMAGE_NONE), "application/octet-stream");
}

/* image_1_2: sizes and orientation of acceptable files. */
static void image_1_2(void **st)
{
    uint8_t b[256];
    struct image_info in;
    char *why = (char *)1;
    size_t n = make_png(b, 640, 480, true);
    assert_true(image_probe(b, n, &in, &why));
    assert_null(why);
    assert_null(in.problem);
    assert_int_equal(in.type, IMAGE_PNG);
    assert_int_equal(in.w, 640);
    assert_int_equal(in.h, 480);
    assert_int_equal(in.orient, 1);
    n = make_jpeg(b, 300, 200, 6, true);
    assert_true(image_probe(b, n, &in, NULL));
    assert_int_equal(in.type, IMAGE_JPEG);
    assert_int_equal(in.w, 300);
    assert_int_equal(in.h, 200);
    assert_int_equal(in.orient, 6);
    /* The largest accepted: IMAGE_MAX_SIDE a side, PNG_MAX_PIXELS. */
    n = make_png(b, IMAGE_MAX_SIDE, PNG_MAX_PIXELS / IMAGE_MAX_SIDE, true);
    assert_true(image_probe(b, n, &in, NULL));
    n = make_jpeg(b, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, 0, true);
    assert_true(image_probe(b, n, &in, NULL));
}

static void refused(const uint8_t *b, size_t n, const char *why_has)
{
    struct image_info in;
    char *why = NULL;
    assert_false(image_probe(b, n, &in, &why));
    assert_non_null(why);
    assert_non_null(in.problem);
    if (!strstr(why, why_has))
        fail_msg("'%s' lacks '%s'", why, why_has);
    free(why);
    assert_false(image_probe(b, n, &in, NULL));    /* why is optional */
}

/* image_1_3: what is refused, with a sentence for staff. */
static void image_1_3(void **st)
{
    uint8_t b[256];
    refused((const uint8_t *)"GIF89a......", 12, "不是 JPEG 或 PNG 图片");
    /* Over the side cap, before anything else is read. */
    refused(b, make_png(b, IMAGE_MAX_SIDE + 1, 10, true), "过大");
    refused(b, make_jpeg(b, 10, IMAGE_MAX_SIDE + 1, 0, true), "过大");
    /* 8192 x 8192 is within the sides but 67 megapixels: a PNG decodes
     * whole (the player's too, issue 14). */
    refused(b, make_png(b, 8192, 8192, true), "万像素");
    refused(b, make_png(b, 0, 10, true), "已损坏");
    /* Incomplete: a PNG without IEND, a JPEG without EOI, a header cut. */
    refused(b, make_png(b, 10, 10, false), "已损坏");
    refused(b, make_jpeg(b, 10, 10, 0, false), "已损坏");
    /* The header alone (image_header) does not ask for the rest. */
    struct image_info in;
    assert_true(image_header(b, make_jpeg(b, 10, 10, 0, false), &in, NULL));
    assert_true(image_header(b, make_png(b, 10, 10, false), &in, NULL));
    assert_false(image_header(b, make_png(b, 8192, 8192, false), &in, NULL));
    size_t n = make_png(b, 10, 10, true);
    refused(b, 20, "已损坏");
    n = make_jpeg(b, 10, 10, 0, true);
    refused(b, 6, "已损坏");
    (void)n;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_1_1), cmocka_unit_test(image_1_2), cmocka_unit_test(image_1_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
