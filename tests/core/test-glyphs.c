/* test-glyphs.c — font coverage for the sync report (core/glyphs.c) on the
 * machine's installed fonts (Debian fonts-noto-cjk, fonts-noto-color-emoji:
 * `make deps`): Chinese and emoji are covered, a code point no font has is
 * found, characters drawn as nothing are not asked, a configured font
 * falls back to fontconfig as the player does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/glyphs.h"
#include "core/log.h"

/* glyphs-1.1: the default chain draws Chinese, Latin and colour emoji;
 * U+10FFFD (private use, in no font) and U+0378 (unassigned) are missing,
 * the first one of a text is returned. */
static void glyphs_1_1(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct glyphs *g = glyphs_create(&cfg);
    assert_int_equal(glyphs_missing(g, "社区公告 Wi-Fi 2026", NULL), 0);
    assert_int_equal(glyphs_missing(g, "\U0001F389新年快乐\U0001F3EE", NULL), 0);   /* 🎉 🏮 */
    assert_int_equal(glyphs_missing(g, "\U0001F468\u200D\U0001F469\u200D\U0001F467", NULL), 0);
    size_t at = 0;
    assert_int_equal(glyphs_missing(g, "请带\U0010FFFD来\u0378", &at), 0x10FFFD);
    assert_int_equal(at, 3);
    assert_int_equal(glyphs_missing(g, "\u0378", NULL), 0x378);
    assert_int_equal(glyphs_missing(g, "", NULL), 0);
    /* Drawn as nothing or with the character before: not asked. */
    assert_int_equal(glyphs_missing(g, "a\tb\r\n\u2764\uFE0F\u200B\U000E0041", NULL), 0);
    /* Cached answers stay the same. */
    assert_int_equal(glyphs_missing(g, "\u0378", NULL), 0x378);
    glyphs_destroy(g);
    glyphs_destroy(NULL);
}

/* glyphs-1.2: a configured font that lacks a character (the pinned subset
 * has no emoji) still covers it through fontconfig, as the player's chain
 * does; a font that does not open is skipped. */
static void glyphs_1_2(void **state)
{
    (void)state;
    struct config cfg = {0};
    char *fonts[] = { "/nonexistent/font.otf", "fonts/NotoSansSC-NB-Regular.otf:0" };
    cfg.fonts[0] = fonts[0];
    cfg.fonts[1] = fonts[1];
    cfg.nfonts = 2;
    struct glyphs *g = glyphs_create(&cfg);
    assert_int_equal(glyphs_missing(g, "社区\U0001F389", NULL), 0);
    assert_int_equal(glyphs_missing(g, "社\U0010FFFD", NULL), 0x10FFFD);
    glyphs_destroy(g);
}

/* glyphs-1.3: emoji code points are told from text symbols. */
static void glyphs_1_3(void **state)
{
    (void)state;
    assert_true(glyphs_is_emoji(0x1F389));
    assert_true(glyphs_is_emoji(0x2764));
    assert_true(glyphs_is_emoji(0x1FAF6));
    assert_false(glyphs_is_emoji(0x4E2D));
    assert_false(glyphs_is_emoji('A'));
    assert_false(glyphs_is_emoji(0x3002));
}

int main(void)
{
    log_init("test-glyphs", LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(glyphs_1_1),
        cmocka_unit_test(glyphs_1_2),
        cmocka_unit_test(glyphs_1_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
