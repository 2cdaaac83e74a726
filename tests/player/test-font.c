/* test-font.c — the font chain on the pinned subset font: measuring, blended
 * rendering, per-glyph fallback to system fonts, bold, sized-font cache.
 * Characters the subset must NOT contain are written as \u escapes, so that
 * fonts/make-subset.sh (which collects characters from tests) skips them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/text.h"
#include "player/font.h"

/* The pinned font, found from this file's path (tests run from the top). */
#define PINNED "tests/player/../../fonts/NotoSansSC-NB-Regular.otf"
#define WQY "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

static struct fonts *open_chain(const char *spec)
{
    struct config cfg = {0};
    cfg.fonts[0] = (char *)spec;
    cfg.nfonts = 1;
    return fonts_create(&cfg);
}

static struct fonts *pinned(void)
{
    struct fonts *f = open_chain(PINNED ":0");
    assert_non_null(f);
    assert_non_null(strstr(fonts_face_path(f, 0x793E), "NotoSansSC-NB-Regular.otf")); /* 社 */
    return f;
}

static int width(struct fonts *f, enum font_weight w, const char *s, int size)
{
    const struct text_measurer *m = fonts_measurer(f, w);
    return m->width(m->ctx, s, strlen(s), size);
}

/* Non-transparent pixels in an ARGB8888 surface. */
static long ink(SDL_Surface *s)
{
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_ARGB8888);
    long n = 0;
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < s->w; x++)
            n += (row[x] >> 24) > 0;
    }
    return n;
}

static long render_ink(struct fonts *f, const char *s, int size, enum font_weight w, int *wd)
{
    SDL_Color white = { 255, 255, 255, 255 };
    SDL_Surface *sf = fonts_render(f, s, strlen(s), size, w, white);
    assert_non_null(sf);
    assert_int_equal(sf->h, fonts_line_height(f, size, w));
    long n = ink(sf);
    if (wd)
        *wd = sf->w;
    SDL_FreeSurface(sf);
    return n;
}

/* font_1: ideographs are one em wide; the measurer sums advances, Latin is
 * narrower, and line metrics are sane. */
static void font_1(void **state)
{
    struct fonts *f = pinned();
    assert_int_equal(width(f, FONT_REGULAR, "社区公告", 40), 160);
    assert_int_equal(width(f, FONT_REGULAR, "社区公告", 25), 100);
    int latin = width(f, FONT_REGULAR, "Wi-Fi 2026", 40);
    assert_true(latin > 0 && latin < 10 * 40);
    assert_int_equal(width(f, FONT_REGULAR, "", 40), 0);
    int lh = fonts_line_height(f, 40, FONT_REGULAR), asc = fonts_ascent(f, 40, FONT_REGULAR);
    assert_true(asc > 30 && asc < lh && lh < 80);
    const struct text_measurer *m = fonts_measurer(f, FONT_REGULAR);
    assert_int_equal(m->line_height(m->ctx, 40), lh);
    fonts_destroy(f);
}

/* font_2: "社区公告" renders with ink, at the measured width. */
static void font_2(void **state)
{
    struct fonts *f = pinned();
    int wd;
    long n = render_ink(f, "社区公告", 48, FONT_REGULAR, &wd);
    assert_true(n > 500);
    assert_int_equal(wd, width(f, FONT_REGULAR, "社区公告", 48));
    /* Mixed Latin and Chinese, kerned pairs (AV, To) and ligatures (fi):
     * the measurer agrees with the renderer to the pixel at every size. */
    const char *mixed[] = { "2026年11月 Wi-Fi 密码：NB-2026，18:30 开始。",
                            "AVATAR To Ty Wa", "fi fl ffi office", "“你好”，他说。" };
    for (size_t i = 0; i < ARRAY_LEN(mixed); i++)
        for (int size = 12; size <= 120; size += 9) {
            render_ink(f, mixed[i], size, FONT_REGULAR, &wd);
            assert_int_equal(wd, width(f, FONT_REGULAR, mixed[i], size));
            render_ink(f, mixed[i], size, FONT_BOLD, &wd);
            assert_int_equal(wd, width(f, FONT_BOLD, mixed[i], size));
        }
    SDL_Color c = { 0, 0, 0, 255 };
    assert_null(fonts_render(f, "", 0, 36, FONT_REGULAR, c));
    fonts_destroy(f);
}

/* font_3: a character the subset lacks (U+4E28, a level-2 hanzi) but system fonts have is
 * drawn by a system font, not as .notdef; the chain caches the choice. */
static void font_3(void **state)
{
    TTF_Init();
    TTF_Font *raw = TTF_OpenFont(PINNED, 20);
    assert_non_null(raw);
    assert_false(TTF_GlyphIsProvided32(raw, 0x4E28));   /* the subset really lacks it */
    TTF_CloseFont(raw);
    TTF_Quit();

    struct fonts *f = pinned();
    const char *path = fonts_face_path(f, 0x4E28);
    assert_non_null(path);
    assert_null(strstr(path, "NotoSansSC-NB"));
    assert_ptr_equal(fonts_face_path(f, 0x4E28), path);   /* cached */
    raw = TTF_OpenFont(path, 20);       /* face 0 of a .ttc still tells coverage for CJK */
    if (raw) {
        assert_true(TTF_GlyphIsProvided32(raw, 0x4E28));
        TTF_CloseFont(raw);
    }
    assert_true(width(f, FONT_REGULAR, "\u4E28", 40) > 0);
    long alone = render_ink(f, "\u4E28", 40, FONT_REGULAR, NULL);
    assert_true(alone > 20);
    /* In a mixed line the fallback run sits between pinned runs. */
    int wd;
    long mixed = render_ink(f, "社\u4E28区", 40, FONT_REGULAR, &wd);
    assert_true(mixed > alone + render_ink(f, "社", 40, FONT_REGULAR, NULL));
    assert_int_equal(wd, width(f, FONT_REGULAR, "社\u4E28区", 40));
    /* Hundreds of alternating runs: all drawn, none dropped. */
    struct sbuf b = {0};
    for (int i = 0; i < 150; i++)
        sbuf_adds(&b, "社\u4E28");
    render_ink(f, b.s, 16, FONT_REGULAR, &wd);
    assert_int_equal(wd, 300 * 16);
    sbuf_free(&b);
    fonts_destroy(f);
}

/* font_4: rare name characters are in the pinned subset (first in chain);
 * with a chain that lacks one (WenQuanYi lacks U+3400, the first Extension A hanzi), fontconfig
 * supplies a font that has it. */
static void font_4(void **state)
{
    struct fonts *f = pinned();
    const char *rare[] = { "喆", "堃", "玥", "赟", "燚" };
    for (size_t i = 0; i < ARRAY_LEN(rare); i++) {
        uint32_t cp;
        utf8_decode(rare[i], strlen(rare[i]), &cp);
        assert_non_null(strstr(fonts_face_path(f, cp), "NotoSansSC-NB-Regular"));
        assert_true(render_ink(f, rare[i], 40, FONT_REGULAR, NULL) > 50);
    }
    fonts_destroy(f);

    f = open_chain(WQY ":0");
    assert_non_null(f);
    assert_string_equal(fonts_face_path(f, 0x5586), WQY);       /* 喆 in WenQuanYi */
    const char *p = fonts_face_path(f, 0x3400);
    assert_non_null(p);
    assert_string_not_equal(p, WQY);
    assert_true(render_ink(f, "\u3400", 40, FONT_REGULAR, NULL) > 20);
    fonts_destroy(f);
}

/* font_5: a supplementary-plane character no installed font has (𠀀
 * U+20000) gives NULL from the chain, and the "none" decision is cached;
 * it is neither measured nor drawn (no □ box, issue 18: the import's
 * report named it to staff), alone or between others. */
static void font_5(void **state)
{
    struct fonts *f = pinned();
    assert_null(fonts_face_path(f, 0x20000));
    assert_null(fonts_face_path(f, 0x20000));
    assert_int_equal(width(f, FONT_REGULAR, "社\U00020000区", 40), 80);
    int wd;
    long with = render_ink(f, "社\U00020000区", 40, FONT_REGULAR, &wd);
    assert_int_equal(wd, 80);
    assert_int_equal(with, render_ink(f, "社区", 40, FONT_REGULAR, NULL));
    assert_int_equal(width(f, FONT_REGULAR, "\U00020000", 40), 0);
    fonts_destroy(f);
}

/* font_6: bold comes from the sibling NotoSansSC-NB-Bold.otf: same advances
 * for ideographs, more ink. */
static void font_6(void **state)
{
    struct fonts *f = pinned();
    assert_int_equal(width(f, FONT_BOLD, "社区公告", 40), 160);
    long reg = render_ink(f, "社区公告", 40, FONT_REGULAR, NULL);
    long bold = render_ink(f, "社区公告", 40, FONT_BOLD, NULL);
    assert_true(bold > reg * 11 / 10);
    fonts_destroy(f);
}

/* font_7: many sizes (more than the 24-slot cache) in turn, twice: widths
 * follow the size exactly, so evicted fonts come back at the right size. */
static void font_7(void **state)
{
    struct fonts *f = pinned();
    for (int round = 0; round < 2; round++)
        for (int size = 10; size < 70; size += 2) {
            assert_int_equal(width(f, round ? FONT_BOLD : FONT_REGULAR, "社区", size), 2 * size);
            int wd;
            render_ink(f, "公告", size, FONT_REGULAR, &wd);
            assert_int_equal(wd, 2 * size);
        }
    fonts_destroy(f);
}

/* font_8: an unopenable configured font falls back to the system fonts
 * rather than failing; the measurer works with the text engine. */
static void font_8(void **state)
{
    struct fonts *f = open_chain("/nonexistent/font.otf:0");
    assert_non_null(f);
    assert_non_null(fonts_face_path(f, 0x793E));
    struct text_layout l;
    text_wrap("社区公告：本周六上午九点在活动室举行读书会。", 200, 20, 1.0,
              fonts_measurer(f, FONT_REGULAR), &l);
    assert_true(l.nlines >= 2);
    for (size_t i = 0; i < l.nlines; i++)
        assert_true(l.lines[i].width <= 200);
    text_layout_free(&l);
    fonts_destroy(f);
}

/* font_9: control characters (a tab, a stray CR) draw nothing and measure
 * nothing, rather than .notdef boxes. */
static void font_9(void **state)
{
    struct fonts *f = pinned();
    int plain, ctl;
    long ink_plain = render_ink(f, "社区", 40, FONT_REGULAR, &plain);
    long ink_ctl = render_ink(f, "社\t区\r", 40, FONT_REGULAR, &ctl);
    assert_int_equal(ctl, plain);
    assert_int_equal(ink_ctl, ink_plain);
    assert_int_equal(width(f, FONT_REGULAR, "\t社区\r", 40), 80);
    fonts_destroy(f);
}

/* font_10: the text engine with the real font: a 2,000-character notice
 * fitted to a 1600x800 box; every line, rendered, is no wider than the box
 * and measured to the pixel; timing printed. */
static void font_10(void **state)
{
    struct fonts *f = pinned();
    struct sbuf b = {0};
    const char *para = "社区居民活动中心通知：本周六上午9:30在三楼活动室举行“读书月”分享会"
                       "（Wi-Fi：NB-2026，密码见前台），欢迎阿卜杜·克里木等居民参加！";
    while (utf8_len(b.s ? b.s : "") < 2000) {
        sbuf_adds(&b, para);
        if (utf8_len(b.s) % 3 == 0)
            sbuf_addc(&b, '\n');
    }
    struct text_fit fit;
    Uint64 t0 = SDL_GetPerformanceCounter();
    text_fit(b.s, 1600, 800, 28, 96, 1.3, fonts_measurer(f, FONT_REGULAR), &fit);
    double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000 / SDL_GetPerformanceFrequency();
    printf("font_10: %zu chars -> %d px, %zu lines, %zu pages, fit in %.1f ms\n",
           utf8_len(b.s), fit.layout.size, fit.layout.nlines, fit.npages, ms);
    assert_int_equal(fit.layout.size, 28);
    assert_true(fit.npages > 1);
    for (size_t i = 0; i < fit.layout.nlines; i++) {
        const struct text_line *ln = &fit.layout.lines[i];
        if (!ln->len)
            continue;
        int wd;
        SDL_Color c = { 0, 0, 0, 255 };
        SDL_Surface *sf = fonts_render(f, b.s + ln->start, ln->len, fit.layout.size, FONT_REGULAR, c);
        assert_non_null(sf);
        wd = sf->w;
        SDL_FreeSurface(sf);
        assert_true(wd <= 1600);
        assert_int_equal(wd, ln->width);
    }
    text_fit_free(&fit);
    sbuf_free(&b);
    fonts_destroy(f);
}

/* font_11: odd code points (combining marks, soft hyphen, bidi and
 * zero-width marks, noncharacters, flags) alone and inside text: measured
 * width equals rendered width; nothing crashes. */
static void font_11(void **state)
{
    struct fonts *f = pinned();
    static const uint32_t odd[] = { 0x0301, 0x00AD, 0x061C, 0x200D, 0xFE0F, 0x20E3, 0xFEFF,
                                    0xFFFD, 0xFFFF, 0xE000, 0x0085, 0x2028, 0x1F1E8, 0x202E };
    for (size_t i = 0; i < ARRAY_LEN(odd); i++)
        for (int k = 0; k < 4; k++) {
            struct sbuf b = {0};
            if (k & 1)
                sbuf_adds(&b, "社A");
            utf8_encode(&b, odd[i]);
            if (k & 2)
                sbuf_adds(&b, "区b");
            SDL_Color c = { 0, 0, 0, 255 };
            SDL_Surface *sf = fonts_render(f, b.s, b.len, 30, FONT_REGULAR, c);
            int rw = sf ? sf->w : 0;
            SDL_FreeSurface(sf);
            if (width(f, FONT_REGULAR, b.s, 30) != rw)
                fail_msg("U+%04X (case %d): measured %d, rendered %d", (unsigned)odd[i], k,
                         width(f, FONT_REGULAR, b.s, 30), rw);
            sbuf_free(&b);
        }
    fonts_destroy(f);
}

/* Synthesised bold: measured to the pixel at every size (as the regular),
 * and visibly heavier than the regular. */
static void check_synthesised_bold(struct fonts *f)
{
    const char *s[] = { "社区公告", "“你好”，他说。", "Hello 社区 2026年" };
    for (size_t i = 0; i < ARRAY_LEN(s); i++)
        for (int size = 12; size <= 96; size += 7) {
            int wd;
            render_ink(f, s[i], size, FONT_BOLD, &wd);
            assert_int_equal(wd, width(f, FONT_BOLD, s[i], size));
            render_ink(f, s[i], size, FONT_REGULAR, &wd);
            assert_int_equal(wd, width(f, FONT_REGULAR, s[i], size));
        }
    assert_true(render_ink(f, "社区公告", 40, FONT_BOLD, NULL) >
                render_ink(f, "社区公告", 40, FONT_REGULAR, NULL) * 11 / 10);
}

/* font_12: a face without a bold file (WenQuanYi) gets synthesised bold,
 * visibly heavier, and measured to the pixel like the regular. */
static void font_12(void **state)
{
    struct fonts *f = open_chain(WQY ":0");
    assert_non_null(f);
    check_synthesised_bold(f);
    fonts_destroy(f);
}

/* font_13: a bold sibling file that exists but cannot be opened: bold is
 * synthesised, and measured as synthesised bold (to the pixel). */
static void font_13(void **state)
{
    char dir[] = "/tmp/test-font-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char reg[256], bold[256], cmd[600];
    snprintf(reg, sizeof reg, "%s/Face-Regular.otf", dir);
    snprintf(bold, sizeof bold, "%s/Face-Bold.otf", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", PINNED, reg);
    assert_int_equal(system(cmd), 0);
    FILE *fp = fopen(bold, "w");
    assert_non_null(fp);
    fputs("not a font", fp);
    fclose(fp);
    struct fonts *f = open_chain(reg);
    assert_non_null(f);
    check_synthesised_bold(f);
    fonts_destroy(f);
    unlink(reg);
    unlink(bold);
    rmdir(dir);
}

/* font_14: the default chain opens Noto Sans CJK alone; WenQuanYi is
 * opened when a character Noto lacks comes (Ą, U+0104), before any
 * fontconfig fallback. */
static void font_14(void **state)
{
    struct config cfg = {0};
    struct fonts *f = fonts_create(&cfg);
    assert_non_null(f);
    assert_int_equal(fonts_face_count(f), 1);
    assert_non_null(strstr(fonts_face_path(f, 0x4E2D), "NotoSansCJK"));   /* 中 */
    assert_true(width(f, FONT_REGULAR, "社区服务中心", 30) > 0);
    assert_int_equal(fonts_face_count(f), 1);
    assert_string_equal(fonts_face_path(f, 0x0104), WQY);
    assert_int_equal(fonts_face_count(f), 2);
    fonts_destroy(f);
}

/* Pixels of sf whose colour is far from grey (a colour glyph has many;
 * text drawn in one colour has none). */
static long colourful(SDL_Surface *sf)
{
    long n = 0;
    for (int y = 0; y < sf->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)sf->pixels + y * sf->pitch);
        for (int x = 0; x < sf->w; x++) {
            int a = (int)(row[x] >> 24), r = (int)(row[x] >> 16 & 0xff),
                g = (int)(row[x] >> 8 & 0xff), b = (int)(row[x] & 0xff);
            int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
            int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
            n += a > 128 && hi - lo > 80;
        }
    }
    return n;
}

/* font_15: emoji (issue 18): 🎉 and 🏮 come from the installed colour emoji
 * font (Debian fonts-noto-color-emoji, a bitmap strike SDL_ttf 2.20 draws
 * in colour) through the fallback, scaled to the text size: about one em
 * wide, inside the line, in colour whatever colour the text is; measured
 * exactly as drawn; a ZWJ family and a skin tone are one glyph. */
static void font_15(void **state)
{
    struct fonts *f = pinned();
    const char *party = "\U0001F389", *lantern = "\U0001F3EE";
    const char *path = fonts_face_path(f, 0x1F389);
    assert_non_null(path);      /* fails without fonts-noto-color-emoji */
    assert_non_null(strstr(path, "NotoColorEmoji"));
    SDL_Color white = { 255, 255, 255, 255 };
    for (int size = 24; size <= 160; size *= 2) {
        int w = width(f, FONT_REGULAR, party, size);
        assert_in_range(w, size * 9 / 10, size * 12 / 10);
        char text[64];
        snprintf(text, sizeof text, "%s新年快乐%s", party, lantern);
        SDL_Surface *sf = fonts_render(f, text, strlen(text), size, FONT_REGULAR, white);
        assert_non_null(sf);
        assert_int_equal(sf->w, width(f, FONT_REGULAR, text, size));
        assert_int_equal(sf->h, fonts_line_height(f, size, FONT_REGULAR));
        print_message("size %d: 🎉 %d px wide, text %dx%d, %ld colour pixels\n", size, w, sf->w,
                      sf->h, colourful(sf));
        assert_true(colourful(sf) > (long)size * size / 4);
        SDL_FreeSurface(sf);
    }
    /* 👨‍👩‍👧 and 👍🏽 shape to one glyph each: about one em, not three. */
    assert_in_range(width(f, FONT_REGULAR, "\U0001F468\u200D\U0001F469\u200D\U0001F467", 40), 36,
                    48);
    assert_in_range(width(f, FONT_REGULAR, "\U0001F44D\U0001F3FD", 40), 36, 48);
    fonts_destroy(f);
}

int main(void)
{
    log_init("test-font", LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(font_1), cmocka_unit_test(font_2), cmocka_unit_test(font_3),
        cmocka_unit_test(font_4), cmocka_unit_test(font_5), cmocka_unit_test(font_6),
        cmocka_unit_test(font_7), cmocka_unit_test(font_8), cmocka_unit_test(font_9),
        cmocka_unit_test(font_10), cmocka_unit_test(font_11), cmocka_unit_test(font_12),
        cmocka_unit_test(font_13), cmocka_unit_test(font_14), cmocka_unit_test(font_15),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
