/* test-demo-text.c — every cell of the demo bundle, laid out with the pinned
 * font at the sizes and widths slides use, breaks by docs/promises.md's rules: no
 * line starts with ，。、；：？！”’）》】… and none ends with “‘（《【.  The
 * marks are listed here again, on purpose, rather than taken from text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/csv.h"
#include "core/text.h"
#include "core/util.h"
#include "player/font.h"

#define PINNED "fonts/NotoSansSC-NB-Regular.otf"
#define DEMO "assets/demo/noticeboard/"

static const char *const no_start[] = {"，", "。", "、", "；", "：", "？", "！",
                                       "”", "’", "）", "》", "】", "…"};
static const char *const no_end[] = {"“", "‘", "（", "《", "【"};

static bool starts_with_any(const char *s, size_t n, const char *const *list, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        size_t m = strlen(list[i]);
        if (n >= m && !memcmp(s, list[i], m))
            return true;
    }
    return false;
}

static bool ends_with_any(const char *s, size_t n, const char *const *list, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        size_t m = strlen(list[i]);
        if (n >= m && !memcmp(s + n - m, list[i], m))
            return true;
    }
    return false;
}

/* Wraps one text at every size and width; fails naming the first bad line. */
static size_t check_text(const struct text_measurer *m, const char *file, uint32_t line,
                         const char *text)
{
    static const int sizes[] = {36, 54, 72};
    size_t lines = 0;
    for (size_t si = 0; si < ARRAY_LEN(sizes); si++) {
        for (int w = 240; w <= 1800; w += 120) {
            struct text_layout l;
            text_wrap(text, w, sizes[si], 1.0, m, &l);
            for (size_t i = 0; i < l.nlines; i++) {
                const char *s = text + l.lines[i].start;
                size_t n = l.lines[i].len;
                /* A line that is only the mark is the worst case of all. */
                if (i > 0 && starts_with_any(s, n, no_start, ARRAY_LEN(no_start)))
                    fail_msg("%s:%u: size %d width %d: line %zu starts with a closing mark: "
                             "\"%.*s\"", file, line, sizes[si], w, i, (int)n, s);
                if (i + 1 < l.nlines && ends_with_any(s, n, no_end, ARRAY_LEN(no_end)))
                    fail_msg("%s:%u: size %d width %d: line %zu ends with an opening mark: "
                             "\"%.*s\"", file, line, sizes[si], w, i, (int)n, s);
                if (l.lines[i].width > w)
                    fail_msg("%s:%u: line %zu is %d px wide in a %d px box", file, line, i,
                             l.lines[i].width, w);
            }
            lines += l.nlines;
            text_layout_free(&l);
        }
    }
    return lines;
}

/* demo-text-1: every cell of every demo CSV file. */
static void demo_text_1(void **state)
{
    (void)state;
    static const char *const files[] = {"announcements.csv", "events.csv", "honors.csv",
                                        "ticker.csv", "holidays.csv", "settings.csv"};
    struct config cfg = {0};
    cfg.fonts[0] = (char *)PINNED;
    cfg.nfonts = 1;
    struct fonts *f = fonts_create(&cfg);
    assert_non_null(f);
    const struct text_measurer *m = fonts_measurer(f, FONT_REGULAR);
    size_t cells = 0, lines = 0;
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char *path = xasprintf(DEMO "%s", files[i]);
        size_t len;
        char *data = read_file(path, CSV_MAX_BYTES, &len);
        assert_non_null(data);
        struct csv_error err;
        struct table *c = csv_parse(data, len, NULL, &err);
        if (!c)
            fail_msg("%s:%u: %s", files[i], err.line, err.msg);
        for (size_t r = 1; r < c->nrows; r++)
            for (uint32_t k = 0; k < c->rows[r].ncells; k++) {
                const struct table_cell *cell = &c->rows[r].cells[k];
                if (!cell->len)
                    continue;
                lines += check_text(m, files[i], cell->line, cell->text);
                cells++;
            }
        table_destroy(c);
        free(data);
        free(path);
    }
    print_message("demo-text: %zu cells, %zu lines checked\n", cells, lines);
    assert_true(cells > 300);   /* the whole demo, not an empty folder */
    fonts_destroy(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_text_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
