/* test-qr.c — QR codes (player/qr.c): text checked at the boundary, module
 * counts, crisp black-on-white drawing with the quiet zone, and every code
 * read back with zbarimg (Debian zbar-tools; missing zbarimg fails the
 * test) at the size we call scannable and after scaling down to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "player/qr.h"

static char tmpdir[] = "/tmp/nb-test-qr.XXXXXX";

static const char *URL = "https://mp.weixin.qq.com/s/Xq3vK9pLm2ZtR8wYbN5cHd";
static const char *CHINESE = "扫码报名：社区运动会，12月6日上午9点，地点：街道文体中心二楼。"
                             "请带好身份证。志愿者招募，联系王老师。";

/* 300 bytes: Chinese, ASCII, digits and full-width punctuation mixed. */
static char *text_300(void)
{
    struct sbuf b = {0};
    static const char *parts[] = {"长者食堂本周菜单：", "Mon 红烧肉 12元, ",
                                  "电话 010-62345678；", "https://example.org/menu?id=42 ",
                                  "（请提前一天预订）"};
    for (size_t i = 0; b.len < 300; i = (i + 1) % ARRAY_LEN(parts))
        sbuf_adds(&b, parts[i]);
    /* Cut back to 300 bytes on a character boundary, padding with ASCII. */
    while (b.len > 300 || !utf8_valid(b.s, b.len, NULL)) {
        b.s[--b.len] = '\0';
    }
    while (b.len < 300)
        sbuf_addc(&b, '.');
    assert_int_equal(b.len, 300);
    assert_true(utf8_valid(b.s, b.len, NULL));
    return sbuf_take(&b);
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch))[x];
}

/* Writes s as a PNG and decodes it with zbarimg; returns what zbarimg
 * printed (its --raw form, the last newline removed), malloc'd.  Fails the
 * test when zbarimg cannot run or finds no code. */
static char *zbar(SDL_Surface *s, const char *name)
{
    char *path = xasprintf("%s/%s.png", tmpdir, name);
    assert_int_equal(IMG_SavePNG(s, path), 0);
    /* stderr apart: zbarimg may chat there (D-Bus) while stdout is exact. */
    char *cmd = xasprintf("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '%s' 2>'%s.err'",
                          path, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct sbuf out = {0};
    char buf[1024];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sbuf_add(&out, buf, n);
    int st = pclose(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s: zbarimg exit %d (127: not installed; apt-get install zbar-tools; "
                 "4: no code found), stderr in %s.err", name,
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1, path);
    assert_true(out.len > 0 && out.s[out.len - 1] == '\n');
    out.s[--out.len] = '\0';
    free(cmd);
    free(path);
    return sbuf_take(&out);
}

/* Scales s linearly (as a camera or a careless layout would) to w x w. */
static SDL_Surface *scaled(SDL_Surface *s, int w)
{
    SDL_Surface *o = SDL_CreateRGBSurfaceWithFormat(0, w, w, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(o);
    assert_int_equal(SDL_SoftStretchLinear(s, NULL, o, NULL), 0);
    return o;
}

/* Draws text at QR_SCAN_MODULE_PX a module and checks zbarimg reads it
 * back exactly; then the same after drawing at 10 px a module and scaling
 * down to that size (non-integer factor: grey, blurred module edges), and
 * to half of it (3 px a module: margin below our own floor). */
static void roundtrip(const char *text, const char *name)
{
    int m = qr_modules(text, NULL);
    assert_true(m > 0);
    int px = 0;
    char *why = NULL;
    SDL_Surface *s = qr_render(text, m * QR_SCAN_MODULE_PX, &px, &why);
    assert_non_null(s);
    assert_null(why);
    assert_int_equal(px, QR_SCAN_MODULE_PX);
    assert_int_equal(s->w, m * QR_SCAN_MODULE_PX);
    char *got = zbar(s, name);
    assert_string_equal(got, text);
    free(got);
    SDL_FreeSurface(s);

    SDL_Surface *big = qr_render(text, m * 10, &px, NULL);
    assert_non_null(big);
    assert_int_equal(px, 10);
    int sizes[2] = {m * QR_SCAN_MODULE_PX, m * QR_SCAN_MODULE_PX / 2};
    for (int i = 0; i < 2; i++) {
        SDL_Surface *small = scaled(big, sizes[i]);
        char *n2 = xasprintf("%s-scaled-%d", name, sizes[i]);
        got = zbar(small, n2);
        assert_string_equal(got, text);
        free(got);
        free(n2);
        SDL_FreeSurface(small);
    }
    SDL_FreeSurface(big);
}

/* qr-1.1: module counts follow the QR versions (17 + 4v modules, plus 4
 * quiet modules a side), growing with the text, and agree with the drawn
 * size. */
static void qr_1_1(void **state)
{
    /* Byte capacities at level M, 8-bit mode: v1 14, v2 26, v3 42, v4 62. */
    assert_int_equal(qr_modules("https://a.cn", NULL), 21 + 8);
    assert_int_equal(qr_modules("https://example.org/a", NULL), 25 + 8);
    assert_int_equal(qr_modules(URL, NULL), 33 + 8);          /* 48 bytes: v4 */
    char *t = text_300();
    int m300 = qr_modules(t, NULL);
    /* 300 bytes at M: version 12 holds 287, version 13 holds 331. */
    assert_int_equal(m300, 17 + 4 * 13 + 8);
    int px = 0;
    SDL_Surface *s = qr_render(t, 1000, &px, NULL);
    assert_non_null(s);
    assert_int_equal(px, 1000 / m300);
    assert_int_equal(s->w, m300 * px);
    assert_int_equal(s->h, m300 * px);
    SDL_FreeSurface(s);
    free(t);
}

/* qr-1.2: refused texts: empty, longer than QR_MAX_BYTES, bad UTF-8,
 * control characters; 500 bytes of Chinese is accepted. */
static void qr_1_2(void **state)
{
    char *why = NULL;
    assert_int_equal(qr_modules("", &why), 0);
    assert_string_equal(why, "二维码内容是空的");
    free(why);
    why = NULL;

    struct sbuf b = {0};
    while (b.len + 3 <= QR_MAX_BYTES)
        sbuf_adds(&b, "报");        /* 3 bytes each: 166 characters, 498 bytes */
    sbuf_adds(&b, "ab");
    assert_int_equal(b.len, QR_MAX_BYTES);
    int m = qr_modules(b.s, &why);
    assert_null(why);
    assert_int_equal(m, 17 + 4 * 17 + 8);     /* version 17 holds 504 bytes at M */
    sbuf_addc(&b, 'c');
    assert_int_equal(qr_modules(b.s, &why), 0);
    assert_non_null(strstr(why, "二维码内容太长"));
    free(why);
    why = NULL;
    assert_null(qr_render(b.s, 2000, NULL, &why));
    assert_non_null(strstr(why, "二维码内容太长"));
    free(why);
    why = NULL;
    sbuf_free(&b);

    static const char *bad[] = {"\xE6\x8A", "abc\xFF", "\xC0\xAF", "a\x01" "b", "a\rb", "a\x7F"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        assert_int_equal(qr_modules(bad[i], &why), 0);
        assert_string_equal(why, "二维码内容里有无法识别的字符或看不见的控制字符");
        free(why);
        why = NULL;
    }
    /* Newlines and tabs are text (a contact card, two lines). */
    assert_true(qr_modules("王老师\n电话\t13800138000", NULL) > 0);
    /* why may be NULL. */
    assert_int_equal(qr_modules("", NULL), 0);
}

/* qr-1.3: the drawing is crisp and standard: only pure black and white,
 * every module a uniform px-by-px square, a white quiet zone of 4 modules,
 * the three finder patterns' dark corners where they belong. */
static void qr_1_3(void **state)
{
    int m = qr_modules(URL, NULL), px = 0;
    SDL_Surface *s = qr_render(URL, 500, &px, NULL);
    assert_non_null(s);
    assert_int_equal(px, 500 / m);
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_ARGB8888);
    int dark = 0;
    for (int my = 0; my < m; my++)
        for (int mx = 0; mx < m; mx++) {
            uint32_t c = pixel(s, mx * px, my * px);
            assert_true(c == 0xFF000000u || c == 0xFFFFFFFFu);
            for (int y = 0; y < px; y++)
                for (int x = 0; x < px; x++)
                    assert_int_equal(pixel(s, mx * px + x, my * px + y), c);
            bool quiet = mx < QR_QUIET || my < QR_QUIET || mx >= m - QR_QUIET || my >= m - QR_QUIET;
            if (quiet)
                assert_int_equal(c, 0xFFFFFFFFu);
            dark += c == 0xFF000000u;
        }
    /* Finder patterns: dark outer corners at top-left, top-right, bottom-left;
     * the bottom-right corner module of the symbol is not a finder. */
    int q = QR_QUIET, e = m - QR_QUIET - 1;
    assert_int_equal(pixel(s, q * px, q * px), 0xFF000000u);
    assert_int_equal(pixel(s, e * px, q * px), 0xFF000000u);
    assert_int_equal(pixel(s, q * px, e * px), 0xFF000000u);
    assert_int_equal(pixel(s, (q + 1) * px, (q + 1) * px), 0xFFFFFFFFu);   /* finder's white ring */
    assert_true(dark > (m - 8) * (m - 8) / 4 && dark < (m - 8) * (m - 8) * 3 / 4);
    SDL_FreeSurface(s);

    /* A box smaller than one pixel a module is refused, a box of exactly
     * one pixel a module is not. */
    char *why = NULL;
    assert_null(qr_render(URL, m - 1, NULL, &why));
    assert_string_equal(why, "二维码的位置太小，画不下");
    free(why);
    s = qr_render(URL, m, &px, NULL);
    assert_non_null(s);
    assert_int_equal(px, 1);
    SDL_FreeSurface(s);
}

/* qr-2.1: a URL reads back exactly. */
static void qr_2_1(void **state)
{
    roundtrip(URL, "url");
}

/* qr-2.2: Chinese text reads back exactly (8-bit mode, UTF-8 bytes). */
static void qr_2_2(void **state)
{
    roundtrip(CHINESE, "chinese");
    roundtrip("二维码", "short-chinese");
}

/* qr-2.3: 300 bytes of mixed text, and the longest text we accept. */
static void qr_2_3(void **state)
{
    char *t = text_300();
    roundtrip(t, "text-300");
    free(t);
    struct sbuf b = {0};
    while (b.len + 3 <= QR_MAX_BYTES)
        sbuf_adds(&b, "码");
    roundtrip(b.s, "max");
    sbuf_free(&b);
}

int main(void)
{
    log_init("test-qr", LOG_LEVEL_ERROR + 1);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qr_1_1), cmocka_unit_test(qr_1_2), cmocka_unit_test(qr_1_3),
        cmocka_unit_test(qr_2_1), cmocka_unit_test(qr_2_2), cmocka_unit_test(qr_2_3),
    };
    int r = cmocka_run_group_tests_name("qr", tests, NULL, NULL);
    char *rm = xasprintf("rm -rf '%s'", tmpdir);
    if (r == 0 && !getenv("QR_KEEP") && system(rm) != 0)
        r = 1;
    free(rm);
    IMG_Quit();
    return r;
}
