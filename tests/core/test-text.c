/* test-text.c — Chinese line breaking and fitting with a fake font: every
 * non-ASCII character is `size` px wide, ASCII size/2, zero-width joiners,
 * variation selectors and skin tones 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/util.h"

/* text_16 counts the work of breaking: text.c is compiled into this test
 * with its utf8_decode calls routed through a counter (the library copy in
 * libnbcore.a is then not linked). */
size_t counted_utf8_decode(const char *s, size_t n, uint32_t *cp);
#define utf8_decode counted_utf8_decode
#include "../src/core/text.c"
#undef utf8_decode
static long decoded;
size_t counted_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    decoded++;
    return utf8_decode(s, n, cp);
}

static long calls;      /* width() calls, to check segments are measured once */

static int fake_width(void *ctx, const char *s, size_t len, int size)
{
    calls++;
    int w2 = 0;         /* in half-size units */
    for (size_t p = 0; p < len;) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, len - p, &cp);
        assert_true(k > 0);     /* never handed a split UTF-8 sequence */
        p += k;
        if (cp < 0x80)
            w2 += 1;
        else if (!(cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF)))
            w2 += 2;
    }
    return w2 * size / 2;
}

static int fake_line_height(void *ctx, int size)
{
    return size + size / 4;
}

static const struct text_measurer fake = { NULL, fake_width, fake_line_height };

/* The text of line i as a new string. */
static char *line_str(const char *text, const struct text_layout *l, size_t i)
{
    return xstrndup(text + l->lines[i].start, l->lines[i].len);
}

static uint32_t first_cp(const char *s)
{
    uint32_t cp = 0;
    utf8_decode(s, strlen(s), &cp);
    return cp;
}

static uint32_t last_cp(const char *s)
{
    size_t n = strlen(s), p = n;
    while (p > 0 && ((unsigned char)s[p - 1] & 0xC0) == 0x80)
        p--;
    uint32_t cp = 0;
    if (p > 0)
        utf8_decode(s + p - 1, n - p + 1, &cp);
    return cp;
}

/* Every line within the box (unless it is one grapheme), lines in order,
 * not overlapping, and only spaces/newlines between them: each byte of the
 * text is shown exactly once. */
static void check_cover(const char *text, const struct text_layout *l, int box)
{
    size_t pos = 0, n = strlen(text);
    for (size_t i = 0; i < l->nlines; i++) {
        const struct text_line *ln = &l->lines[i];
        assert_true(ln->start >= pos);
        for (size_t p = pos; p < ln->start; p++)
            assert_true(strchr(" \t\r\n", text[p]) || (unsigned char)text[p] >= 0x80);
        assert_true(ln->start + ln->len <= n);
        assert_int_equal(ln->width, fake_width(NULL, text + ln->start, ln->len, l->size));
        if (ln->len > 0) {
            assert_true(text[ln->start + ln->len - 1] != ' ');     /* trailing spaces excluded */
            assert_true(ln->width <= box);
        }
        pos = ln->start + ln->len;
    }
    for (size_t p = pos; p < n; p++)
        assert_true(strchr(" \t\r\n", text[p]) != NULL);
}

static const char *const closing[] = {
    "，", "。", "、", "；", "：", "？", "！", "”", "’", "）", "》", "】", "』", "」",
    "〉", "〕", "］", "｝", "…", "‥", "·", "〜", "ー", "%", "‰",
    ",", ".", ";", ":", "?", "!", ")", "]", "}",
};
static const char *const opening[] = {
    "“", "‘", "（", "《", "【", "『", "「", "〈", "〔", "［", "｛", "(", "[", "{",
};

/* text_1_x (禁则, line start): a closing mark that would begin line 2 takes
 * the character before it along; no line starts with it. */
static void text_1(void **state)
{
    const int size = 20;
    for (size_t k = 0; k < ARRAY_LEN(closing); k++) {
        char *text = xasprintf("一二三四%s五六七", closing[k]);
        struct text_layout l;
        text_wrap(text, 4 * size, size, 1.0, &fake, &l);
        check_cover(text, &l, 4 * size);
        assert_true(l.nlines >= 2);
        for (size_t i = 0; i < l.nlines; i++) {
            char *s = line_str(text, &l, i);
            if (first_cp(s) == first_cp(closing[k]))
                fail_msg("line %zu of \"%s\" starts with %s", i, text, closing[k]);
            free(s);
        }
        char *l0 = line_str(text, &l, 0);
        if (strcmp(closing[k], "·") != 0)      /* a dot between hanzi makes a name: text_4 */
            assert_string_equal(l0, "一二三");  /* 四 went down with the mark */
        free(l0);
        text_layout_free(&l);
        free(text);
    }
}

/* text_2_x (禁则, line end): an opening mark never ends a line; it goes
 * down with what it opens. */
static void text_2(void **state)
{
    const int size = 20;
    for (size_t k = 0; k < ARRAY_LEN(opening); k++) {
        char *text = xasprintf("一二三%s四五六七", opening[k]);
        struct text_layout l;
        text_wrap(text, 4 * size, size, 1.0, &fake, &l);
        check_cover(text, &l, 4 * size);
        for (size_t i = 0; i < l.nlines; i++) {
            char *s = line_str(text, &l, i);
            if (last_cp(s) == first_cp(opening[k]))
                fail_msg("line %zu of \"%s\" ends with %s", i, text, opening[k]);
            free(s);
        }
        char *l0 = line_str(text, &l, 0);
        assert_string_equal(l0, "一二三");
        free(l0);
        text_layout_free(&l);
        free(text);
    }
}

/* Fails unless `token` lies wholly inside one line (at every width tried). */
static void check_whole(const char *text, const char *token, int size, int from, int to)
{
    const char *at = strstr(text, token);
    assert_non_null(at);
    uint32_t a = (uint32_t)(at - text), b = a + (uint32_t)strlen(token);
    for (int w = from; w <= to; w++) {
        struct text_layout l;
        text_wrap(text, w, size, 1.0, &fake, &l);
        check_cover(text, &l, w);
        bool whole = false;
        for (size_t i = 0; i < l.nlines; i++) {
            const struct text_line *ln = &l.lines[i];
            if (ln->start <= a && ln->start + ln->len >= b)
                whole = true;
            else if (ln->start + ln->len > a && ln->start < b)
                fail_msg("\"%s\" split at width %d (line %zu)", token, w, i);
        }
        assert_true(whole);
        text_layout_free(&l);
    }
}

/* text_3: numbers with units, times, Latin words and URLs stay whole. */
static void text_3(void **state)
{
    const char *text = "活动定于2026年11月22日18:30开始，现场有Wi-Fi，增长3.5%，"
                       "详见www.example.com或拨打电话12345678咨询。";
    const int s = 20;
    /* From the width of the token's glued run up: "18:30开" (a number
     * keeps the character after it), "Wi-Fi，" (no line starts with ，). */
    check_whole(text, "2026年", s, 3 * s, 30 * s);
    check_whole(text, "22日", s, 2 * s, 30 * s);
    check_whole(text, "18:30", s, 7 * s / 2, 30 * s);
    check_whole(text, "Wi-Fi", s, 7 * s / 2, 30 * s);
    check_whole(text, "3.5%", s, 3 * s, 30 * s);
    check_whole(text, "www.example.com", s, 8 * s, 30 * s);
    check_whole(text, "12345678", s, 5 * s, 30 * s);
    check_whole("支出9.8万元，主要用于楼道照明", "9.8万元", s, 9 * s / 2, 30 * s);  /* "9.8万元，" */
}

/* text_4: a name with a middle dot stays whole (any of the dot forms);
 * in running text too, while the glued run fits the box. */
static void text_4(void **state)
{
    const int s = 20;
    /* "阿卜杜·克里木、" is 8 s wide (、 cannot start a line). */
    check_whole("获奖者：阿卜杜·克里木、买买提・吐尔逊、王芳。", "阿卜杜·克里木", s, 8 * s, 25 * s);
    check_whole("获奖者：阿卜杜·克里木、买买提・吐尔逊、王芳。", "买买提・吐尔逊", s, 8 * s, 25 * s);
    check_whole("阿卜杜·克里木", "阿卜杜·克里木", s, 7 * s, 25 * s);
    /* In running text up to five ideographs each side are glued: 彰迪丽热巴•迪力木拉提. */
    check_whole("表彰迪丽热巴•迪力木拉提同志", "迪丽热巴•迪力木拉提", s, 12 * s, 25 * s);
    /* text_4.1: but glue never leaves a line under a third full: rather than
     * 表 alone, the run gives at its dot (the seam of a name, or of a title
     * like 国际志愿者日·志愿服务集市, which only looks like a name). */
    struct text_layout l1;
    const char *nm = "表彰迪丽热巴•迪力木拉提同志";
    text_wrap(nm, 11 * s, s, 1.0, &fake, &l1);
    check_cover(nm, &l1, 11 * s);
    assert_int_equal(l1.nlines, 2);
    char *l1a = line_str(nm, &l1, 0);
    assert_string_equal(l1a, "表彰迪丽热巴•");
    free(l1a);
    text_layout_free(&l1);
    const char *ti = "国际志愿者日·志愿服务集市";
    text_wrap(ti, 11 * s, s, 1.0, &fake, &l1);
    check_cover(ti, &l1, 11 * s);
    assert_int_equal(l1.nlines, 2);
    char *l1b = line_str(ti, &l1, 0);
    assert_string_equal(l1b, "国际志愿者日·");
    free(l1b);
    text_layout_free(&l1);
    /* Too narrow for the glued run: it splits after the dot or outside the
     * name's three characters next to the dot first, never loses
     * characters, and terminates. */
    struct text_layout l;
    const char *t = "欢迎阿卜杜·克里木先生";
    text_wrap(t, 3 * s, s, 1.0, &fake, &l);
    check_cover(t, &l, 3 * s);
    assert_true(l.nlines >= 4);
    text_layout_free(&l);
    for (int w = 6 * s; w <= 10 * s; w += s) {
        text_wrap(t, w, s, 1.0, &fake, &l);
        assert_int_equal(l.nlines, 2);
        char *x = line_str(t, &l, 0);   /* 欢迎阿卜杜· or 欢迎阿卜杜·克里木 */
        assert_true(last_cp(x) == 0xB7 || last_cp(x) == first_cp("木"));
        free(x);
        text_layout_free(&l);
    }
    text_wrap(t, 5 * s, s, 1.0, &fake, &l);
    const char *want[] = { "欢迎", "阿卜杜·", "克里木先生" };
    assert_int_equal(l.nlines, 3);
    for (size_t i = 0; i < 3; i++) {
        char *x = line_str(t, &l, i);
        assert_string_equal(x, want[i]);
        free(x);
    }
    text_layout_free(&l);
}

/* text_5: supplementary-plane characters and emoji graphemes are never
 * split, even in a box narrower than one of them. */
static void text_5(void **state)
{
    const int s = 20;
    const char *t = "𠀀👍🏽❤️𠀁";
    const char *want[] = { "𠀀", "👍🏽", "❤️", "𠀁" };
    struct text_layout l;
    for (int w = 1; w <= s; w += s - 1) {
        text_wrap(t, w, s, 1.0, &fake, &l);
        assert_int_equal(l.nlines, 4);
        for (size_t i = 0; i < 4; i++) {
            char *x = line_str(t, &l, i);
            assert_string_equal(x, want[i]);
            free(x);
        }
        text_layout_free(&l);
    }
    t = "🇨🇳🇨🇳👨‍👩‍👧1️⃣";                         /* flags, a ZWJ family, a keycap */
    const char *want2[] = { "🇨🇳", "🇨🇳", "👨‍👩‍👧", "1️⃣" };
    text_wrap(t, 1, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 4);
    for (size_t i = 0; i < 4; i++) {
        char *x = line_str(t, &l, i);
        assert_string_equal(x, want2[i]);
        free(x);
    }
    text_layout_free(&l);
    t = "𠀀👍🏽❤️𠀁👍🏽❤️";
    text_wrap(t, 3 * s, s, 1.0, &fake, &l);     /* three per line */
    assert_int_equal(l.nlines, 2);
    assert_int_equal(l.lines[0].width, 3 * s);
    text_layout_free(&l);
    t = "一二𠀀𠀁𠀂𠀃";                           /* Extension B breaks like any hanzi */
    text_wrap(t, 3 * s, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 2);
    assert_int_equal(l.lines[0].width, 3 * s);
    text_layout_free(&l);
    t = "点赞👍👍👍👍";
    text_wrap(t, 3 * s, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 2);
    assert_int_equal(l.lines[0].len, strlen("点赞👍"));
    text_layout_free(&l);
}

/* text_6: trailing spaces are neither measured nor part of the line. */
static void text_6(void **state)
{
    const int s = 20;
    const char *t = "abc    def";
    struct text_layout l;
    text_wrap(t, 2 * s, s, 1.0, &fake, &l);      /* "abc    " is 2 s wide, "abc" 1.5 s */
    assert_int_equal(l.nlines, 2);
    assert_int_equal(l.lines[0].len, 3);
    assert_int_equal(l.lines[0].width, 3 * s / 2);
    assert_int_equal(l.lines[1].start, 7);
    text_layout_free(&l);
    t = "社区 公告   ";                              /* spaces at the very end */
    text_wrap(t, 100 * s, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 1);
    assert_int_equal(l.lines[0].width, 4 * s + s / 2);
    text_layout_free(&l);
    t = "一二三四　　五六";                           /* ideographic spaces too */
    text_wrap(t, 4 * s, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 2);
    assert_int_equal(l.lines[0].len, strlen("一二三四"));
    text_layout_free(&l);
}

/* text_7: "\n" ends a paragraph; an empty paragraph is an empty line;
 * "\r\n" works; newlines at the very end add nothing. */
static void text_7(void **state)
{
    struct text_layout l;
    const char *t = "第一段\n\n第三段\r\n第四段\n\n";
    text_wrap(t, 1000, 20, 1.5, &fake, &l);
    assert_int_equal(l.nlines, 4);
    assert_int_equal(l.lines[1].len, 0);
    assert_int_equal(l.lines[1].start, strlen("第一段\n"));
    assert_int_equal(l.lines[2].len, strlen("第三段"));
    assert_int_equal(l.lines[3].start, strlen("第一段\n\n第三段\r\n"));
    assert_int_equal(l.line_height, 38);        /* 25 * 1.5, rounded */
    assert_int_equal(l.size, 20);
    check_cover(t, &l, 1000);
    text_layout_free(&l);
}

/* A deterministic 2,000-character body: hanzi, punctuation, numbers with
 * units, Latin words, paragraphs. */
static char *long_body(size_t nchars)
{
    static const char *const parts[] = {
        "社", "区", "居", "民", "活", "动", "中", "心", "通", "知", "，", "。", "、",
        "“", "”", "《", "》", "（", "）", "2026年", "18:30", "Wi-Fi", " hello ",
        "阿卜杜·克里木", "！", "？", "…", "3.5%", "\n", "：", "𠀀", "👍🏽",
    };
    struct sbuf b = {0};
    unsigned x = 12345;
    for (size_t n = 0; n < nchars;) {
        x = x * 1103515245u + 12345u;
        const char *p = parts[(x >> 16) % ARRAY_LEN(parts)];
        if (*p == '\n' && (x >> 8) % 4)
            continue;           /* paragraphs rarer than the rest */
        sbuf_adds(&b, p);
        n += utf8_len(p);
    }
    return sbuf_take(&b);
}

static bool is_closing(uint32_t cp)
{
    for (size_t k = 0; k < ARRAY_LEN(closing); k++)
        if (first_cp(closing[k]) == cp)
            return true;
    return false;
}

static bool is_opening(uint32_t cp)
{
    for (size_t k = 0; k < ARRAY_LEN(opening); k++)
        if (first_cp(opening[k]) == cp)
            return true;
    return false;
}

/* text_8: a 2,000-character body: every byte covered once in order, no line
 * wider than the box, 禁则 everywhere, each segment measured once, fast. */
static void text_8(void **state)
{
    char *body = long_body(2000);
    const int s = 24, box = 600;
    struct text_layout l;
    calls = 0;
    clock_t t0 = clock();
    text_wrap(body, box, s, 1.2, &fake, &l);
    double ms = (double)(clock() - t0) * 1000 / CLOCKS_PER_SEC;
    long wrap_calls = calls;
    check_cover(body, &l, box);
    long total = 0;
    for (size_t i = 0; i < l.nlines; i++) {
        total += l.lines[i].width;
        char *x = line_str(body, &l, i);
        bool para_start = l.lines[i].start == 0 || body[l.lines[i].start - 1] == '\n';
        if (*x && !para_start) {        /* a paragraph may begin with anything */
            if (is_closing(first_cp(x))) {
                char *prev = i ? line_str(body, &l, i - 1) : xstrdup("");
                fail_msg("line %zu starts with a closing mark: [%s] after [%s]", i, x, prev);
            }
            if (is_opening(last_cp(x)))
                fail_msg("line %zu ends with an opening mark: %s", i, x);
        }
        free(x);
    }
    /* At least as many lines as the ink needs; greedy fill wastes little. */
    assert_true((long)l.nlines * box >= total);
    assert_true(total > (long)l.nlines * box / 2);
    /* One or two width() calls per segment (with and without spaces), far
     * fewer than one per character per line. */
    assert_true(wrap_calls <= 2 * 2000);
    printf("text_8: 2000 chars -> %zu lines, %ld width calls, %.2f ms\n", l.nlines, wrap_calls, ms);
    text_layout_free(&l);

    struct text_fit f;
    calls = 0;
    t0 = clock();
    text_fit(body, box, 400, 16, 64, 1.2, &fake, &f);
    ms = (double)(clock() - t0) * 1000 / CLOCKS_PER_SEC;
    printf("text_8: fit -> size %d, %zu pages, %ld width calls, %.2f ms\n",
           f.layout.size, f.npages, calls, ms);
    assert_true(calls <= 2 * 2000 * 9);   /* <= 9 wraps: max, min, 7 bisection steps */
    assert_int_equal(f.layout.size, 16);
    assert_true(f.npages > 1);
    text_fit_free(&f);
    free(body);
}

/* text_9: an empty body lays out as no lines, one empty page. */
static void text_9(void **state)
{
    struct text_layout l;
    text_wrap("", 100, 20, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 0);
    text_layout_free(&l);
    text_wrap("\n \n", 100, 20, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 0);
    text_layout_free(&l);
    text_wrap(NULL, 100, 20, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 0);
    text_layout_free(&l);
    struct text_fit f;
    text_fit("", 100, 100, 10, 40, 1.0, &fake, &f);
    assert_int_equal(f.npages, 1);
    assert_int_equal(f.layout.nlines, 0);
    assert_int_equal(f.page_first[0], 0);
    assert_int_equal(f.page_first[1], 0);
    assert_int_equal(f.layout.size, 40);
    text_fit_free(&f);
}

/* text_10: a box narrower than one character: one grapheme per line, and
 * it terminates; a long Latin word is split only as a last resort. */
static void text_10(void **state)
{
    struct text_layout l;
    text_wrap("社区公告", 5, 20, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(l.lines[i].len, 3);
    text_layout_free(&l);
    text_wrap("abcdefgh", 0, 20, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 8);
    text_layout_free(&l);
    const char *t = "请访问 https://www.example.com/noticeboard/2026/index.html 查看";
    text_wrap(t, 200, 20, 1.0, &fake, &l);     /* 20 ASCII per line */
    check_cover(t, &l, 200);
    assert_true(l.nlines >= 4);
    text_layout_free(&l);
}

/* Does the layout fit the box (the contract text_fit promises)? */
static bool layout_fits(const struct text_layout *l, int w, int h)
{
    for (size_t i = 0; i < l->nlines; i++)
        if (l->lines[i].width > w)
            return false;
    return (long)l->nlines * l->line_height <= h;
}

/* text_11: fit takes max_size when the text fits there, the largest size
 * that fits in between, and paginates at min_size when nothing fits. */
static void text_11(void **state)
{
    struct text_fit f;
    text_fit("社区公告", 1000, 500, 20, 80, 1.0, &fake, &f);
    assert_int_equal(f.layout.size, 80);
    assert_int_equal(f.npages, 1);
    text_fit_free(&f);

    const char *mid = "本周六上午九点，社区活动中心举行读书会，欢迎居民参加。";
    text_fit(mid, 400, 300, 10, 100, 1.0, &fake, &f);
    int got = f.layout.size;
    assert_true(got > 10 && got < 100);
    assert_int_equal(f.npages, 1);
    assert_true(layout_fits(&f.layout, 400, 300));
    text_fit_free(&f);
    struct text_layout l;   /* one size up does not fit: the largest was chosen */
    text_wrap(mid, 400, got + 1, 1.0, &fake, &l);
    assert_false(layout_fits(&l, 400, 300));
    text_layout_free(&l);

    char *body = long_body(600);
    text_fit(body, 300, 200, 20, 60, 1.0, &fake, &f);
    assert_int_equal(f.layout.size, 20);
    assert_true(f.npages > 1);
    int per = text_lines_per_page(&f.layout, 200);
    assert_int_equal(per, 200 / 25);
    assert_int_equal(f.page_first[0], 0);
    assert_int_equal(f.page_first[f.npages], f.layout.nlines);
    for (size_t p = 0; p < f.npages; p++) {
        size_t n = f.page_first[p + 1] - f.page_first[p];
        assert_true(n >= 1);
        for (size_t i = f.page_first[p] + (size_t)per; i < f.page_first[p + 1]; i++)
            assert_int_equal(f.layout.lines[i].len, 0);    /* only blank lines past the box */
    }
    check_cover(body, &f.layout, 300);
    text_fit_free(&f);
    free(body);
}

/* text_12: no page starts with a closing punctuation line or a blank
 * paragraph gap, at any box; pages cover all lines in order. */
static void text_12(void **state)
{
    char *body = long_body(1500);
    struct sbuf b = {0};    /* every paragraph break a blank line */
    for (const char *t = body; *t; t++)
        *t == '\n' ? sbuf_add(&b, "\n\n", 2) : sbuf_addc(&b, *t);
    free(body);
    body = sbuf_take(&b);
    for (int h = 30; h <= 300; h += 27) {
        struct text_fit f;
        text_fit(body, 250, h, 12, 12, 1.0, &fake, &f);
        for (size_t p = 0; p < f.npages; p++) {
            const struct text_line *ln = &f.layout.lines[f.page_first[p]];
            bool para_start = ln->start == 0 || body[ln->start - 1] == '\n';
            if (ln->len && !para_start && is_closing(first_cp(body + ln->start)))
                fail_msg("page %zu (box h %d) starts with a closing mark", p, h);
            if (p > 0 && ln->len == 0)
                fail_msg("page %zu (box h %d) starts with a blank line", p, h);
            assert_true(f.page_first[p + 1] > f.page_first[p]);
        }
        assert_int_equal(f.page_first[f.npages], f.layout.nlines);
        text_fit_free(&f);
    }
    free(body);
}

/* text_13: a paragraph's last line is not one stray character (孤字): the
 * line before hands down its last segment, when that fits. */
static void text_13(void **state)
{
    const int s = 20;
    struct text_layout l;
    const char *t = "一二三四，五六七\n甲乙丙丁";
    text_wrap(t, 4 * s, s, 1.0, &fake, &l);     /* greedy: 一二三 / 四，五六 / 七 */
    assert_int_equal(l.nlines, 4);
    char *x = line_str(t, &l, 1), *y = line_str(t, &l, 2), *z = line_str(t, &l, 3);
    assert_string_equal(x, "四，五");
    assert_int_equal(l.lines[1].width, 3 * s);
    assert_string_equal(y, "六七");
    assert_int_equal(l.lines[2].width, 2 * s);
    assert_string_equal(z, "甲乙丙丁");         /* a full last line is left alone */
    free(x), free(y), free(z);
    check_cover(t, &l, 4 * s);
    text_layout_free(&l);

    t = "一二三四五六七八。";                  /* the stray may carry its closing mark */
    text_wrap(t, 4 * s, s, 1.0, &fake, &l);
    x = line_str(t, &l, l.nlines - 1);
    assert_string_equal(x, "七八。");
    free(x);
    text_layout_free(&l);

    t = "Hello world, a";                       /* only 2 segments before: left alone */
    text_wrap(t, 13 * s / 2, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 2);
    x = line_str(t, &l, 1);
    assert_string_equal(x, "a");
    free(x);
    text_layout_free(&l);
}

/* text_14: every Unicode scalar value, between ideographs and after a
 * flag, wraps without crashing (libunibreak 1.1 aborts on regional
 * indicators and on U+FFFF) and every byte stays covered. */
static void text_14(void **state)
{
    struct layout_buf { struct text_layout l; } lb;
    for (uint32_t cp = 0x20; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        struct sbuf b = {0};
        sbuf_adds(&b, "社");
        utf8_encode(&b, cp);
        sbuf_adds(&b, "区🇨");
        utf8_encode(&b, cp);
        text_wrap(b.s, 20, 20, 1.0, &fake, &lb.l);
        assert_true(lb.l.nlines >= 1);
        text_layout_free(&lb.l);
        sbuf_free(&b);
    }
}

/* text_15: random mixes of the tricky pieces at random widths and sizes:
 * every byte covered once in order, no line wider than the box unless it is
 * a single character, no line starting with a closing mark unless forced
 * (a box narrower than the glued run), and every layout terminates. */
static void text_15(void **state)
{
    static const char *const parts[] = {
        "社", "区", "，", "。", "“", "”", "（", "）", "《", "》", "2026年", "18:30", "Wi-Fi",
        " ", "  ", "\n", "\n\n", "阿卜杜·克里木", "👍🏽", "❤️", "🇨🇳", "𠀀", "https://a.cn/x?y=1",
        "——", "……", "3.5%", "9.8万元", "　", "\t", "e\u0301", "\xef\xbf\xbf", "•", "abc",
    };
    unsigned x = 7;
    for (int round = 0; round < 3000; round++) {
        struct sbuf b = {0};
        x = x * 1103515245u + 12345u;
        int n = (int)((x >> 16) % 40);
        for (int i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            sbuf_adds(&b, parts[(x >> 16) % ARRAY_LEN(parts)]);
        }
        const char *t = b.s ? b.s : "";
        x = x * 1103515245u + 12345u;
        int size = 8 + (int)((x >> 16) % 40), box = (int)((x >> 8) % 400);
        struct text_layout l;
        text_wrap(t, box, size, 1.0, &fake, &l);
        size_t pos = 0;
        for (size_t i = 0; i < l.nlines; i++) {
            const struct text_line *ln = &l.lines[i];
            assert_true(ln->start >= pos && ln->start + ln->len <= strlen(t));
            for (size_t p = pos; p < ln->start; p++)
                assert_true(strchr(" \t\r\n", t[p]) || (unsigned char)t[p] >= 0x80);
            pos = ln->start + ln->len;
            if (ln->width > box) {      /* only a single grapheme may overflow */
                struct text_layout one;
                char *x1 = line_str(t, &l, i);
                text_wrap(x1, 0, size, 1.0, &fake, &one);
                if (one.nlines != 1)
                    fail_msg("round %d: line %zu [%s] is %d px in a %d px box at %d px", round, i,
                             x1, ln->width, box, size);
                text_layout_free(&one);
                free(x1);
            }
        }
        text_layout_free(&l);
        struct text_fit f;
        text_fit(t, box, 3 * size, 8, 48, 1.2, &fake, &f);
        assert_int_equal(f.page_first[f.npages], f.layout.nlines);
        text_fit_free(&f);
        sbuf_free(&b);
    }
}

/* Work of one text_wrap: measuring calls, bytes handed to the measurer
 * (what a real font's cost follows) and code points decoded. */
struct work {
    long calls, bytes, decoded;
};
static struct work w_now;

/* The fake font, with U+2060 WORD JOINER and U+200B ZERO WIDTH SPACE of
 * zero width as a real font draws them. */
static int work_width(void *ctx, const char *s, size_t len, int size)
{
    w_now.calls++;
    w_now.bytes += (long)len;
    int w2 = 0;
    for (size_t p = 0; p < len;) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, len - p, &cp);
        p += k ? k : 1;
        w2 += cp < 0x80 ? 1 : cp == 0x2060 || cp == 0x200B ? 0 : 2;
    }
    return w2 * size / 2;
}

static struct work wrap_work(const char *prefix, const char *unit, int n, int box)
{
    static const struct text_measurer wm = { NULL, work_width, fake_line_height };
    struct sbuf b = {0};
    sbuf_adds(&b, prefix);
    for (int i = 0; i < n; i++)
        sbuf_adds(&b, unit);
    w_now = (struct work){0};
    decoded = 0;
    struct text_layout l;
    text_wrap(b.s, box, 20, 1.0, &wm, &l);
    w_now.decoded = decoded;
    assert_true(l.nlines >= 1);
    for (size_t i = 0; i < l.nlines; i++)
        assert_true(l.lines[i].width <= box);
    text_layout_free(&l);
    sbuf_free(&b);
    return w_now;
}

/* text_16: breaking is linear in the text: four times the text costs at
 * most about four times the measuring calls, measured bytes and decoded
 * code points, for runs wider than the box that must be split by force —
 * an unbreakable Latin word, a run of closing marks (each break once
 * rescanned the rest of the paragraph for a stray last character), a word
 * followed by zero-width joiners (once one line measured again at every
 * character), a huge grapheme (hundreds of emoji joined by ZWJ, a letter
 * under hundreds of marks: cut where they must, found once), and plain
 * filling for comparison. */
static void text_16(void **state)
{
    static const struct { const char *prefix, *unit; } shapes[] = {
        {"", "a"},
        {"", "\xE3\x80\x82"},                              /* 。 */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\xE2\x81\xA0"},  /* U+2060 */
        {"", "a\xE2\x80\x8B"},                               /* a + U+200B */
        {"", "\xE4\xB8\xAD\xE2\x81\xA0"},                /* 中 + U+2060 */
        {"\xF0\x9F\x91\xA8", "\xE2\x80\x8D\xF0\x9F\x91\xA9"},  /* 👨 + (ZWJ 👩)...: one huge cluster */
        {"a", "\xCC\x81"},                                   /* a + U+0301 ...: a pile of marks */
    };
    const int n = 3000, box = 400;    /* 40 ASCII characters a line at 20 px */
    for (size_t i = 0; i < ARRAY_LEN(shapes); i++) {
        struct work a = wrap_work(shapes[i].prefix, shapes[i].unit, n, box);
        struct work b = wrap_work(shapes[i].prefix, shapes[i].unit, 4 * n, box);
        print_message("shape %zu: %d units: %ld calls, %ld bytes, %ld decoded; "
                      "%d units: %ld calls, %ld bytes, %ld decoded\n",
                      i, n, a.calls, a.bytes, a.decoded, 4 * n, b.calls, b.bytes, b.decoded);
        assert_true(b.calls <= 9 * a.calls / 2);
        assert_true(b.bytes <= 9 * a.bytes / 2);
        assert_true(b.decoded <= 9 * a.decoded / 2);
    }
}

/* text_17: a number in groups and a number after its two-character label
 * stay on one line wherever the line allows (issue 18: 「010-6512 / 3456」,
 * 「密码 / 12345678」); wider than the box, they give there first. */
static void text_17(void **state)
{
    const int s = 20;
    const char *text = "服务中心咨询电话 010-6512 3456，无线网络密码 12345678，"
                       "门禁密码：2580，报修电话：6512 3457 或 12345。";
    /* The glued runs: "电话 010-6512 3456，" is 2 + 7 + 1 = 10 s wide,
     * "密码 12345678，" 2 + 4.5 + 1, "密码：2580，" 2 + 1 + 2 + 1. */
    check_whole(text, "电话 010-6512 3456", s, 10 * s, 40 * s);
    check_whole(text, "密码 12345678", s, 15 * s / 2, 40 * s);
    check_whole(text, "密码：2580", s, 6 * s, 40 * s);
    check_whole(text, "电话：6512 3457", s, 8 * s, 40 * s);
    /* Narrower than the number: it splits between its groups, not inside one. */
    struct text_layout l;
    text_wrap("电话 010-6512 3456", 7 * s, s, 1.0, &fake, &l);
    check_cover("电话 010-6512 3456", &l, 7 * s);
    assert_int_equal(l.nlines, 2);
    char *x = line_str("电话 010-6512 3456", &l, 1);
    assert_string_equal(x, "010-6512 3456");   /* the label gives first */
    free(x);
    text_layout_free(&l);
    text_wrap("电话 010-6512 3456", 5 * s, s, 1.0, &fake, &l);
    check_cover("电话 010-6512 3456", &l, 5 * s);
    assert_int_equal(l.nlines, 3);
    x = line_str("电话 010-6512 3456", &l, 1);
    assert_string_equal(x, "010-6512");         /* then the groups */
    free(x);
    text_layout_free(&l);
    /* A label glues two characters, not the whole phrase before it. */
    text_wrap("一二三四五六七八九十密码 12345678", 11 * s, s, 1.0, &fake, &l);
    assert_int_equal(l.nlines, 2);
    x = line_str("一二三四五六七八九十密码 12345678", &l, 1);
    assert_string_equal(x, "密码 12345678");
    free(x);
    text_layout_free(&l);
    /* A range of times or numbers stays whole ("每天 6:00—23:00 " glues the
     * label too: 2 + 4.5 + 1 s). */
    check_whole("小区北门集中充电棚每天 6:00—23:00 开放，扫码即可充电。", "6:00—23:00", s,
                15 * s / 2, 30 * s);
    check_whole("11月25日8:00～18:00，1—6号楼停水", "1—6号", s, 3 * s, 30 * s);
    /* Latin words in Chinese text stay whole. */
    check_whole("请关注公众号Noticeboard获取通知，或访问官网", "Noticeboard", s, 6 * s, 30 * s);
    /* A date stays whole ("2026年12月3日 09:00" glues its time too: 6.5 + 0.5 + 2.5 s);
     * 为 before a number is no label: the line breaks after 校正为, not
     * inside 校正 (the clock card's 「设备时间已校正为 2026年12月3日…」). */
    const char *moved = "设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）。";
    check_whole(moved, "2026年12月3日", s, 19 * s / 2, 40 * s);
    check_whole(moved, "2026年11月26日", s, 10 * s, 40 * s);
    text_wrap(moved, 16 * s, s, 1.0, &fake, &l);
    check_cover(moved, &l, 16 * s);
    x = line_str(moved, &l, 0);
    assert_string_equal(x, "设备时间已校正为");
    free(x);
    text_layout_free(&l);
    const char *open_to = "图书室周末开放至 22:00";      /* 至: 开放 stays whole */
    text_wrap(open_to, 17 * s / 2, s, 1.0, &fake, &l);
    check_cover(open_to, &l, 17 * s / 2);
    x = line_str(open_to, &l, 0);
    assert_string_equal(x, "图书室周末开放至");
    free(x);
    text_layout_free(&l);
}

/* text_18: a "grapheme" of hundreds of code points (a ZWJ chain, a letter
 * under a pile of marks) is cut so that no line is wider than the box;
 * the text is all shown, in order, and fitting finds a size that fits. */
static void text_18(void **state)
{
    const int s = 20;
    struct sbuf b = {0};
    sbuf_adds(&b, "前👨");
    for (int i = 0; i < 200; i++)
        sbuf_adds(&b, "\u200D👩");            /* 201 people, one cluster */
    sbuf_adds(&b, "后 a");
    for (int i = 0; i < 300; i++)
        sbuf_adds(&b, "\u0301");               /* a with 300 acute accents */
    struct text_layout l;
    text_wrap(b.s, 10 * s, s, 1.0, &fake, &l);
    check_cover(b.s, &l, 10 * s);               /* every line within the box */
    assert_true(l.nlines >= 50);
    text_layout_free(&l);
    struct text_fit f;
    text_fit(b.s, 10 * s, 30 * s, 10, 40, 1.0, &fake, &f);
    for (size_t i = 0; i < f.layout.nlines; i++)
        assert_true(f.layout.lines[i].width <= 10 * s);
    text_fit_free(&f);
    sbuf_free(&b);
}

/* text_19: what the ticker may not cut between: a skin tone, a variation
 * selector, a ZWJ and what follows it, a combining mark; not between two
 * ideographs or two emoji. */
static void text_19(void **state)
{
    assert_true(text_joined(0x1F44D, 0x1F3FD));     /* 👍🏽 */
    assert_true(text_joined(0x2764, 0xFE0F));       /* ❤️ */
    assert_true(text_joined(0x1F468, 0x200D));
    assert_true(text_joined(0x200D, 0x1F469));      /* 👨‍👩 */
    assert_true(text_joined('a', 0x0301));
    assert_false(text_joined(0x4E2D, 0x6587));
    assert_false(text_joined(0x1F389, 0x1F3EE));
    assert_false(text_joined(0, 'a'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_1), cmocka_unit_test(text_2), cmocka_unit_test(text_3),
        cmocka_unit_test(text_4), cmocka_unit_test(text_5), cmocka_unit_test(text_6),
        cmocka_unit_test(text_7), cmocka_unit_test(text_8), cmocka_unit_test(text_9),
        cmocka_unit_test(text_10), cmocka_unit_test(text_11), cmocka_unit_test(text_12),
        cmocka_unit_test(text_13), cmocka_unit_test(text_14), cmocka_unit_test(text_15),
        cmocka_unit_test(text_16), cmocka_unit_test(text_17), cmocka_unit_test(text_18),
        cmocka_unit_test(text_19),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
