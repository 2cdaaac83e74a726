/* test-xlsx.c — the workbook reader on the fixtures of four writers
 * (tests/fixtures/xlsx/make.py), number formats, and workbooks built here
 * with libzip: cell types, positions, merges, text, refusals, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/csv.h"
#include "core/util.h"
#include "sync/numfmt.h"
#include "sync/xlsx.h"

#define FIX "tests/fixtures/xlsx/"
#define SST_RAW_TEST (1u << 20) /* past the text the reader keeps of one cell */

/* ------------------------------------------------------------ helpers */

static char *load(const char *name, size_t *len)
{
    char *p = xasprintf(FIX "%s", name);
    char *d = read_file(p, XLSX_MAX_BYTES, len);
    if (!d)
        fail_msg("cannot read %s (run from the repository root)", p);
    free(p);
    return d;
}

/* An open workbook and the bytes it reads from. */
struct book {
    char *data;
    size_t len;
    struct xlsx *x;
};

static struct book open_fixture(const char *name)
{
    struct book b = {0};
    struct xlsx_error err;
    b.data = load(name, &b.len);
    b.x = xlsx_open_mem(b.data, b.len, &err);
    if (!b.x)
        fail_msg("%s: %s (%s)", name, err.msg, err.detail);
    return b;
}

static void close_book(struct book *b)
{
    xlsx_close(b->x);
    free(b->data);
}

static size_t sheet_index(const struct xlsx *x, const char *name)
{
    for (size_t i = 0; i < xlsx_nsheets(x); i++)
        if (strcmp(xlsx_sheet(x, i)->name, name) == 0)
            return i;
    fail_msg("no sheet %s", name);
    return 0;
}

static struct table *read_named(struct xlsx *x, const char *name)
{
    struct xlsx_error err;
    struct table *t = xlsx_read_sheet(x, sheet_index(x, name), &err);
    if (!t)
        fail_msg("%s: %s (%s) at %s", name, err.msg, err.detail, err.where);
    return t;
}

/* Row r (0-based in the table) is sheet row `row` with n cells. */
static void expect_row(const struct table *t, size_t r, uint32_t row, uint32_t n)
{
    if (r >= t->nrows)
        fail_msg("row index %zu of %zu", r, t->nrows);
    assert_int_equal(t->rows[r].sheet_row, row);
    assert_int_equal(t->rows[r].line, row);
    if (t->rows[r].ncells != n)
        fail_msg("sheet row %u: %u cells, expected %u", row, t->rows[r].ncells, n);
}

/* Cell `col` (1-based) of table row r. */
static void expect_cell(const struct table *t, size_t r, uint32_t col, enum cell_type type,
                        const char *text, unsigned flags)
{
    assert_true(r < t->nrows);
    if (col > t->rows[r].ncells)
        fail_msg("row %u has %u cells, wanted column %u", t->rows[r].sheet_row,
                 t->rows[r].ncells, col);
    const struct table_cell *c = &t->rows[r].cells[col - 1];
    if (strcmp(c->text, text) != 0 || c->type != type || c->flags != flags)
        fail_msg("row %u col %u: [%d,%u] \"%s\", expected [%d,%u] \"%s\"", t->rows[r].sheet_row,
                 col, c->type, c->flags, c->text, type, flags, text);
    assert_int_equal(c->len, strlen(text));
    assert_int_equal(c->col, col);
    assert_int_equal(c->line, t->rows[r].sheet_row);
}

#define T CELL_TEXT
#define N CELL_NUMBER
#define D CELL_DATE
#define TM CELL_TIME
#define DT CELL_DATETIME
#define B CELL_BOOL
#define E CELL_ERROR
#define F CELL_FORMULA
#define M CELL_MERGED

/* n pseudo-random letters (so the data does not compress like a zip bomb). */
static void add_noise(struct sbuf *b, size_t n, const char *alphabet)
{
    static uint32_t seed = 12345;
    size_t k = strlen(alphabet);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        sbuf_addc(b, alphabet[(seed >> 16) % k]);
    }
}

/* A zip in memory, written by libzip. */
struct part {
    const char *name;
    const char *data;
    size_t len;             /* 0: strlen(data) */
};

static char *make_zip(const struct part *p, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        size_t l = p[i].len ? p[i].len : strlen(p[i].data);
        zip_source_t *s = zip_source_buffer(za, p[i].data, l, 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(za, p[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1), 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t size = zip_source_tell(src);
    assert_true(size > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    char *out = xmalloc((size_t)size);
    assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)size;
    return out;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define PNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* A one-sheet workbook ("表1") with the given parts (NULL: default or none). */
struct spec {
    const char *sheet_data;     /* inside <sheetData>; or */
    const char *sheet;          /* the whole worksheet part */
    const char *after;          /* after </sheetData> (mergeCells) */
    const char *styles;         /* the whole styles part, or NULL */
    const char *sst;            /* the whole shared strings part, or NULL */
    const char *workbook;       /* the whole workbook part, or NULL */
    int date1904;
    bool nul;                   /* each \x01 in the sheet and shared strings is a NUL byte */
};

/* The part text with each \x01 made a NUL byte (its length in *len). */
static char *with_nuls(const char *text, size_t *len)
{
    char *t = xstrdup(text);
    *len = strlen(t);
    for (size_t i = 0; i < *len; i++)
        if (t[i] == '\x01')
            t[i] = '\0';
    return t;
}

static char *make_book(const struct spec *s, size_t *len)
{
    char *sheet = s->sheet ? xstrdup(s->sheet)
                           : xasprintf("<worksheet " NS "><sheetData>%s</sheetData>%s</worksheet>",
                                       s->sheet_data ? s->sheet_data : "", s->after ? s->after : "");
    char *wb = s->workbook ? xstrdup(s->workbook)
                           : xasprintf("<workbook " NS " " RNS "><workbookPr date1904=\"%d\"/><sheets>"
                                       "<sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
                                       s->date1904);
    struct part p[8] = {
        {"_rels/.rels", "<Relationships " PNS "><Relationship Id=\"rId1\" Type=\"" RT
                        "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>", 0},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships " PNS "><Relationship Id=\"rId1\" Type=\"" RT
         "worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" RT
         "sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"" RT
         "styles\" Target=\"styles.xml\"/></Relationships>", 0},
        {"xl/workbook.xml", wb, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
    };
    size_t n = 4;
    char *sst = NULL;
    if (s->nul) {
        char *t = with_nuls(sheet, &p[3].len);
        free(sheet);
        p[3].data = sheet = t;
    }
    if (s->styles)
        p[n++] = (struct part){"xl/styles.xml", s->styles, 0};
    if (s->sst) {
        size_t l = 0;
        sst = s->nul ? with_nuls(s->sst, &l) : xstrdup(s->sst);
        p[n++] = (struct part){"xl/sharedStrings.xml", sst, l};
    }
    char *z = make_zip(p, n, len);
    free(sst);
    free(sheet);
    free(wb);
    return z;
}

/* Reads sheet 0 of a built workbook; NULL with *err on failure. */
static struct table *read_spec(const struct spec *s, struct xlsx_error *err)
{
    size_t len;
    char *z = make_book(s, &len);
    struct xlsx *x = xlsx_open_mem(z, len, err);
    struct table *t = x ? xlsx_read_sheet(x, 0, err) : NULL;
    xlsx_close(x);
    free(z);
    return t;
}

static struct table *read_ok(const struct spec *s)
{
    struct xlsx_error err;
    struct table *t = read_spec(s, &err);
    if (!t)
        fail_msg("read failed: %s (%s) at %s", err.msg, err.detail, err.where);
    return t;
}

/* A read that must fail with f, at `where`, the message containing `msg`. */
static void read_fails(const struct spec *s, enum xlsx_fail f, const char *where, const char *msg)
{
    struct xlsx_error err;
    struct table *t = read_spec(s, &err);
    if (t) {
        table_destroy(t);
        fail_msg("read succeeded, expected failure %d (%s)", f, msg);
    }
    if (err.fail != f || strcmp(err.where, where) != 0 || !strstr(err.msg, msg))
        fail_msg("failed %d at \"%s\": %s (%s); expected %d at \"%s\" with \"%s\"", err.fail,
                 err.where, err.msg, err.detail, f, where, msg);
    assert_non_null(memchr(err.msg, '\0', sizeof err.msg));
}

/* One cell from a one-cell sheet: <c r="A1" ATTRS>INNER</c>. */
static struct table *one_cell(const char *attrs, const char *inner, const char *styles,
                              const char *sst, int date1904)
{
    char *row = xasprintf("<row r=\"1\"><c r=\"A1\" %s>%s</c><c r=\"B1\" t=\"inlineStr\">"
                          "<is><t>x</t></is></c></row>", attrs, inner);
    struct spec s = {.sheet_data = row, .styles = styles, .sst = sst, .date1904 = date1904};
    struct table *t = read_ok(&s);
    free(row);
    return t;
}

/* ------------------------------------------------------------ 1: writers */

/* The 公告 sheet of openpyxl.xlsx as each writer stores it.  `calc`: a
 * writer that calculated the formula (LibreOffice). */
static void expect_notices(const struct table *t, bool calc)
{
    assert_int_equal(t->nrows, 9); /* rows 4 and 10 are empty */
    expect_row(t, 0, 1, 7);
    static const char *const hdr[] = {"标题", "开始", "结束", "星期", "时段", "时长", "级别"};
    for (uint32_t c = 0; c < 7; c++)
        expect_cell(t, 0, c + 1, T, hdr[c], 0);
    expect_row(t, 1, 2, 7);
    expect_cell(t, 1, 1, T, "国庆放假通知", 0);
    expect_cell(t, 1, 2, D, "2026-10-01", 0);               /* yyyy"年"m"月"d"日" */
    expect_cell(t, 1, 3, DT, "2026-10-07 18:30", 0);        /* yyyy/m/d h:mm */
    expect_cell(t, 1, 4, T, "1-5", 0);
    expect_cell(t, 1, 5, T, "08:00-18:00", 0);
    expect_cell(t, 1, 6, N, "15", 0);
    expect_cell(t, 1, 7, T, "重要", 0);
    expect_row(t, 2, 3, 6);                                 /* G3 empty: not a cell */
    expect_cell(t, 2, 2, D, "2026-11-22", 0);
    expect_cell(t, 2, 3, DT, "2026-11-22 09:30", 0);
    expect_cell(t, 2, 4, D, "2026-01-05", 0);               /* "1-5" as Excel stores it */
    expect_cell(t, 2, 5, TM, "09:30", 0);
    expect_cell(t, 2, 6, N, "3.5", 0);
    expect_row(t, 3, 5, 7);                                 /* A5:C5 merged, G5 */
    expect_cell(t, 3, 1, T, "合并的标题", 0);
    expect_cell(t, 3, 2, T, "", M);
    expect_cell(t, 3, 3, T, "", M);
    expect_cell(t, 3, 4, T, "", 0);
    expect_cell(t, 3, 7, N, "0.3", 0);                      /* 0.1 + 0.2 */
    expect_row(t, 4, 6, 7);
    expect_cell(t, 4, 1, N, "123456789012", 0);
    expect_cell(t, 4, 2, N, "-0.5", 0);
    expect_cell(t, 4, 3, N, "1E-12", 0);
    expect_cell(t, 4, 4, B, "TRUE", calc ? F : 0);          /* LibreOffice writes =TRUE() */
    expect_cell(t, 4, 5, B, "FALSE", calc ? F : 0);
    expect_cell(t, 4, 6, E, "#NAME?", calc ? F : 0);
    if (calc)
        expect_cell(t, 4, 7, N, "30", F);                   /* =F2*2, calculated */
    else
        expect_cell(t, 4, 7, T, "", F);                     /* never calculated */
    expect_row(t, 5, 7, 2);                                 /* A7:A8 merged */
    expect_cell(t, 5, 1, T, "两行合并", 0);
    expect_row(t, 6, 8, 2);
    expect_cell(t, 6, 1, T, "", M);
    expect_cell(t, 6, 2, T, "第八行", 0);
    expect_row(t, 7, 9, 10);
    expect_cell(t, 7, 1, T, "  前后有空格  ", 0);
    expect_cell(t, 7, 2, T, "第一段\n第二段", 0);
    expect_cell(t, 7, 9, T, "", 0);
    expect_cell(t, 7, 10, T, "第十列", 0);
    expect_row(t, 8, 11, 5);
    expect_cell(t, 8, 1, TM, "24:00", 0);                   /* 23:59:59.999 */
    expect_cell(t, 8, 2, TM, "09:30", 0);                   /* 9:29:40, to the minute */
    expect_cell(t, 8, 3, TM, "36:15", 0);                   /* [h]:mm */
    expect_cell(t, 8, 4, DT, "2026-11-22 09:30", 0);        /* [$-804]…上午/下午h"时"mm"分" */
    expect_cell(t, 8, 5, N, "45", 0);                       /* #,##0.00 "元" */
}

static void expect_other_sheets(struct xlsx *x)
{
    static const struct { const char *sheet, *a1, *a2, *b2; enum cell_type t2; } s[] = {
        {"活动", "日期", "2026-11-23", "太极拳", D},
        {"表彰", "榜单", "志愿者之星", "张三", T},
        {"滚动消息", "内容", "欢迎光临", NULL, T},
        {"放假调休", "日期", "2026-10-01", "休", D},
        {"设置", "项目", "单位名称", "幸福社区", T},
    };
    for (size_t i = 0; i < ARRAY_LEN(s); i++) {
        struct table *t = read_named(x, s[i].sheet);
        assert_int_equal(t->nrows, 2);
        expect_cell(t, 0, 1, T, s[i].a1, 0);
        expect_cell(t, 1, 1, s[i].t2, s[i].a2, 0);
        if (s[i].b2)
            expect_cell(t, 1, 2, T, s[i].b2, 0);
        table_destroy(t);
    }
}

static void expect_sheet_list(struct xlsx *x)
{
    static const char *const names[] = {"公告", "活动", "表彰", "滚动消息", "放假调休",
                                        "设置", "隐藏的表", "很隐藏"};
    assert_int_equal(xlsx_nsheets(x), 8);
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(xlsx_sheet(x, i)->name, names[i]);
        assert_int_equal(xlsx_sheet(x, i)->hidden, i >= 6); /* hidden, veryHidden */
        assert_true(xlsx_sheet(x, i)->worksheet);
    }
    assert_null(xlsx_sheet(x, 8));
}

/* xlsx_1_1: openpyxl (inline strings), 1900 dates; every sheet. */
static void xlsx_1_1(void **state)
{
    (void)state;
    struct book b = open_fixture("openpyxl.xlsx");
    expect_sheet_list(b.x);
    assert_false(xlsx_date1904(b.x));
    struct table *t = read_named(b.x, "公告");
    expect_notices(t, false);
    table_destroy(t);
    expect_other_sheets(b.x);
    /* A hidden sheet is still readable, for a caller that wants to warn. */
    t = read_named(b.x, "隐藏的表");
    expect_cell(t, 0, 1, T, "不应导入", 0);
    table_destroy(t);
    close_book(&b);
}

/* xlsx_1_2: the same workbook in the 1904 date system: same dates. */
static void xlsx_1_2(void **state)
{
    (void)state;
    struct book b = open_fixture("openpyxl-1904.xlsx");
    assert_true(xlsx_date1904(b.x));
    struct table *t = read_named(b.x, "公告");
    expect_notices(t, false);
    table_destroy(t);
    expect_other_sheets(b.x);
    close_book(&b);
}

/* xlsx_1_3: LibreOffice's save of it (shared strings, its own number
 * format codes, formulas calculated). */
static void xlsx_1_3(void **state)
{
    (void)state;
    struct book b = open_fixture("libreoffice.xlsx");
    expect_sheet_list(b.x);
    struct table *t = read_named(b.x, "公告");
    expect_notices(t, true);
    table_destroy(t);
    expect_other_sheets(b.x);
    close_book(&b);
}

/* xlsx_1_4: xlsxwriter: inline rich text (constant_memory), shared rich
 * text, cached formula values of every type, zh-CN built-in formats 31
 * and 58, merged range; 1900 and 1904. */
static void xlsx_1_4(void **state)
{
    (void)state;
    static const char *const files[] = {"xlsxwriter.xlsx", "xlsxwriter-1904.xlsx"};
    for (size_t i = 0; i < 2; i++) {
        struct book b = open_fixture(files[i]);
        assert_int_equal(xlsx_date1904(b.x), i == 1);
        assert_int_equal(xlsx_nsheets(b.x), 2);
        assert_true(xlsx_sheet(b.x, 1)->hidden);
        struct table *t = read_named(b.x, "活动");
        assert_int_equal(t->nrows, 4);
        expect_row(t, 0, 1, 5);
        expect_cell(t, 0, 5, T, "备注", 0);
        expect_row(t, 1, 2, 5);
        expect_cell(t, 1, 1, D, "2026-11-22", 0);
        expect_cell(t, 1, 2, T, "太极拳（室外）集合", 0);
        expect_cell(t, 1, 3, TM, "09:30", 0);
        expect_cell(t, 1, 4, TM, "12:00", 0);                 /* hh"时"mm"分" */
        expect_cell(t, 1, 5, T, " 带空格 ", 0);               /* xml:space="preserve" */
        expect_row(t, 2, 3, 5);
        expect_cell(t, 2, 1, D, "2026-11-23", F);
        expect_cell(t, 2, 2, T, "书法班", F);
        expect_cell(t, 2, 3, B, "TRUE", F);
        expect_cell(t, 2, 4, E, "#DIV/0!", F);
        expect_cell(t, 2, 5, D, "2026-01-05", 0);             /* m"月"d"日" (58) */
        expect_row(t, 3, 4, 5);
        expect_cell(t, 3, 1, T, "合并区域", 0);
        expect_cell(t, 3, 2, T, "", M);
        expect_cell(t, 3, 3, T, "", M);
        expect_cell(t, 3, 4, T, "", 0);
        expect_cell(t, 3, 5, T, "D列空", 0);
        table_destroy(t);
        close_book(&b);
    }
}

/* xlsx_1_5: edge.xlsx, written part by part: Strict namespaces with
 * prefixes, absolute and "../" targets, date1904="true", phonetic runs,
 * _xHHHH_ escapes, rows and cells without r, t="d", custom formats
 * overriding built-in ids, a reversed merged range, a chart sheet, a
 * UTF-16 part. */
static void xlsx_1_5(void **state)
{
    (void)state;
    struct book b = open_fixture("edge.xlsx");
    assert_true(xlsx_date1904(b.x));
    assert_int_equal(xlsx_nsheets(b.x), 3);
    assert_false(xlsx_sheet(b.x, 1)->worksheet);
    struct table *t = read_named(b.x, "Edge");
    assert_int_equal(t->nrows, 4);
    expect_row(t, 0, 1, 3);
    expect_cell(t, 0, 1, T, "漢字", 0);                       /* ruby かんじ dropped */
    expect_cell(t, 0, 2, T, "富 文本", 0);                    /* runs joined, space kept */
    expect_cell(t, 0, 3, T, "a\nb\tc_x0041_d\xf0\x9f\x98\x80" "ef", 0);
    expect_row(t, 1, 3, 6);
    expect_cell(t, 1, 1, T, "", 0);
    expect_cell(t, 1, 2, DT, "2026-11-22 09:30", 0);
    expect_cell(t, 1, 3, D, "2026-11-22", 0);                 /* date style */
    expect_cell(t, 1, 4, D, "2026-11-22", 0);
    expect_cell(t, 1, 5, TM, "09:30", 0);
    expect_cell(t, 1, 6, T, "not a date", 0);
    expect_row(t, 2, 4, 5);                                   /* a row without r after 3 */
    expect_cell(t, 2, 1, N, "0", 0);
    expect_cell(t, 2, 2, T, "", M);                           /* covered by B5:A4 */
    expect_cell(t, 2, 3, N, "1.5", 0);                        /* 14 redefined as General */
    expect_cell(t, 2, 4, DT, "1904-01-01 12:00", 0);          /* 22, the 1904 system */
    expect_cell(t, 2, 5, T, "trimmed", 0);
    expect_row(t, 3, 6, 4);
    expect_cell(t, 3, 1, T, "内联", 0);
    expect_cell(t, 3, 3, T, "A值", F);
    expect_cell(t, 3, 4, E, "#N/A", F);
    table_destroy(t);
    t = read_named(b.x, "Chart");
    assert_int_equal(t->nrows, 0);
    table_destroy(t);
    t = read_named(b.x, "UTF16");
    expect_row(t, 0, 2, 2);
    expect_cell(t, 0, 2, T, "十六位", 0);
    table_destroy(t);
    close_book(&b);
}

/* Every cell of every sheet alike. */
static void expect_same(const struct table *a, const struct table *b)
{
    assert_int_equal(a->nrows, b->nrows);
    for (size_t r = 0; r < a->nrows; r++) {
        assert_int_equal(a->rows[r].ncells, b->rows[r].ncells);
        assert_int_equal(a->rows[r].sheet_row, b->rows[r].sheet_row);
        for (uint32_t c = 0; c < a->rows[r].ncells; c++) {
            const struct table_cell *x = &a->rows[r].cells[c], *y = &b->rows[r].cells[c];
            assert_string_equal(x->text, y->text);
            assert_int_equal(x->type, y->type);
            assert_int_equal(x->flags, y->flags);
        }
    }
}

/* xlsx_1_6: reading from a file descriptor gives what reading from memory
 * gives, for every fixture and sheet; the fd stays open. */
static void xlsx_1_6(void **state)
{
    (void)state;
    static const char *const files[] = {"openpyxl.xlsx", "openpyxl-1904.xlsx", "libreoffice.xlsx",
                                        "xlsxwriter.xlsx", "xlsxwriter-1904.xlsx", "edge.xlsx"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        struct book b = open_fixture(files[i]);
        char *p = xasprintf(FIX "%s", files[i]);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        struct xlsx_error err;
        struct xlsx *x = xlsx_open_fd(fd, &err);
        assert_non_null(x);
        assert_int_equal(xlsx_nsheets(x), xlsx_nsheets(b.x));
        for (size_t s = 0; s < xlsx_nsheets(x); s++) {
            assert_string_equal(xlsx_sheet(x, s)->name, xlsx_sheet(b.x, s)->name);
            struct table *t1 = xlsx_read_sheet(x, s, &err), *t2 = xlsx_read_sheet(b.x, s, &err);
            assert_non_null(t1);
            assert_non_null(t2);
            expect_same(t1, t2);
            table_destroy(t1);
            table_destroy(t2);
        }
        xlsx_close(x);
        assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC); /* still ours */
        close(fd);
        free(p);
        close_book(&b);
    }
}

/* ------------------------------------------------------------ 2: formats */

/* xlsx_2_1: sniffing by first bytes. */
static void xlsx_2_1(void **state)
{
    (void)state;
    static const struct { const char *file; enum xlsx_format f; } fx[] = {
        {"openpyxl.xlsx", XLSX_FORMAT_XLSX}, {"old.xls", XLSX_FORMAT_OLE2},
        {"encrypted.xlsx", XLSX_FORMAT_OLE2}, {"calc.ods", XLSX_FORMAT_ODS},
        {"text.xlsx", XLSX_FORMAT_TEXT},
    };
    for (size_t i = 0; i < ARRAY_LEN(fx); i++) {
        size_t len;
        char *d = load(fx[i].file, &len);
        assert_int_equal(xlsx_sniff(d, len), fx[i].f);
        assert_int_equal(xlsx_sniff(d, len < 256 ? len : 256), fx[i].f); /* the start is enough */
        free(d);
    }
    static const struct { const char *s; size_t n; enum xlsx_format f; } b[] = {
        {"PK\x03\x04", 4, XLSX_FORMAT_XLSX},
        {"PK\x05\x06", 4, XLSX_FORMAT_XLSX},
        {"标题,内容\r\n", 0, XLSX_FORMAT_TEXT},
        {"\xef\xbb\xbf" "a,b", 0, XLSX_FORMAT_TEXT},
        {"\xb1\xea\xcc\xe2,x", 0, XLSX_FORMAT_TEXT},            /* GB18030 */
        {"\xff\xfe" "a\0,\0", 6, XLSX_FORMAT_TEXT},             /* Unicode text */
        {"\xff\xfe<\0h\0", 6, XLSX_FORMAT_MARKUP},
        {"\xef\xbb\xbf  <html>", 0, XLSX_FORMAT_MARKUP},
        {"<?xml version=\"1.0\"?><Workbook>", 0, XLSX_FORMAT_MARKUP},
        {"\x89PNG\r\n\x1a\n\0\0", 10, XLSX_FORMAT_OTHER},
        {"", 0, XLSX_FORMAT_OTHER},
    };
    for (size_t i = 0; i < ARRAY_LEN(b); i++)
        assert_int_equal(xlsx_sniff(b[i].s, b[i].n ? b[i].n : strlen(b[i].s)), b[i].f);
    assert_int_equal(xlsx_sniff(NULL, 10), XLSX_FORMAT_OTHER);
}

/* xlsx_2_2: files that are not .xlsx are refused with what to do. */
static void xlsx_2_2(void **state)
{
    (void)state;
    static const struct { const char *file; enum xlsx_fail f; const char *msg; } fx[] = {
        {"old.xls", XLSX_OLD_FORMAT, "“文件”→“另存为”"},
        {"calc.ods", XLSX_NOT_WORKBOOK, "OpenDocument"},
        {"text.xlsx", XLSX_NOT_WORKBOOK, "文本（CSV）"},
        {"encrypted.xlsx", XLSX_PASSWORD, "设置了打开密码"},
    };
    for (size_t i = 0; i < ARRAY_LEN(fx); i++) {
        size_t len;
        char *d = load(fx[i].file, &len);
        struct xlsx_error err;
        assert_null(xlsx_open_mem(d, len, &err));
        assert_int_equal(err.fail, fx[i].f);
        assert_non_null(strstr(err.msg, fx[i].msg));
        assert_string_equal(err.where, "");
        assert_int_equal(err.sheet, -1);
        free(d);
        /* The same through a file descriptor. */
        char *p = xasprintf(FIX "%s", fx[i].file);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_null(xlsx_open_fd(fd, &err));
        assert_int_equal(err.fail, fx[i].f);
        close(fd);
        free(p);
    }
    /* A zip without a workbook (a Word file, an archive of photos). */
    struct part p[] = {{"word/document.xml", "<w:document/>", 0}, {"photo.jpg", "JFIF", 0}};
    size_t len;
    char *z = make_zip(p, 2, &len);
    struct xlsx_error err;
    assert_null(xlsx_open_mem(z, len, &err));
    assert_int_equal(err.fail, XLSX_NOT_WORKBOOK);
    free(z);
    /* Truncated: every prefix of a real workbook is refused as damaged. */
    char *d = load("xlsxwriter.xlsx", &len);
    for (size_t cut = 0; cut < len; cut += 97) {
        struct xlsx *x = xlsx_open_mem(d, cut, &err);
        assert_null(x);
        assert_true(err.fail == XLSX_DAMAGED || err.fail == XLSX_NOT_WORKBOOK);
    }
    free(d);
    /* A directory is not a workbook file. */
    int fd = open(FIX, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_null(xlsx_open_fd(fd, &err));
    assert_int_equal(err.fail, XLSX_IO);
    close(fd);
}

/* ------------------------------------------------------------ 3: numbers */

/* xlsx_3_1: numbers as Excel keeps them (15 significant digits). */
static void xlsx_3_1(void **state)
{
    (void)state;
    static const struct { double v; const char *s; } n[] = {
        {15, "15"}, {3.5, "3.5"}, {0.1 + 0.2, "0.3"}, {15.000000000000002, "15"},
        {-0.5, "-0.5"}, {0, "0"}, {-0.0, "0"}, {100, "100"}, {1e-3 * 1.5, "0.0015"},
        {123456789012345, "123456789012345"}, {1e15, "1E+15"},
        {123456789012345678.0, "1.23456789012346E+17"}, {2.5e300, "2.5E+300"},
        {1e-9, "0.000000001"}, {1e-10, "1E-10"}, {-1.25e-12, "-1.25E-12"},
        {0.123456789012345678, "0.123456789012346"}, {99999999999999.99, "100000000000000"},
        {1.0 / 3, "0.333333333333333"}, {2.0 / 3, "0.666666666666667"}, {9.999999999999999e14, "1E+15"},
    };
    for (size_t i = 0; i < ARRAY_LEN(n); i++) {
        struct sbuf b = {0};
        numfmt_number(&b, n[i].v);
        if (strcmp(b.s, n[i].s) != 0)
            fail_msg("%.17g: \"%s\", expected \"%s\"", n[i].v, b.s, n[i].s);
        sbuf_free(&b);
    }
}

/* xlsx_3_2: serials as dates, times and date-times, 1900 and 1904. */
static void xlsx_3_2(void **state)
{
    (void)state;
    static const struct { double v; enum numfmt_class c; bool d1904; enum cell_type t; const char *s; } d[] = {
        {46348, NUMFMT_DATE, false, D, "2026-11-22"},
        {46348.99999, NUMFMT_DATE, false, D, "2026-11-22"},   /* a date never rounds up */
        {1, NUMFMT_DATE, false, D, "1900-01-01"},
        {59, NUMFMT_DATE, false, D, "1900-02-28"},
        {60, NUMFMT_DATE, false, D, "1900-02-29"},            /* Lotus's leap day */
        {61, NUMFMT_DATE, false, D, "1900-03-01"},
        {0, NUMFMT_DATE, false, D, "1900-01-00"},
        {2958465, NUMFMT_DATE, false, D, "9999-12-31"},
        {2958466, NUMFMT_DATE, false, N, "2958466"},          /* Excel: ##### */
        {-1, NUMFMT_DATE, false, N, "-1"},
        {44886, NUMFMT_DATE, true, D, "2026-11-22"},
        {0, NUMFMT_DATE, true, D, "1904-01-01"},
        {2957003, NUMFMT_DATE, true, D, "9999-12-31"},
        {2957004, NUMFMT_DATE, true, N, "2957004"},
        {0.395833333333333, NUMFMT_TIME, false, TM, "09:30"},
        {0.5, NUMFMT_TIME, false, TM, "12:00"},
        {0, NUMFMT_TIME, false, TM, "00:00"},
        {0.99999, NUMFMT_TIME, false, TM, "24:00"},           /* 23:59:59 */
        {1.75, NUMFMT_TIME, false, TM, "18:00"},              /* the time of day */
        {46348.395833333, NUMFMT_TIME, false, TM, "09:30"},
        {46348.395833333, NUMFMT_DATETIME, false, DT, "2026-11-22 09:30"},
        {46348.99999, NUMFMT_DATETIME, false, DT, "2026-11-23 00:00"},
        {44886.75, NUMFMT_DATETIME, true, DT, "2026-11-22 18:00"},
        {1.5, NUMFMT_ELAPSED, false, TM, "36:00"},
        {0.0625, NUMFMT_ELAPSED, false, TM, "01:30"},
        {3.5, NUMFMT_NONE, false, N, "3.5"},
    };
    for (size_t i = 0; i < ARRAY_LEN(d); i++) {
        struct sbuf b = {0};
        enum cell_type t = numfmt_serial(&b, d[i].v, d[i].c, d[i].d1904);
        if (t != d[i].t || strcmp(b.s, d[i].s) != 0)
            fail_msg("%.17g class %d: [%d] \"%s\", expected [%d] \"%s\"", d[i].v, d[i].c, t, b.s,
                     d[i].t, d[i].s);
        sbuf_free(&b);
    }
}

/* xlsx_3_3: format codes and built-in ids. */
static void xlsx_3_3(void **state)
{
    (void)state;
    static const struct { const char *code; enum numfmt_class c; } f[] = {
        {"yyyy-mm-dd", NUMFMT_DATE}, {"YYYY\\-MM\\-DD", NUMFMT_DATE}, {"m/d", NUMFMT_DATE},
        {"mmm", NUMFMT_DATE}, {"d-mmm-yy", NUMFMT_DATE}, {"yyyy\"年\"m\"月\"d\"日\"", NUMFMT_DATE},
        {"yyyy年m月d日", NUMFMT_DATE}, {"m月d日", NUMFMT_DATE}, {"[$-804]aaaa", NUMFMT_DATE},
        {"[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", NUMFMT_DATE},
        {"h:mm", NUMFMT_TIME}, {"hh:mm:ss", NUMFMT_TIME}, {"mm:ss", NUMFMT_TIME},
        {"h:mm AM/PM", NUMFMT_TIME}, {"h:mm a/p", NUMFMT_TIME}, {"h\"时\"mm\"分\"", NUMFMT_TIME},
        {"h时mm分", NUMFMT_TIME}, {"上午/下午h\"时\"mm\"分\"", NUMFMT_TIME},
        {"yyyy-mm-dd hh:mm", NUMFMT_DATETIME}, {"m/d/yy h:mm", NUMFMT_DATETIME},
        {"[h]:mm", NUMFMT_ELAPSED}, {"[mm]:ss", NUMFMT_ELAPSED}, {"[HH]:MM:SS", NUMFMT_ELAPSED},
        {"General", NUMFMT_NONE}, {"G/通用格式", NUMFMT_NONE}, {"0.00", NUMFMT_NONE},
        {"#,##0", NUMFMT_NONE}, {"0%", NUMFMT_NONE}, {"0.00E+00", NUMFMT_NONE},
        {"##0.0e-0", NUMFMT_NONE}, {"@", NUMFMT_NONE}, {"[Red]0.00", NUMFMT_NONE},
        {"\"日期\"0", NUMFMT_NONE}, {"\\d0", NUMFMT_NONE}, {"_(* #,##0_);_(* (#,##0)", NUMFMT_NONE},
        {"#,##0.00 \"元\";[Red]-#,##0.00 \"元\"", NUMFMT_NONE}, {"0;yyyy", NUMFMT_NONE},
        {"[$¥-804]#,##0.00", NUMFMT_NONE}, {"", NUMFMT_NONE}, {"\"unterminated", NUMFMT_NONE},
        {"[h", NUMFMT_NONE}, {"\\", NUMFMT_NONE}, {"*", NUMFMT_NONE},
    };
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        if (numfmt_classify(f[i].code) != f[i].c)
            fail_msg("\"%s\": %d, expected %d", f[i].code, numfmt_classify(f[i].code), f[i].c);
    static const struct { uint32_t id; enum numfmt_class c; } ids[] = {
        {0, NUMFMT_NONE}, {1, NUMFMT_NONE}, {9, NUMFMT_NONE}, {13, NUMFMT_NONE},
        {14, NUMFMT_DATE}, {17, NUMFMT_DATE}, {18, NUMFMT_TIME}, {21, NUMFMT_TIME},
        {22, NUMFMT_DATETIME}, {27, NUMFMT_DATE}, {31, NUMFMT_DATE}, {32, NUMFMT_TIME},
        {35, NUMFMT_TIME}, {36, NUMFMT_DATE}, {37, NUMFMT_NONE}, {45, NUMFMT_TIME},
        {46, NUMFMT_ELAPSED}, {47, NUMFMT_TIME}, {49, NUMFMT_NONE}, {50, NUMFMT_DATE},
        {55, NUMFMT_TIME}, {56, NUMFMT_TIME}, {57, NUMFMT_DATE}, {58, NUMFMT_DATE},
        {59, NUMFMT_NONE}, {164, NUMFMT_NONE},
    };
    for (size_t i = 0; i < ARRAY_LEN(ids); i++)
        if (numfmt_builtin(ids[i].id) != ids[i].c)
            fail_msg("id %u: %d, expected %d", ids[i].id, numfmt_builtin(ids[i].id), ids[i].c);
}

/* xlsx_3_4: ISO 8601 values (t="d"). */
static void xlsx_3_4(void **state)
{
    (void)state;
    static const struct { const char *s; enum numfmt_class c; int t; const char *out; } d[] = {
        {"2026-11-22", NUMFMT_NONE, D, "2026-11-22"},
        {"2026-11-22T00:00:00", NUMFMT_NONE, D, "2026-11-22"},
        {"2026-11-22T09:30:00Z", NUMFMT_NONE, DT, "2026-11-22 09:30"},
        {"2026-11-22T09:29:31.500+08:00", NUMFMT_NONE, DT, "2026-11-22 09:30"},
        {"2026-11-22T23:59:45", NUMFMT_NONE, DT, "2026-11-23 00:00"},
        {"2026-11-22T09:30:00", NUMFMT_DATE, D, "2026-11-22"},
        {"2026-11-22T09:30:00", NUMFMT_TIME, TM, "09:30"},
        {"2026-11-22", NUMFMT_DATETIME, DT, "2026-11-22 00:00"},
        {"09:30:00", NUMFMT_NONE, TM, "09:30"},
        {"09:30", NUMFMT_DATE, TM, "09:30"},
        {"2026-13-01", NUMFMT_NONE, -1, ""}, {"2026-11-22T25:00", NUMFMT_NONE, -1, ""},
        {"2026/11/22", NUMFMT_NONE, -1, ""}, {"x", NUMFMT_NONE, -1, ""},
        {"2026-11-22Tnope", NUMFMT_NONE, -1, ""}, {"", NUMFMT_NONE, -1, ""},
        {"0000-01-01", NUMFMT_NONE, -1, ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(d); i++) {
        struct sbuf b = {0};
        int t = numfmt_iso(&b, d[i].s, d[i].c);
        if (t != d[i].t || strcmp(b.s ? b.s : "", d[i].out) != 0)
            fail_msg("\"%s\": [%d] \"%s\", expected [%d] \"%s\"", d[i].s, t, b.s ? b.s : "",
                     d[i].t, d[i].out);
        sbuf_free(&b);
    }
}

#define STYLES(numfmts, xfs)                                                              \
    "<styleSheet " NS "><numFmts>" numfmts "</numFmts><cellXfs>" xfs "</cellXfs></styleSheet>"

/* xlsx_3_5: cell types end to end, styles applied through s="…". */
static void xlsx_3_5(void **state)
{
    (void)state;
    const char *styles = STYLES("<numFmt numFmtId=\"170\" formatCode=\"yyyy/m/d\"/>",
                                "<xf/><xf numFmtId=\"170\"/><xf numFmtId=\"20\"/><xf numFmtId=\"49\"/>");
    const char *sst = "<sst " NS "><si><t>甲</t></si><si><t>乙</t></si></sst>";
    static const struct { const char *attrs, *inner; enum cell_type t; const char *s; unsigned fl; } c[] = {
        {"", "<v>42</v>", N, "42", 0},
        {"t=\"n\" s=\"1\"", "<v>46348</v>", D, "2026-11-22", 0},
        {"s=\"2\"", "<v>0.75</v>", TM, "18:00", 0},
        {"s=\"3\"", "<v>1.5</v>", N, "1.5", 0},                    /* "@" */
        {"s=\"99\"", "<v>46348</v>", N, "46348", 0},               /* no such style */
        {"s=\"x\"", "<v>7</v>", N, "7", 0},
        {"t=\"s\"", "<v>1</v>", T, "乙", 0},
        {"t=\"s\" s=\"1\"", "<v>0</v>", T, "甲", 0},                /* text stays text */
        {"t=\"str\"", "<f>A2</f><v>公式 </v>", T, "公式 ", F},
        {"t=\"inlineStr\"", "<is><r><t>多</t></r><r><t>段</t></r></is>", T, "多段", 0},
        {"t=\"b\"", "<v>1</v>", B, "TRUE", 0},
        {"t=\"b\"", "<v>0</v>", B, "FALSE", 0},
        {"t=\"e\"", "<v>#REF!</v>", E, "#REF!", 0},
        {"t=\"d\"", "<v>2026-11-22</v>", D, "2026-11-22", 0},
        {"", "<f>1+1</f>", T, "", F},                               /* never calculated */
        {"", "<f>1+1</f><v>2</v>", N, "2", F},
        {"s=\"1\"", "", T, "", 0},                                  /* styled blank */
        {"", "<v></v>", T, "", 0},
        {"", "<v> 7 </v>", N, "7", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(c); i++) {
        struct table *t = one_cell(c[i].attrs, c[i].inner, styles, sst, 0);
        if (t->rows[0].cells[0].type != c[i].t || strcmp(t->rows[0].cells[0].text, c[i].s) != 0 ||
            t->rows[0].cells[0].flags != c[i].fl)
            fail_msg("<c %s>%s</c>: [%d,%u] \"%s\"", c[i].attrs, c[i].inner,
                     t->rows[0].cells[0].type, t->rows[0].cells[0].flags, t->rows[0].cells[0].text);
        table_destroy(t);
    }
    /* Damaged values, refused at their cell. */
    static const struct { const char *attrs, *inner; } bad[] = {
        {"t=\"s\"", "<v>2</v>"}, {"t=\"s\"", "<v>-1</v>"}, {"t=\"s\"", "<v>a</v>"},
        {"t=\"b\"", "<v>2</v>"}, {"", "<v>abc</v>"}, {"", "<v>inf</v>"}, {"", "<v>nan</v>"},
        {"", "<v>0x10</v>"}, {"", "<v>1e400</v>"}, {"", "<v>1e</v>"}, {"t=\"q\"", "<v>1</v>"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char *row = xasprintf("<row r=\"3\"><c r=\"C3\" %s>%s</c></row>", bad[i].attrs, bad[i].inner);
        struct spec s = {.sheet_data = row, .styles = styles, .sst = sst};
        read_fails(&s, XLSX_DAMAGED, "表1!C3", "已损坏");
        free(row);
    }
}

/* xlsx_3_10: 65,536 custom formats and cell styles: each style finds its
 * format (by a sorted lookup; a scan of each was seconds). */
static void xlsx_3_10(void **state)
{
    (void)state;
    struct sbuf st = {0}, d = {0};
    sbuf_adds(&st, "<styleSheet " NS "><numFmts>");
    for (unsigned i = 0; i < 65536; i++)
        sbuf_addf(&st, "<numFmt numFmtId=\"%u\" formatCode=\"%s\"/>", 65535 - i + 164,
                  i % 2 ? "yyyy-mm-dd" : "0.00");
    sbuf_adds(&st, "</numFmts><cellXfs>");
    for (unsigned i = 0; i < 65536; i++)
        sbuf_addf(&st, "<xf numFmtId=\"%u\"/>", i + 164);
    sbuf_adds(&st, "</cellXfs></styleSheet>");
    sbuf_adds(&d, "<row r=\"1\"><c s=\"0\"><v>46348</v></c><c s=\"1\"><v>46348</v></c>"
                  "<c s=\"65535\"><v>46348</v></c></row>");
    struct spec s = {.sheet_data = d.s, .styles = st.s};
    struct table *t = read_ok(&s);
    /* Formats are listed in reverse id order: id 164 + k is the (65535 - k)th,
     * a date when that is odd. */
    expect_cell(t, 0, 1, D, "2026-11-22", 0);     /* style 0: id 164 */
    expect_cell(t, 0, 2, N, "46348", 0);          /* style 1: id 165 */
    expect_cell(t, 0, 3, N, "46348", 0);          /* style 65535: id 65699 */
    table_destroy(t);
    sbuf_free(&st);
    sbuf_free(&d);
}

/* xlsx_3_6: positions: implied rows and cells, gaps, order. */
static void xlsx_3_6(void **state)
{
    (void)state;
    struct spec ok = {.sheet_data =
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        "<row r=\"5\" spans=\"1:9\"><c r=\"c5\"><v>3</v></c><c><v>4</v></c></row>"
        "<row><c r=\"B6\"><v>5</v></c></row>"
        "<row r=\"7\"/><row r=\"9\"><c r=\"A9\" s=\"0\"/></row>"
        "<row r=\"1048576\"><c r=\"A1048576\"><v>6</v></c><c r=\"XFD1048576\"/></row>",
        .after = "<dimension ref=\"A1:XFD1048576\"/>"};
    struct table *t = read_ok(&ok);
    assert_int_equal(t->nrows, 4);
    expect_row(t, 0, 1, 2);
    expect_cell(t, 0, 2, N, "2", 0);
    expect_row(t, 1, 5, 4);
    expect_cell(t, 1, 1, T, "", 0);
    expect_cell(t, 1, 3, N, "3", 0);
    expect_cell(t, 1, 4, N, "4", 0);
    expect_row(t, 2, 6, 2);
    expect_row(t, 3, 1048576, 1);
    table_destroy(t);

    static const struct { const char *data, *where; } bad[] = {
        {"<row r=\"3\"/><row r=\"2\"><c><v>1</v></c></row>", "表1!第2行"},   /* rows go back */
        {"<row r=\"3\"/><row r=\"3\"/>", "表1!第3行"},
        {"<row r=\"0\"/>", "表1"}, {"<row r=\"1048577\"/>", "表1"}, {"<row r=\"x\"/>", "表1"},
        {"<row r=\"2\"><c r=\"B2\"/><c r=\"A2\"/></row>", "表1!A2"},       /* cells go back */
        {"<row r=\"2\"><c r=\"B2\"/><c r=\"B2\"/></row>", "表1!B2"},
        {"<row r=\"2\"><c r=\"A3\"><v>1</v></c></row>", "表1!第2行"},        /* not its row */
        {"<row r=\"2\"><c r=\"A0\"/></row>", "表1!第2行"},
        {"<row r=\"2\"><c r=\"XFE2\"/></row>", "表1!第2行"},
        {"<row r=\"2\"><c r=\"AAAA2\"/></row>", "表1!第2行"},
        {"<row r=\"2\"><c r=\"A02\"/></row>", "表1!第2行"},
        {"<row r=\"2\"><c r=\"2\"/></row>", "表1!第2行"},
        {"<row r=\"2\"><c r=\"$A$2\"/></row>", "表1!第2行"},
        {"<row r=\"1048576\"/><row><c/></row>", "表1!第1048576行"},
        {"<row r=\"2\"><c r=\"XFD2\"/><c/></row>", "表1!XFD2"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct spec b = {.sheet_data = bad[i].data};
        read_fails(&b, XLSX_DAMAGED, bad[i].where, "已损坏");
    }
}

/* xlsx_3_7: merged ranges. */
static void xlsx_3_7(void **state)
{
    (void)state;
    struct spec s = {
        .sheet_data =
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c>"
            "<c r=\"B1\" t=\"inlineStr\"><is><t>被盖住</t></is></c><c r=\"E1\"><v>1</v></c></row>"
            "<row r=\"2\"><c r=\"D2\"><v>2</v></c></row>"
            "<row r=\"3\"><c r=\"B3\"><v>3</v></c></row>"
            "<row r=\"4\"><c r=\"BK4\"><v>4</v></c></row>",
        .after = "<mergeCells><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"C3:B2\"/>"
                 "<mergeCell ref=\"D2:D2\"/><mergeCell ref=\"BK4:BZ5\"/><mergeCell ref=\"CA1:CB9\"/>"
                 "<mergeCell ref=\"A1:A2\"/></mergeCells>"};
    struct table *t = read_ok(&s);
    assert_int_equal(t->nrows, 3);
    expect_row(t, 0, 1, 5);
    expect_cell(t, 0, 1, T, "标题", 0);
    expect_cell(t, 0, 2, T, "", M);               /* its text is dropped, as Excel shows */
    expect_cell(t, 0, 3, T, "", M);
    expect_cell(t, 0, 4, T, "", 0);
    expect_cell(t, 0, 5, N, "1", 0);
    expect_row(t, 1, 2, 4);                       /* A2 (A1:A2), B2:C2 (B2:C3) covered */
    expect_cell(t, 1, 1, T, "", M);
    expect_cell(t, 1, 2, T, "", 0);               /* top-left of B2:C3 */
    expect_cell(t, 1, 3, T, "", M);
    expect_cell(t, 1, 4, N, "2", 0);              /* a one-cell range covers nothing */
    /* Row 3: B3 covered (its value dropped), C3 covered: nothing left, dropped. */
    expect_row(t, 2, 4, 64);                      /* BK4:BZ5 clipped to column 64 */
    expect_cell(t, 2, 62, T, "", 0);
    expect_cell(t, 2, 63, N, "4", 0);
    expect_cell(t, 2, 64, T, "", M);
    table_destroy(t);                             /* row 5 is not in the file: absent */
}

/* xlsx_3_8: merges that are damaged or too many. */
static void xlsx_3_8(void **state)
{
    (void)state;
    struct spec s = {.sheet_data = "<row r=\"1\"><c><v>1</v></c></row>",
                     .after = "<mergeCells><mergeCell ref=\"A1:\"/></mergeCells>"};
    read_fails(&s, XLSX_DAMAGED, "表1", "已损坏");
    s.after = "<mergeCells><mergeCell/></mergeCells>";
    read_fails(&s, XLSX_DAMAGED, "表1", "已损坏");
    struct sbuf m = {0};
    sbuf_adds(&m, "<mergeCells>");
    for (unsigned i = 0; i <= XLSX_MAX_MERGES; i++)
        sbuf_addf(&m, "<mergeCell ref=\"A%u:B%u\"/>", i + 2, i + 2);
    sbuf_adds(&m, "</mergeCells>");
    s.after = m.s;
    read_fails(&s, XLSX_LIMIT, "表1", "合并的单元格太多");
    sbuf_free(&m);
}

/* xlsx_3_9: text: edges, escapes, line breaks, control characters. */
static void xlsx_3_9(void **state)
{
    (void)state;
    static const struct { const char *inner, *s; } c[] = {
        {"<is><t>  a  </t></is>", "a"},                                  /* Excel trims */
        {"<is><t xml:space=\"preserve\">  a  </t></is>", "  a  "},
        {"<is><t>a\r\nb\rc</t></is>", "a\nb\nc"},                         /* expat: LF */
        {"<is><t>a&#13;&#10;b&#13;c</t></is>", "a\nb\nc"},
        {"<is><t>a_x000D__x000A_b_x000d_c</t></is>", "a\nb\nc"},
        {"<is><t>_x0001_x_x001F_</t></is>", "\x01x\x1f"},                /* kept: the validator refuses */
        {"<is><t>a_x0000_b</t></is>", "ab"},                               /* NUL dropped */
        {"<is><t>_xD83D__xDE00_</t></is>", "\xf0\x9f\x98\x80"},
        {"<is><t>_xD83D_x</t></is>", "_xD83D_x"},                          /* lone surrogate */
        {"<is><t>_xDE00_</t></is>", "_xDE00_"},
        {"<is><t>_x00E9_ _x4e2d_ _x12_ _xGGGG_</t></is>", "é 中 _x12_ _xGGGG_"},
        {"<is><t>&lt;&amp;&gt;&quot;&apos;&#x4E2D;</t></is>", "<&>\"'中"},
        {"<is><t>a</t><rPh><t>b</t></rPh><t>c</t></is>", "ac"},
        {"<is><r><rPr><b/></rPr><t xml:space=\"preserve\"> x </t></r><r><t> y </t></r></is>", " x y"},
        {"<is><t><![CDATA[<b>]]></t></is>", "<b>"},
        {"<is><!-- note --><t>a<!-- x -->b</t><?pi x?></is>", "ab"},
    };
    for (size_t i = 0; i < ARRAY_LEN(c); i++) {
        struct table *t = one_cell("t=\"inlineStr\"", c[i].inner, NULL, NULL, 0);
        if (strcmp(t->rows[0].cells[0].text, c[i].s) != 0)
            fail_msg("%s: \"%s\", expected \"%s\"", c[i].inner, t->rows[0].cells[0].text, c[i].s);
        assert_int_equal(t->rows[0].cells[0].len, strlen(c[i].s));
        table_destroy(t);
    }
    /* The same in shared strings and in str results. */
    struct table *t = one_cell("t=\"s\"", "<v>0</v>", NULL,
                               "<sst " NS "><si><t> a_x000D_\nb </t></si></sst>", 0);
    expect_cell(t, 0, 1, T, "a\nb", 0);
    table_destroy(t);
    t = one_cell("t=\"str\"", "<v> a_x0009_b </v>", NULL, NULL, 0);
    expect_cell(t, 0, 1, T, " a\tb ", 0);
    table_destroy(t);
}

/* ------------------------------------------------------------ 4: limits */

/* xlsx_4_1: 64 columns; a cell past them is an error only with a value. */
static void xlsx_4_1(void **state)
{
    (void)state;
    struct spec s = {.sheet_data = "<row r=\"2\"><c r=\"BL2\"><v>1</v></c><c r=\"BM2\" s=\"1\"/>"
                                   "<c r=\"ZZ2\" t=\"inlineStr\"><is><t> </t></is></c><c r=\"XFD2\"><v></v></c></row>"};
    struct table *t = read_ok(&s);
    expect_row(t, 0, 2, 64);
    expect_cell(t, 0, 64, N, "1", 0);
    table_destroy(t);
    s.sheet_data = "<row r=\"2\"><c r=\"BL2\"><v>1</v></c><c r=\"BM2\"><v>0</v></c></row>";
    read_fails(&s, XLSX_LIMIT, "表1!BM2", "最多64列");
    s.sheet_data = "<row r=\"7\"><c r=\"XFD7\" t=\"inlineStr\"><is><t>远</t></is></c></row>";
    read_fails(&s, XLSX_LIMIT, "表1!XFD7", "最多64列");
}

/* xlsx_4_2: 64 KB per cell, inline, shared and str. */
static void xlsx_4_2(void **state)
{
    (void)state;
    size_t n = CSV_MAX_CELL;
    char *big = xmalloc(n + 2);
    memset(big, 'a', n + 1);
    big[n] = '\0';
    char *inner = xasprintf("<is><t>%s</t></is>", big);
    struct table *t = one_cell("t=\"inlineStr\"", inner, NULL, NULL, 0);
    assert_int_equal(t->rows[0].cells[0].len, n); /* exactly the limit */
    table_destroy(t);
    free(inner);
    big[n] = 'a';
    big[n + 1] = '\0';
    char *row = xasprintf("<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>%s</t></is></c></row>", big);
    struct spec s = {.sheet_data = row};
    read_fails(&s, XLSX_LIMIT, "表1!B4", "超过64 KB");
    free(row);
    row = xasprintf("<row r=\"4\"><c r=\"B4\" t=\"str\"><v>%s</v></c></row>", big);
    s.sheet_data = row;
    read_fails(&s, XLSX_LIMIT, "表1!B4", "超过64 KB");
    free(row);
    /* A long shared string is refused only where a cell uses it. */
    char *sst = xasprintf("<sst " NS "><si><t>短</t></si><si><t>%s</t></si></sst>", big);
    s.sst = sst;
    s.sheet_data = "<row r=\"1\"><c t=\"s\"><v>0</v></c></row>";
    t = read_ok(&s);
    expect_cell(t, 0, 1, T, "短", 0);
    table_destroy(t);
    s.sheet_data = "<row r=\"1\"><c t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"C2\" t=\"s\"><v>1</v></c></row>";
    read_fails(&s, XLSX_LIMIT, "表1!C2", "超过64 KB");
    free(sst);
    /* One long shared string in every cell: 64 MB of text per sheet. */
    sst = xasprintf("<sst " NS "><si><t>%.*s</t></si></sst>", (int)(CSV_MAX_CELL - 1), big);
    struct sbuf rows = {0};
    for (unsigned r = 1; r <= 1100; r++)
        sbuf_addf(&rows, "<row r=\"%u\"><c t=\"s\"><v>0</v></c></row>", r);
    s.sst = sst;
    s.sheet_data = rows.s;
    read_fails(&s, XLSX_LIMIT, "表1!A1025", "文字太多");
    sbuf_free(&rows);
    free(sst);
    /* Far past the limit (the reader stops keeping text). */
    struct sbuf huge = {0};
    sbuf_adds(&huge, "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>");
    add_noise(&huge, SST_RAW_TEST, "abcdefghijklmnopqrstuvwxyz");
    sbuf_adds(&huge, "</t></is></c></row>");
    s.sst = NULL;
    s.sheet_data = huge.s;
    read_fails(&s, XLSX_LIMIT, "表1!B4", "超过64 KB");
    sbuf_free(&huge);
    free(big);
}

/* xlsx_4_3: 100,000 rows after the header. */
static void xlsx_4_3(void **state)
{
    (void)state;
    struct sbuf d = {0};
    for (unsigned r = 1; r <= CSV_MAX_ROWS + 1; r++)
        sbuf_addf(&d, "<row r=\"%u\"><c><v>%u</v></c></row><row r=\"%u\"/>", 2 * r, r, 2 * r + 1);
    struct spec s = {.sheet_data = d.s};
    struct table *t = read_ok(&s);
    assert_int_equal(t->nrows, CSV_MAX_ROWS + 1);
    expect_row(t, CSV_MAX_ROWS, 2 * (CSV_MAX_ROWS + 1), 1);
    table_destroy(t);
    sbuf_addf(&d, "<row r=\"%u\"><c r=\"C%u\"><v>0</v></c></row>", 2 * CSV_MAX_ROWS + 4,
              2 * CSV_MAX_ROWS + 4);
    s.sheet_data = d.s;
    read_fails(&s, XLSX_LIMIT, "表1!第200004行", "100000行");
    sbuf_free(&d);
}

/* xlsx_4_4: hostile XML: DOCTYPE and entities (billion laughs, external),
 * nesting, endless tags, bad bytes and encodings. */
static void xlsx_4_4(void **state)
{
    (void)state;
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]><sst " NS "><si><t>&h;</t></si></sst>";
    struct spec s = {.sheet_data = "<row><c t=\"s\"><v>0</v></c></row>", .sst = laughs};
    read_fails(&s, XLSX_DAMAGED, "", "已损坏");
    s.sst = NULL;
    s.sheet = "<?xml version=\"1.0\"?><!DOCTYPE w SYSTEM \"file:///etc/passwd\"><worksheet " NS
              "><sheetData><row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>";
    read_fails(&s, XLSX_DAMAGED, "表1", "已损坏");
    s.sheet = "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>";
    read_fails(&s, XLSX_DAMAGED, "表1!A1", "已损坏");              /* undefined entity */
    s.sheet = "<worksheet " NS "><sheetData><row><c><v>1\xff</v></c></row></sheetData></worksheet>";
    read_fails(&s, XLSX_DAMAGED, "表1!A1", "已损坏");              /* not UTF-8 */
    s.sheet = "<?xml version=\"1.0\" encoding=\"GB2312\"?><worksheet " NS "/>";
    read_fails(&s, XLSX_DAMAGED, "表1", "已损坏");
    s.sheet = "";
    read_fails(&s, XLSX_DAMAGED, "表1", "已损坏");
    s.sheet = "<worksheet " NS "><sheetData><row><c><v>1</v></c></row>";
    read_fails(&s, XLSX_DAMAGED, "表1!A1", "已损坏");              /* cut short */

    struct sbuf d = {0};
    sbuf_adds(&d, "<row><c t=\"inlineStr\"><is>");
    for (int i = 0; i < 100; i++)
        sbuf_adds(&d, "<r>");
    s.sheet = NULL;
    s.sheet_data = d.s;
    read_fails(&s, XLSX_DAMAGED, "表1!A1", "已损坏");              /* nesting */
    sbuf_free(&d);
    /* A tag that never ends (5 MB of attribute), with and without '<'. */
    d = (struct sbuf){0};
    sbuf_adds(&d, "<row r=\"1\" x=\"");
    add_noise(&d, 5 << 20, "abcdefghijklmnopqrstuvwxyz");
    sbuf_adds(&d, "\"/>");
    s.sheet_data = d.s;
    read_fails(&s, XLSX_DAMAGED, "表1", "已损坏");
    sbuf_free(&d);
    d = (struct sbuf){0};
    sbuf_adds(&d, "<row r=\"1\"/><!--");
    add_noise(&d, 5 << 20, "<abcdefghijklmnopqrstuvwxyz");
    sbuf_adds(&d, "-->");
    s.sheet_data = d.s;
    read_fails(&s, XLSX_DAMAGED, "表1!第1行", "已损坏");
    sbuf_free(&d);
    /* A million made-up names: expat would keep each (its memory is capped). */
    d = (struct sbuf){0};
    for (unsigned i = 1; i <= 1000000; i++)
        sbuf_addf(&d, "<row r=\"%u\" a%u=\"\"/><x%u/>", i, i, i);
    s.sheet_data = d.s;
    struct xlsx_error err;
    struct table *t = read_spec(&s, &err);
    assert_null(t);
    assert_int_equal(err.fail, XLSX_LIMIT);
    assert_non_null(strstr(err.detail, "XML parser needs"));
    assert_int_equal(strncmp(err.where, "表1!第", strlen("表1!第")), 0);
    sbuf_free(&d);
    /* 2,000,001 shared strings (however many the file declares). */
    d = (struct sbuf){0};
    sbuf_adds(&d, "<sst " NS " count=\"1\" uniqueCount=\"1\">");
    for (unsigned i = 0; i <= XLSX_MAX_STRINGS; i++)
        sbuf_addf(&d, "<si><t>%x</t></si>", i * 2654435761u); /* distinct, as they are */
    sbuf_adds(&d, "</sst>");
    s.sheet_data = "<row><c t=\"s\"><v>0</v></c></row>";
    s.sst = d.s;
    read_fails(&s, XLSX_LIMIT, "", "不同的文字太多");
    sbuf_free(&d);
}

/* A sheet of whitespace (and a tag every KB): inflates about 1000 times. */
static char *bomb_sheet(size_t mb)
{
    struct sbuf b = {0};
    sbuf_adds(&b, "<worksheet " NS "><sheetData>");
    char kb[1024];
    memset(kb, ' ', sizeof kb);
    memcpy(kb, "<x/>", 4);
    for (size_t i = 0; i < mb << 10; i++)
        sbuf_add(&b, kb, sizeof kb);
    sbuf_adds(&b, "</sheetData></worksheet>");
    return sbuf_take(&b);
}

/* xlsx_4_6: a NUL in a cell (a raw byte, or &#0;) is said at its sheet and
 * cell with what to do, not as a damaged file: in an inline string, a
 * number, a shared string (at the cell that shows it; an unused one does
 * no harm), in a later chunk of a large sheet.  Elsewhere it is damage. */
static void xlsx_4_6(void **state)
{
    (void)state;
    static const char *const cells[] = {
        "<c r=\"C3\" t=\"inlineStr\"><is><t>停水\x01通知</t></is></c>",
        "<c r=\"C3\" t=\"inlineStr\"><is><t>\x01</t></is></c>",
        "<c r=\"C3\"><v>1\x01" "2</v></c>",
        "<c r=\"C3\" t=\"inlineStr\"><is><t>停水&#0;通知</t></is></c>",
        "<c r=\"C3\" t=\"inlineStr\"><is><t>停水&#x1;通知</t></is></c>",
    };
    for (size_t i = 0; i < ARRAY_LEN(cells); i++) {
        char *row = xasprintf("<row r=\"3\"><c r=\"A3\"><v>1</v></c>%s</row>", cells[i]);
        struct spec s = {.sheet_data = row, .nul = true};
        read_fails(&s, XLSX_DAMAGED, "表1!C3", "空字符");
        free(row);
    }
    const char *sst = "<sst " NS "><si><t>甲</t></si><si><t>乙\x01丙</t></si>"
                      "<si><r><t>丁</t></r><r><t>\x01</t></r></si><si><t>戊</t></si></sst>";
    struct spec s = {.sheet_data = "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c>"
                                   "<c r=\"B2\" t=\"s\"><v>1</v></c></row>",
                     .sst = sst, .nul = true};
    read_fails(&s, XLSX_DAMAGED, "表1!B2", "空字符");
    s.sheet_data = "<row r=\"4\"><c r=\"D4\" t=\"s\"><v>2</v></c></row>";
    read_fails(&s, XLSX_DAMAGED, "表1!D4", "空字符");
    s.sheet_data = "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c>"
                   "<c r=\"B2\" t=\"s\"><v>3</v></c></row>";
    struct table *t = read_ok(&s);      /* the strings with a NUL unused */
    expect_cell(t, 0, 2, T, "戊", 0);
    table_destroy(t);

    /* Past the first 64 KB the parser is given (CHUNK). */
    struct sbuf d = {0};
    for (uint32_t r = 1; r <= 3000; r++)
        sbuf_addf(&d, "<row r=\"%u\"><c r=\"A%u\" t=\"inlineStr\"><is><t>第%u行%s</t></is></c></row>",
                  r, r, r, r == 2999 ? "\x01" : "");
    struct spec big = {.sheet_data = d.s, .nul = true};
    read_fails(&big, XLSX_DAMAGED, "表1!A2999", "空字符");
    sbuf_free(&d);

    /* Between cells, or in a part without cells: a damaged file. */
    struct spec between = {.sheet_data = "<row r=\"1\">\x01<c r=\"A1\"><v>1</v></c></row>",
                           .nul = true};
    read_fails(&between, XLSX_DAMAGED, "表1!第1行", "已损坏");
    struct spec in_sst = {.sheet_data = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
                          .sst = "<sst " NS "><si><t>甲</t></si>\x01</sst>", .nul = true};
    read_fails(&in_sst, XLSX_DAMAGED, "", "已损坏");
}

/* xlsx_4_5: the archive: compression ratio, entries, names, duplicates,
 * encryption, escaping targets, sheets. */
static void xlsx_4_5(void **state)
{
    (void)state;
    char *sh = bomb_sheet(20);
    struct spec s = {.sheet = sh};
    read_fails(&s, XLSX_LIMIT, "表1", "压缩比例不正常");
    free(sh);

    struct xlsx_error err;
    size_t len;
    char *good = make_book(&(struct spec){.sheet_data = "<row><c><v>1</v></c></row>"}, &len);
    struct xlsx *x = xlsx_open_mem(good, len, &err);
    assert_non_null(x);
    xlsx_close(x);

    /* Entries: the parts of a good workbook plus one hostile entry. */
    static const struct { const char *name; enum xlsx_fail f; } names[] = {
        {"../evil", XLSX_DAMAGED}, {"/etc/passwd", XLSX_DAMAGED}, {"xl\\media\\a.png", XLSX_DAMAGED},
        {"xl/./x", XLSX_DAMAGED}, {"xl//x", XLSX_DAMAGED}, {"XL/WORKBOOK.XML", XLSX_DAMAGED},
        {"xl/a/../../../b", XLSX_DAMAGED}, {"xl/media/图片.png", XLSX_OK},
    };
    struct part base[4] = {
        {"_rels/.rels", "<Relationships " PNS "><Relationship Id=\"rId1\" Type=\"" RT
                        "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>", 0},
        {"xl/_rels/workbook.xml.rels", "<Relationships " PNS "><Relationship Id=\"rId1\" Type=\"" RT
                                       "worksheet\" Target=\"sheet.xml\"/></Relationships>", 0},
        {"xl/workbook.xml", "<workbook " NS " " RNS "><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>", 0},
        {"xl/sheet.xml", "<worksheet " NS "><sheetData/></worksheet>", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        struct part p[5] = {base[0], base[1], base[2], base[3], {names[i].name, "x", 0}};
        char *z = make_zip(p, 5, &len);
        x = xlsx_open_mem(z, len, &err);
        if (names[i].f == XLSX_OK) {
            assert_non_null(x);
        } else {
            if (x || err.fail != names[i].f)
                fail_msg("entry %s: opened %d, fail %d", names[i].name, x != NULL, err.fail);
            assert_non_null(strstr(err.detail, "entry"));
        }
        xlsx_close(x);
        free(z);
    }
    /* 10,001 entries. */
    struct part *many = xcalloc(XLSX_MAX_ENTRIES + 1, sizeof *many);
    char (*nm)[16] = xcalloc(XLSX_MAX_ENTRIES + 1, 16);
    for (size_t i = 0; i < 4; i++)
        many[i] = base[i];
    for (size_t i = 4; i <= XLSX_MAX_ENTRIES; i++) {
        snprintf(nm[i], 16, "x/%zu", i);
        many[i] = (struct part){nm[i], "", 1};
    }
    char *z = make_zip(many, XLSX_MAX_ENTRIES + 1, &len);
    assert_null(xlsx_open_mem(z, len, &err));
    assert_int_equal(err.fail, XLSX_LIMIT);
    free(z);
    z = make_zip(many, XLSX_MAX_ENTRIES, &len);
    x = xlsx_open_mem(z, len, &err);
    assert_non_null(x);
    xlsx_close(x);
    free(z);
    free(many);
    free(nm);

    /* Encrypted entries (the "traditional PKWARE" flag in both headers). */
    z = make_zip(base, 4, &len);
    for (size_t i = 0; i + 10 < len; i++)
        if (memcmp(z + i, "PK\x03\x04", 4) == 0)
            z[i + 6] |= 1;
        else if (memcmp(z + i, "PK\x01\x02", 4) == 0)
            z[i + 8] |= 1;
    assert_null(xlsx_open_mem(z, len, &err));
    assert_int_equal(err.fail, XLSX_PASSWORD);
    assert_non_null(strstr(err.msg, "密码"));
    free(z);

    /* Targets that leave the archive, missing parts, sheets. */
    static const struct { const char *rels, *wb; enum xlsx_fail f; const char *where; } w[] = {
        {"<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"../../etc/passwd\"/>",
         NULL, XLSX_DAMAGED, ""},
        {"<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"/../x.xml\"/>", NULL,
         XLSX_DAMAGED, ""},
        {"<Relationship Id=\"rId9\" Type=\"" RT "worksheet\" Target=\"sheet.xml\"/>", NULL,
         XLSX_DAMAGED, "S"},
        {NULL, "<workbook " NS " " RNS "><sheets><sheet name=\"S\" r:id=\"rId1\"/><sheet name=\"s\" "
               "r:id=\"rId1\"/></sheets></workbook>", XLSX_DAMAGED, ""},
        {NULL, "<workbook " NS " " RNS "><sheets><sheet name=\"\" r:id=\"rId1\"/></sheets></workbook>",
         XLSX_DAMAGED, ""},
        {NULL, "<workbook " NS " " RNS "><sheets/></workbook>", XLSX_DAMAGED, ""},
        {NULL, "<workbook " NS " " RNS "><sheets><sheet r:id=\"rId1\"/></sheets></workbook>",
         XLSX_DAMAGED, ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(w); i++) {
        char *rels = w[i].rels ? xasprintf("<Relationships " PNS ">%s</Relationships>", w[i].rels)
                               : xstrdup(base[1].data);
        struct part p[4] = {base[0], {base[1].name, rels, 0}, {base[2].name, w[i].wb ? w[i].wb : base[2].data, 0}};
        z = make_zip(p, 3, &len);
        x = xlsx_open_mem(z, len, &err);
        if (x || err.fail != w[i].f || strcmp(err.where, w[i].where) != 0)
            fail_msg("case %zu: opened %d, fail %d at \"%s\" (%s)", i, x != NULL, err.fail, err.where,
                     err.detail);
        free(z);
        free(rels);
    }
    /* The sheet's part is missing: refused when read, naming the sheet. */
    z = make_zip(base, 3, &len);
    x = xlsx_open_mem(z, len, &err);
    assert_non_null(x);
    assert_null(xlsx_read_sheet(x, 0, &err));
    assert_int_equal(err.fail, XLSX_DAMAGED);
    assert_string_equal(err.where, "S");
    assert_int_equal(err.sheet, 0);
    assert_null(xlsx_read_sheet(x, 1, &err));
    xlsx_close(x);
    free(z);
    /* 257 sheets. */
    struct sbuf wb = {0};
    sbuf_adds(&wb, "<workbook " NS " " RNS "><sheets>");
    for (unsigned i = 0; i <= XLSX_MAX_SHEETS; i++)
        sbuf_addf(&wb, "<sheet name=\"S%u\" r:id=\"rId1\"/>", i);
    sbuf_adds(&wb, "</sheets></workbook>");
    struct part p[4] = {base[0], base[1], {base[2].name, wb.s, 0}, base[3]};
    z = make_zip(p, 4, &len);
    assert_null(xlsx_open_mem(z, len, &err));
    assert_int_equal(err.fail, XLSX_LIMIT);
    free(z);
    sbuf_free(&wb);
    /* Too big a file, before anything is read. */
    assert_null(xlsx_open_mem(good, (size_t)XLSX_MAX_BYTES + 1, &err));
    assert_int_equal(err.fail, XLSX_LIMIT);
    free(good);
}

/* ------------------------------------------------------------ 5: names */

/* xlsx_5_1: positions as staff see them. */
static void xlsx_5_1(void **state)
{
    (void)state;
    static const struct { uint32_t col; const char *s; } c[] = {
        {1, "A"}, {26, "Z"}, {27, "AA"}, {28, "AB"}, {52, "AZ"}, {53, "BA"}, {64, "BL"},
        {65, "BM"}, {702, "ZZ"}, {703, "AAA"}, {16384, "XFD"}, {99999, "XFD"}, {0, ""},
    };
    char buf[4];
    for (size_t i = 0; i < ARRAY_LEN(c); i++)
        assert_string_equal(xlsx_col_name(c[i].col, buf), c[i].s);
    char s[64];
    assert_string_equal(xlsx_cell_name(s, sizeof s, "公告", 5, 3), "公告!C5");
    assert_string_equal(xlsx_cell_name(s, sizeof s, "公告", 5, 0), "公告!第5行");
    assert_string_equal(xlsx_cell_name(s, sizeof s, "公告", 0, 3), "公告");
    assert_string_equal(xlsx_cell_name(s, sizeof s, NULL, 1048576, 16384), "XFD1048576");
    assert_string_equal(xlsx_cell_name(s, 4, "公告", 5, 3), "公"); /* cut, terminated */
    assert_string_equal(xlsx_cell_name(s, 6, "公告", 5, 3), "公");   /* not inside 告 */
    assert_string_equal(xlsx_cell_name(s, 2, "公告", 5, 3), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xlsx_1_1), cmocka_unit_test(xlsx_1_2), cmocka_unit_test(xlsx_1_3),
        cmocka_unit_test(xlsx_1_4), cmocka_unit_test(xlsx_1_5), cmocka_unit_test(xlsx_1_6),
        cmocka_unit_test(xlsx_2_1), cmocka_unit_test(xlsx_2_2), cmocka_unit_test(xlsx_3_1),
        cmocka_unit_test(xlsx_3_2), cmocka_unit_test(xlsx_3_3), cmocka_unit_test(xlsx_3_4),
        cmocka_unit_test(xlsx_3_5), cmocka_unit_test(xlsx_3_6), cmocka_unit_test(xlsx_3_7),
        cmocka_unit_test(xlsx_3_8), cmocka_unit_test(xlsx_3_9), cmocka_unit_test(xlsx_3_10),
        cmocka_unit_test(xlsx_4_1),
        cmocka_unit_test(xlsx_4_2), cmocka_unit_test(xlsx_4_3), cmocka_unit_test(xlsx_4_4),
        cmocka_unit_test(xlsx_4_5), cmocka_unit_test(xlsx_4_6), cmocka_unit_test(xlsx_5_1),
    };
    return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
