/* test-jpg.c — what one JPEG may cost (core/jpg.c, both programs): scans
 * capped, whole-image coefficient memory capped, whatever the decode scale.
 * (Here rather than in tests/core: only the programs link libjpeg.)  The
 * hostile files are built in memory like tests/hostile/mkimage.py does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jpg.h"
#include "core/util.h"
#include "sync/media.h"

static void seg(struct sbuf *b, uint8_t marker, const uint8_t *body, size_t n)
{
    uint8_t h[4] = {0xFF, marker, (uint8_t)((n + 2) >> 8), (uint8_t)(n + 2)};
    sbuf_add(b, (const char *)h, 4);
    sbuf_add(b, (const char *)body, n);
}

/* A JPEG of w x h with ncomp full-resolution components: SOF2 (or SOF10,
 * arithmetic) and `scans` empty DC scans, or SOF0 and one scan of flat
 * grey blocks when !progressive (one component). */
static char *make(int w, int h, int ncomp, bool progressive, bool arith, int scans, size_t *len)
{
    struct sbuf b = {0};
    sbuf_add(&b, "\xFF\xD8", 2);
    uint8_t dqt[65] = {0};
    memset(dqt + 1, 1, 64);
    seg(&b, 0xDB, dqt, sizeof dqt);
    if (!arith) {
        uint8_t dht[18] = {0x00, 1};            /* DC: one 1-bit code, category 0 */
        seg(&b, 0xC4, dht, sizeof dht);
        dht[0] = 0x10;                          /* AC: one 1-bit code, EOB */
        seg(&b, 0xC4, dht, sizeof dht);
    }
    uint8_t sof[6 + 3 * 4] = {8, (uint8_t)(h >> 8), (uint8_t)h, (uint8_t)(w >> 8), (uint8_t)w,
                              (uint8_t)ncomp};
    for (int c = 0; c < ncomp; c++) {
        sof[6 + 3 * c] = (uint8_t)(c + 1);
        sof[7 + 3 * c] = 0x11;
    }
    seg(&b, !progressive ? 0xC0 : arith ? 0xCA : 0xC2, sof, 6 + 3 * (size_t)ncomp);
    uint8_t sos[1 + 2 * 4 + 3] = {(uint8_t)ncomp};
    for (int c = 0; c < ncomp; c++)
        sos[1 + 2 * c] = (uint8_t)(c + 1);
    uint8_t *tail = sos + 1 + 2 * ncomp;
    if (!progressive) {
        tail[1] = 63;
        seg(&b, 0xDA, sos, 4 + 2 * (size_t)ncomp);
        size_t blocks = (size_t)((w + 7) / 8) * (size_t)((h + 7) / 8), bits = 2 * blocks;
        for (size_t i = 0; i < bits / 8; i++)
            sbuf_addc(&b, 0);       /* two 0 bits a block: DC 0, EOB */
        if (bits % 8)
            sbuf_addc(&b, (char)(0xFF >> (bits % 8)));
    } else {
        for (int s = 0; s < scans; s++) {
            seg(&b, 0xDA, sos, 4 + 2 * (size_t)ncomp);
            sbuf_addc(&b, 0);
        }
    }
    sbuf_add(&b, "\xFF\xD9", 2);
    *len = b.len;
    return sbuf_take(&b);
}

struct target {
    uint8_t *px;
    int w, h;
};

static uint8_t *to_buffer(void *ctx, const struct jpg_shape *s, size_t *pitch)
{
    struct target *t = ctx;
    t->w = s->out_w;
    t->h = s->out_h;
    *pitch = (size_t)s->out_w * 4;
    t->px = xmalloc(*pitch * (size_t)s->out_h);
    return t->px;
}

static bool decode(const char *d, size_t len, int tw, int th, char err[JPG_ERR_MAX],
                   struct target *t)
{
    *t = (struct target){0};
    bool ok = jpg_decode(d, len, tw, th, to_buffer, t, err, JPG_ERR_MAX);
    free(t->px);
    t->px = NULL;
    return ok;
}

/* jpg-1: a scan bomb — 20,000 empty scans in 220 KB, Huffman and
 * arithmetic — is refused by the check and by the decoder at scan 33
 * (before the cap the decoder walked every block once per scan: about a
 * minute at 4096 x 4096); 32 scans still decode, 33 do not. */
static void jpg_1(void **state)
{
    char err[JPG_ERR_MAX];
    struct target t;
    for (int arith = 0; arith < 2; arith++) {
        size_t len;
        char *d = make(1024, 1024, 1, true, arith, 20000, &len);
        assert_true(len > 200000 && len < 230000);
        char *why = NULL;
        assert_false(jpg_check_limits(d, len, &why));
        assert_non_null(strstr(why, "分段超过32个"));
        free(why);
        alarm(20);      /* a regression hangs: make it a failure */
        assert_false(decode(d, len, 0, 0, err, &t));
        alarm(0);
        assert_non_null(strstr(err, "more than 32 scans"));
        free(d);

        d = make(64, 64, 1, true, arith, JPG_MAX_SCANS, &len);
        assert_true(jpg_check_limits(d, len, NULL));
        assert_true(decode(d, len, 0, 0, err, &t));
        assert_int_equal(t.w, 64);
        free(d);
        d = make(64, 64, 1, true, arith, JPG_MAX_SCANS + 1, &len);
        assert_false(jpg_check_limits(d, len, NULL));
        assert_false(decode(d, len, 0, 0, err, &t));
        free(d);
    }
}

/* jpg-2: a progressive header whose whole-image coefficients exceed the
 * cap (a 129-byte 8192 x 8192 in three components asked for 470 MB) is
 * refused before anything is allocated, at any decode scale; one within
 * the cap decodes, at 1/8 when the target is small; a baseline JPEG of the
 * same size is not limited (libjpeg keeps one row of blocks). */
static void jpg_2(void **state)
{
    char err[JPG_ERR_MAX];
    struct target t;
    size_t len;
    char *d = make(8192, 8192, 3, true, false, 1, &len);
    assert_true(len < 200);
    char *why = NULL;
    assert_false(jpg_check_limits(d, len, &why));
    assert_non_null(strstr(why, "“渐进式”JPEG 的 8192×8192 像素太大，需要约 384 MB 内存，最多 128 MB"));
    free(why);
    assert_false(decode(d, len, 100, 100, err, &t));
    assert_non_null(strstr(err, "coefficients"));
    assert_int_equal(t.w, 0);       /* refused before the target was asked for */
    free(d);

    /* 4096 x 4096 grey: 32 MiB of coefficients, within the cap. */
    d = make(4096, 4096, 1, true, false, 3, &len);
    assert_true(jpg_check_limits(d, len, NULL));
    assert_true(decode(d, len, 512, 512, err, &t));
    assert_int_equal(t.w, 512);
    free(d);
    /* 8192 x 4096 in three components: 192 MiB, over. */
    d = make(8192, 4096, 3, true, false, 1, &len);
    assert_false(jpg_check_limits(d, len, NULL));
    free(d);

    d = make(4096, 4096, 1, false, false, 0, &len);
    assert_true(jpg_check_limits(d, len, NULL));
    assert_true(decode(d, len, 256, 256, err, &t));
    assert_int_equal(t.w, 512);     /* 1/8 is the smallest DCT scale */
    free(d);
}

/* jpg-3: the import tells staff why in words (media_prepare). */
static void jpg_3(void **state)
{
    size_t len;
    char *d = make(8192, 8192, 4, true, false, 1, &len);
    struct media_out m;
    char *why = NULL;
    assert_false(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_non_null(strstr(why, "需要约 512 MB 内存"));
    free(why);
    free(d);
    d = make(2048, 2048, 1, true, true, 5000, &len);
    why = NULL;
    assert_false(media_prepare(d, len, 1920, 1080, &m, &why));
    assert_non_null(strstr(why, "分段超过32个"));
    free(why);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jpg_1),
        cmocka_unit_test(jpg_2),
        cmocka_unit_test(jpg_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
