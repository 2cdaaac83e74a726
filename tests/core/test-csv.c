/* test-csv.c — encodings (fixtures in tests/fixtures/csv), RFC 4180 quoting,
 * line/field positions, limits, and write→parse round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"
#include "core/util.h"

#define FIX "tests/fixtures/csv/"

/* What the last parse_s / parse_file found out. */
static struct csv_info info;

static struct table *parse_s(const char *s, struct csv_error *err)
{
    return csv_parse(s, strlen(s), &info, err);
}

static struct table *parse_file(const char *name, struct csv_error *err)
{
    char *path = xasprintf(FIX "%s", name);
    size_t len;
    char *data = read_file(path, CSV_MAX_BYTES, &len);
    if (!data)
        fail_msg("cannot read %s (run from the repository root)", path);
    struct table *c = csv_parse(data, len, &info, err);
    free(data);
    free(path);
    return c;
}

static void expect_cell(const struct table *c, size_t r, size_t k, const char *text, uint32_t line)
{
    assert_true(r < c->nrows);
    assert_true(k < c->rows[r].ncells);
    const struct table_cell *cell = &c->rows[r].cells[k];
    assert_string_equal(cell->text, text);
    assert_int_equal(cell->len, strlen(text));
    assert_int_equal(cell->line, line);
    assert_int_equal(cell->col, k + 1);
}

/* The three-row sample every encoding fixture holds. */
static void expect_sample(const struct table *c)
{
    assert_int_equal(c->nrows, 3);
    assert_int_equal(c->rows[0].ncells, 3);
    expect_cell(c, 0, 0, "标题", 1);
    expect_cell(c, 0, 2, "开始", 1);
    expect_cell(c, 1, 0, "社区通知", 2);
    expect_cell(c, 1, 1, "第一段\n第二段", 2);  /* CRLF inside quotes → "\n" */
    expect_cell(c, 1, 2, "2026-11-22", 3);       /* starts on the second physical line */
    expect_cell(c, 2, 1, "量血压 \"免费\"", 4);
    assert_int_equal(c->rows[1].line, 2);
    assert_int_equal(c->rows[2].line, 4);
    /* csv_1.0: the rows WPS/Excel shows: the two-line cell is one row. */
    assert_int_equal(c->rows[1].sheet_row, 2);
    assert_int_equal(c->rows[2].sheet_row, 3);
}

/* csv_1_1: each encoding — UTF-8, UTF-8 BOM, UTF-16LE/BE (tab-separated). */
static void csv_1_1(void **state)
{
    (void)state;
    static const struct { const char *file; enum csv_encoding e; char sep; const char *name; } f[] = {
        {"utf8.csv", CSV_UTF8, ',', "UTF-8"},
        {"utf8-bom.csv", CSV_UTF8_BOM, ',', "UTF-8 (BOM)"},
        {"utf16le.txt", CSV_UTF16LE, '\t', "UTF-16LE"},
        {"utf16be.txt", CSV_UTF16BE, '\t', "UTF-16BE"},
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        struct csv_error err;
        struct table *c = parse_file(f[i].file, &err);
        if (!c)
            fail_msg("%s: %s", f[i].file, err.msg);
        assert_int_equal(info.encoding, f[i].e);
        assert_int_equal(info.sep, f[i].sep);
        assert_string_equal(csv_encoding_name(info.encoding), f[i].name);
        expect_sample(c);
        table_destroy(c);
    }
    assert_string_equal(csv_encoding_name(CSV_GB18030), "GB18030");
}

/* csv_1_2: GB18030 (Chinese Excel's CSV); lone 0x80 is € (code page 936);
 * a four-byte GB18030 character (𠀀, U+20000) converts. */
static void csv_1_2(void **state)
{
    (void)state;
    struct csv_error err;
    struct table *c = parse_file("gb18030.csv", &err);
    if (!c)
        fail_msg("%s", err.msg);
    assert_int_equal(info.encoding, CSV_GB18030);
    assert_int_equal(c->nrows, 3);
    expect_cell(c, 0, 0, "名称", 1);
    expect_cell(c, 1, 1, "€5", 2);
    expect_cell(c, 2, 0, "𠀀字", 3);
    table_destroy(c);
}

/* csv_1_3: undecodable bytes → error naming line and field. */
static void csv_1_3(void **state)
{
    (void)state;
    static const struct { const char *file; uint32_t line, col; } f[] = {
        {"gb18030-bad.csv", 3, 2},
        {"utf8-damaged.csv", 2, 3},   /* real UTF-8 with a cut character: not GB18030 */
        {"utf16le-bad.txt", 2, 2},    /* lone surrogate */
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        struct csv_error err;
        struct table *c = parse_file(f[i].file, &err);
        if (c)
            fail_msg("%s parsed", f[i].file);
        if (err.line != f[i].line || err.col != f[i].col)
            fail_msg("%s: at %u:%u, want %u:%u", f[i].file, err.line, err.col, f[i].line, f[i].col);
        /* The position is in err.line/col; the report prefixes it, so the
         * message must not repeat it. */
        assert_true(strncmp(err.msg, "文字编码无法识别", strlen("文字编码无法识别")) == 0);
        assert_non_null(strstr(err.msg, "CSV UTF-8"));
    }
    /* Inside a quoted cell spanning lines: the bad byte's own line. */
    static const char q[] = "a,b\r\nc,\"x\r\ny\xff\"\r\n";
    struct csv_error e2;
    assert_null(csv_parse(q, sizeof(q) - 1, NULL, &e2));
    assert_int_equal(e2.line, 3);
    assert_int_equal(e2.col, 2);
    /* A truncated GB18030 character at the very end. */
    struct csv_error err;
    assert_null(csv_parse("a,b\n\xb1", 5, &info, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    /* UTF-8 BOM then invalid bytes: no fallback to GB18030. */
    assert_null(csv_parse("\xef\xbb\xbf" "a,\xc3(", 7, &info, &err));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 2);
}

/* csv_2_1: line breaks CR, LF, CRLF and mixed, with and without a final one. */
static void csv_2_1(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "a,b\nc,d\ne,f\n", "a,b\rc,d\re,f\r", "a,b\r\nc,d\r\ne,f\r\n", "a,b\r\nc,d\ne,f",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct csv_error err;
        struct table *c = parse_s(inputs[i], &err);
        assert_non_null(c);
        assert_int_equal(c->nrows, 3);
        expect_cell(c, 0, 1, "b", 1);
        expect_cell(c, 1, 0, "c", 2);
        expect_cell(c, 2, 1, "f", 3);
        table_destroy(c);
    }
}

/* csv_2_2: quoting — "" escapes, embedded CR/LF/CRLF kept as "\n", later
 * rows keep their physical line numbers; blank rows dropped but counted. */
static void csv_2_2(void **state)
{
    (void)state;
    const char *s = "h1,h2\r\n"
                    "\"x\"\"y\",\"p1\rp2\np3\r\np4\"\r\n"
                    "\r\n"
                    ",,\r\n"
                    "\"\",\"\"\r\n"
                    "last,\"\"\"\"\r\n";
    struct csv_error err;
    struct table *c = parse_s(s, &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 3);
    expect_cell(c, 1, 0, "x\"y", 2);
    expect_cell(c, 1, 1, "p1\np2\np3\np4", 2);
    expect_cell(c, 2, 0, "last", 9);
    expect_cell(c, 2, 1, "\"", 9);
    assert_int_equal(c->rows[2].line, 9);
    table_destroy(c);
}

/* csv_2_3: Excel leniency — quote inside an unquoted cell kept; text after a
 * closing quote kept; separators inside quotes; empty trailing field. */
static void csv_2_3(void **state)
{
    (void)state;
    struct csv_error err;
    struct table *c = parse_s("a,b,c\n5\"寸,\"ab\"cd,\"x,y\"\nq,,\n", &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 3);
    expect_cell(c, 1, 0, "5\"寸", 2);
    expect_cell(c, 1, 1, "abcd", 2);
    expect_cell(c, 1, 2, "x,y", 2);
    assert_int_equal(c->rows[2].ncells, 3);
    expect_cell(c, 2, 2, "", 3);
    table_destroy(c);
    /* Spaces are kept: trimming is the validator's job. */
    c = parse_s(" a , b \n", &err);
    assert_non_null(c);
    expect_cell(c, 0, 0, " a ", 1);
    expect_cell(c, 0, 1, " b ", 1);
    table_destroy(c);
}

/* csv_2_4: unterminated quote → error at the line where the quote opened. */
static void csv_2_4(void **state)
{
    (void)state;
    struct csv_error err;
    assert_null(parse_s("a,b\nc,d\ne,\"open\nmore\nlines\n", &err));
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 2);
    assert_null(strstr(err.msg, "第3行"));
    assert_non_null(strstr(err.msg, "引号"));
}

/* csv_2_5: separator — tab when the header has tabs and no commas. */
static void csv_2_5(void **state)
{
    (void)state;
    struct csv_error err;
    struct table *c = parse_s("\n标题\t内容\n甲\t乙,丙\n", &err);
    assert_non_null(c);
    assert_int_equal(info.sep, '\t');
    expect_cell(c, 0, 0, "标题", 2);
    expect_cell(c, 1, 1, "乙,丙", 3);
    table_destroy(c);
    c = parse_s("标题,内容\t备注\n", &err);
    assert_non_null(c);
    assert_int_equal(info.sep, ',');
    expect_cell(c, 0, 1, "内容\t备注", 1);
    table_destroy(c);
}

/* csv_3_1: empty file, only blank lines, header-only file, BOM only. */
static void csv_3_1(void **state)
{
    (void)state;
    struct csv_error err;
    struct table *c = csv_parse("", 0, &info, &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 0);
    table_destroy(c);
    c = parse_s("\r\n\r\n,,,\r\n", &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 0);
    table_destroy(c);
    c = parse_s("\xef\xbb\xbf", &err);
    assert_non_null(c);
    assert_int_equal(info.encoding, CSV_UTF8_BOM);
    assert_int_equal(c->nrows, 0);
    table_destroy(c);
    c = csv_parse("\xff\xfe", 2, &info, &err);
    assert_non_null(c);
    assert_int_equal(info.encoding, CSV_UTF16LE);
    assert_int_equal(c->nrows, 0);
    table_destroy(c);
    c = parse_s("\xef\xbb\xbftitle,body\r\n", &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 1);
    expect_cell(c, 0, 1, "body", 1);
    table_destroy(c);
    table_destroy(NULL);
}

/* csv_3_2: control characters survive (the validator names the column
 * that holds one), but a NUL is refused with its line and column: C
 * strings end there, and 测\0试 was once stored as 测.  In UTF-8, UTF-16
 * and GB18030 files alike, in quoted and plain cells. */
static void csv_3_2(void **state)
{
    (void)state;
    struct csv_error err;
    static const char s[] = "a,b\x01\n\"x\ty\",z\n";
    struct table *c = csv_parse(s, sizeof(s) - 1, &info, &err);
    assert_non_null(c);
    assert_int_equal(c->rows[0].cells[1].len, 2);
    assert_int_equal(c->rows[1].cells[0].len, 3);
    table_destroy(c);

    static const char nul[] = "标题,内容\n测试,\"测\0试\"\n";
    assert_null(csv_parse(nul, sizeof(nul) - 1, &info, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(err.msg, "控制字符"));
    static const char plain[] = "a,b\nx,y\n\"m\nn\",p\0q\n";
    assert_null(csv_parse(plain, sizeof(plain) - 1, &info, &err));
    assert_int_equal(err.line, 4);      /* the physical line of the NUL */
    assert_int_equal(err.col, 2);
    /* UTF-16LE: "a,b\n1,\0" with a BOM; the NUL is a code unit of its own. */
    static const char u16[] = "\xff\xfe" "a\0\t\0b\0\n\0" "1\0\t\0" "\0\0" "2\0\n\0";
    assert_null(csv_parse(u16, sizeof(u16) - 1, &info, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    /* GB18030 (测 is B2 E2): a NUL byte stays a NUL. */
    static const char gb[] = "a,b\n\xb2\xe2\0,c\n";
    assert_null(csv_parse(gb, sizeof(gb) - 1, &info, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
}

/* csv_4_1: limits — bytes, cell length, cells per row, rows. */
static void csv_4_1(void **state)
{
    (void)state;
    struct csv_error err;
    assert_null(csv_parse("", (size_t)CSV_MAX_BYTES + 1, &info, &err)); /* rejected before reading */
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "文件太大"));

    struct sbuf b = {0};
    sbuf_adds(&b, "a,b\nx,");
    for (size_t i = 0; i < CSV_MAX_CELL; i++)
        sbuf_addc(&b, 'y');
    struct table *c = csv_parse(b.s, b.len, &info, &err); /* exactly the limit: fine */
    assert_non_null(c);
    assert_int_equal(c->rows[1].cells[1].len, CSV_MAX_CELL);
    table_destroy(c);
    sbuf_addc(&b, 'y');
    assert_null(csv_parse(b.s, b.len, &info, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(err.msg, "单元格内容过长"));
    sbuf_free(&b);

    for (size_t i = 0; i < CSV_MAX_CELLS; i++)
        sbuf_adds(&b, i ? ",c" : "c");
    c = csv_parse(b.s, b.len, &info, &err);
    assert_non_null(c);
    assert_int_equal(c->rows[0].ncells, CSV_MAX_CELLS);
    table_destroy(c);
    sbuf_adds(&b, ",c");
    assert_null(csv_parse(b.s, b.len, &info, &err));
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "列数超过上限64列"));
    sbuf_free(&b);

    sbuf_adds(&b, "h\n");
    for (size_t i = 0; i < CSV_MAX_ROWS; i++)
        sbuf_adds(&b, "r\n\n"); /* blank lines do not count as rows */
    c = csv_parse(b.s, b.len, &info, &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, CSV_MAX_ROWS + 1);
    assert_int_equal(c->rows[CSV_MAX_ROWS].line, 2 * CSV_MAX_ROWS);
    table_destroy(c);
    sbuf_adds(&b, "r\n");
    assert_null(csv_parse(b.s, b.len, &info, &err));
    assert_int_equal(err.line, 2 * CSV_MAX_ROWS + 2);
    assert_non_null(strstr(err.msg, "行数超过上限100000行"));
    sbuf_free(&b);
}

/* csv_5_1: csv_write_row quoting rules and CRLF endings. */
static void csv_5_1(void **state)
{
    (void)state;
    struct sbuf b = {0};
    const char *row[] = {"plain", "a,b", "say \"hi\"", "l1\nl2", " lead", "trail ", "", NULL, "中文"};
    csv_write_row(&b, row, sizeof(row) / sizeof(row[0]));
    assert_string_equal(b.s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\" lead\",\"trail \",,,中文\r\n");
    sbuf_free(&b);
}

/* csv_5_2: round trip — what we write parses back to the same cells. */
static void csv_5_2(void **state)
{
    (void)state;
    const char *rows[3][4] = {
        {"标题", "内容", "开始", "备注"},
        {"通知", "第一段\n第二段", "2026-11-22", "\"引号\", 逗号"},
        {" 空格 ", "x\"\"y", "", "x\ry"},
    };
    struct sbuf b = {0};
    sbuf_adds(&b, "\xef\xbb\xbf");
    for (size_t r = 0; r < 3; r++)
        csv_write_row(&b, rows[r], 4);
    struct csv_error err;
    struct table *c = csv_parse(b.s, b.len, &info, &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 3);
    for (size_t r = 0; r < 3; r++) {
        assert_int_equal(c->rows[r].ncells, 4);
        for (size_t k = 0; k < 4; k++)
            assert_string_equal(c->rows[r].cells[k].text, strcmp(rows[r][k], "x\ry") ? rows[r][k] : "x\ny");
    }
    assert_int_equal(c->rows[2].line, 4); /* row 1 holds one line break */
    table_destroy(c);
    sbuf_free(&b);
}

/* csv_5_3: a cell a spreadsheet would run as a formula is written after an
 * apostrophe (quoted), and csv_unescape finds exactly that apostrophe. */
static void csv_5_3(void **state)
{
    (void)state;
    const char *row[] = {"=HYPERLINK(\"http://x\",\"点\")", "=cmd|' /C calc'!A0", "+86 138 0000 0000",
                         "@所有居民", "-5", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠1",
                         "a=b", "'quoted'", "通知", "'=already"};
    struct sbuf b = {0};
    csv_write_row(&b, row, ARRAY_LEN(row));
    assert_string_equal(b.s, "\"'=HYPERLINK(\"\"http://x\"\",\"\"点\"\")\",\"'=cmd|' /C calc'!A0\","
                             "\"'+86 138 0000 0000\",\"'@所有居民\",\"'-5\",\"'\t=1\",\"'\r=1\","
                             "\"'＝1\",\"'＋1\",\"'－1\",\"'＠1\",a=b,'quoted',通知,'=already\r\n");
    struct csv_error err;
    struct table *t = csv_parse(b.s, b.len, NULL, &err);
    assert_non_null(t);
    for (size_t i = 0; i < 11; i++) {
        const char *cell = t->rows[0].cells[i].text;
        assert_int_equal(csv_unescape(cell), 1);
        assert_string_equal(cell + 1, strcmp(row[i], "\r=1") ? row[i] : "\n=1");
    }
    for (size_t i = 11; i < ARRAY_LEN(row); i++)
        assert_int_equal(csv_unescape(t->rows[0].cells[i].text), i == 14);
    assert_false(csv_formula_like("'=x"));
    assert_false(csv_formula_like(""));
    table_destroy(t);
    sbuf_free(&b);
}

/* csv_6_1: property test on 20 000 seeded random inputs built from the
 * bytes that matter (quotes, separators, breaks, GB/UTF-8 lead bytes, 0x80,
 * 0xff): either an error with a position and a message, or a table whose
 * positions are consistent.  Run under ASan this also hunts overreads. */
static void csv_6_1(void **state)
{
    (void)state;
    static const unsigned char alphabet[] = {',', '"', '\r', '\n', '\t', 'a', ' ', 0x80, 0xff,
                                             0xe4, 0xb8, 0xad, 0xb1, 0xea, 0xfe};
    uint32_t seed = 12345;
    unsigned char buf[64];
    size_t ok = 0, failed = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof(buf);
        for (; n < len; n++) {
            seed = seed * 1103515245u + 12345u;
            buf[n] = alphabet[(seed >> 16) % sizeof(alphabet)];
        }
        /* A NUL in one input of eight (any NUL refuses the file). */
        seed = seed * 1103515245u + 12345u;
        if (len && (seed >> 16) % 8 == 0)
            buf[(seed >> 8) % len] = 0;
        /* An exact-size heap copy, so ASan sees any read past the end. */
        unsigned char *exact = xmalloc(len);
        memcpy(exact, buf, len);
        struct csv_error err;
        struct table *c = csv_parse(exact, len, &info, &err);
        free(exact);
        if (!c) {
            failed++;
            assert_true(err.line >= 1);
            assert_true(err.msg[0] != '\0');
            continue;
        }
        ok++;
        uint32_t prev = 0;
        for (size_t r = 0; r < c->nrows; r++) {
            const struct table_row *row = &c->rows[r];
            assert_true(row->ncells >= 1);
            assert_true(row->line > prev);
            assert_int_equal(row->cells[0].line, row->line);
            for (uint32_t k = 0; k < row->ncells; k++) {
                assert_int_equal(row->cells[k].col, k + 1);
                assert_true(row->cells[k].line >= row->line);
                assert_int_equal(row->cells[k].text[row->cells[k].len], '\0');
                assert_null(memchr(row->cells[k].text, '\0', row->cells[k].len));
                prev = row->cells[k].line;
            }
        }
        table_destroy(c);
    }
    /* Both outcomes must actually occur, or the test proves nothing. */
    assert_true(ok > 1000);
    assert_true(failed > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_1_1), cmocka_unit_test(csv_1_2), cmocka_unit_test(csv_1_3),
        cmocka_unit_test(csv_2_1), cmocka_unit_test(csv_2_2), cmocka_unit_test(csv_2_3),
        cmocka_unit_test(csv_2_4), cmocka_unit_test(csv_2_5), cmocka_unit_test(csv_3_1),
        cmocka_unit_test(csv_3_2), cmocka_unit_test(csv_4_1), cmocka_unit_test(csv_5_1),
        cmocka_unit_test(csv_5_2), cmocka_unit_test(csv_5_3), cmocka_unit_test(csv_6_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
