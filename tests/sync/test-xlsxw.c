/* test-xlsxw.c — the workbook init and export write (xlsxw.c), read back
 * by another program (python3-openpyxl, tests/sync/xlsx-dump.py): its
 * sheets, notes, dropdowns, formats and protection; the template's
 * examples refused by the validator; cells that look like formulas kept
 * as text; content that reads back as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/content.h"
#include "core/kinds.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/bundle.h"
#include "sync/guide.h"
#include "sync/report.h"
#include "sync/xlsx.h"
#include "sync/xlsxw.h"
#include "../testutil.h"

#include <fcntl.h>
#include <xlsxwriter.h>

#define PYTHON "/usr/bin/python3"   /* Debian's, which python3-openpyxl serves */
#define DUMP "tests/sync/xlsx-dump.py"

static char dir[] = "/tmp/nb-test-xlsxw.XXXXXX";
static const char *const media_names[] = {"海报.jpg", "王五.png", "logo.png"};
static const struct bundle_media media = {media_names, 3, NULL};

/* Writes data to DIR/name and dumps it with openpyxl into DIR/name.d/;
 * returns that folder (malloc'd).  Fails the test when python3-openpyxl
 * is missing: make deps installs it (DEB_TEST). */
static char *dump(const char *name, const void *data, size_t len)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    char *out = xasprintf("%s.d", path);
    char *cmd = xasprintf(PYTHON " " DUMP " '%s' '%s'", path, out);
    int rc = system(cmd);
    if (rc != 0)
        fail_msg("%s failed (%d): is python3-openpyxl installed? (make deps)", cmd, rc);
    free(cmd);
    free(path);
    return out;
}

static char *slurp(const char *d, const char *name, size_t *len)
{
    char *p = xasprintf("%s/%s", d, name);
    size_t n;
    char *s = read_file(p, 64u << 20, &n);
    if (!s)
        fail_msg("cannot read %s", p);
    free(p);
    if (len)
        *len = n;
    return s;
}

/* Fails unless meta.txt of dump d has the line `want` (exactly). */
static void has_line(const char *meta, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = meta; (p = strstr(p, want)); p++)
        if ((p == meta || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
            return;
    fail_msg("meta.txt lacks the line: %s", want);
}

static bool has_prefix_line(const char *meta, const char *prefix)
{
    for (const char *p = meta; (p = strstr(p, prefix)); p++)
        if (p == meta || p[-1] == '\n')
            return true;
    return false;
}

/* A sheet of dump d read as kind k by the validator, into c; the report r
 * gets what it says. */
static bool validate(const char *d, enum kind k, struct feed_content *c, struct report *r)
{
    char *name = xasprintf("%s.csv", kind_info(k)->sheet);
    size_t len;
    char *csv = slurp(d, name, &len);
    bool ok = bundle_parse(c, k, csv, len, &media, r);
    free(csv);
    free(name);
    return ok;
}

static int64_t day(int y, int m, int d)
{
    return when_days_from_civil(y, m, d);
}

/* xlsxw-1.1: the template's structure — the guide first, then a sheet per
 * kind named by the kinds table; Chinese headers, required ones bold and
 * orange, each with a note (必填 or 可以不填, the hint, the example);
 * dropdowns (级别, 类型, 星期 information-only, 设置的项目); a warning
 * date check on date columns; text format everywhere but date columns;
 * frozen, protected header with rows insertable and deletable. */
static void xlsxw_1_1(void **state)
{
    size_t len;
    char *why = NULL;
    void *wb = xlsxw_template(day(2026, 11, 22), &len, &why);
    assert_non_null(wb);
    assert_null(why);
    char *d = dump("template.xlsx", wb, len);
    free(wb);
    char *meta = slurp(d, "meta.txt", NULL);

    struct sbuf b = {0};
    sbuf_adds(&b, "sheets 使用说明");
    for (int k = 0; k < KIND_COUNT; k++)
        sbuf_addf(&b, ",%s", kind_info((enum kind)k)->sheet);
    has_line(meta, b.s);
    sbuf_free(&b);
    has_line(meta, "sheet 使用说明 protected=0 insertRows=1 deleteRows=1 freeze=None");

    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        char *line = xasprintf("sheet %s protected=1 insertRows=0 deleteRows=0 freeze=A2",
                               ki->sheet);
        has_line(meta, line);
        free(line);
        for (size_t i = 0; i < ki->ncols; i++) {
            const struct kind_col *c = &ki->cols[i];
            char col = (char)('A' + i);
            line = xasprintf("header %s %c1 bold=1 fill=%s", ki->sheet, col,
                             c->required ? "F8CBAD" : "DDEBF7");
            has_line(meta, line);
            free(line);
            char *ex = guide_example(c, day(2026, 11, 22));
            struct sbuf n = {0};
            sbuf_addf(&n, "comment %s %c1 %s", ki->sheet, col, c->required ? "【必填】" : "【可以不填】");
            if (*c->hint)
                sbuf_addf(&n, "\\n%s", c->hint);
            if (*ex) {
                sbuf_adds(&n, "\\n例如：");
                for (const char *p = ex; *p; p++)
                    if (*p == '\n')
                        sbuf_adds(&n, "\\n");
                    else
                        sbuf_addc(&n, *p);
            }
            has_line(meta, n.s);
            sbuf_free(&n);
            /* The example row: dates as date cells, the rest as text cells. */
            if (*ex) {
                line = xasprintf("cell %s %c2 %s", ki->sheet, col,
                                 c->type == VAL_DATE ? "d yyyy-mm-dd" : "s @");
                has_line(meta, line);
                free(line);
            }
            free(ex);
        }
        /* The example row's colour, while it holds the example. */
        line = xasprintf("cf %s A2:%c%zu", ki->sheet, (char)('A' + ki->ncols - 1),
                         ki->max_rows + 1);
        assert_true(has_prefix_line(meta, line));
        free(line);
        line = xasprintf("comment %s A2 %s", ki->sheet, guide_example_note((enum kind)k));
        has_line(meta, line);
        free(line);
    }
    has_line(meta, "validation 公告 I2:I1048576 list warning \"普通,重要,紧急\"");
    has_line(meta, "validation 公告 F2:F1048576 list information \"每天,工作日,周末,周一至周五,周六、周日\"");
    has_line(meta, "validation 活动 A2:A1048576 date warning 36526");
    has_line(meta, "validation 放假调休 A2:A1048576 date warning 36526");
    has_line(meta, "validation 放假调休 B2:B1048576 list warning \"休,班\"");
    has_line(meta, "validation 设置 A2:A1048576 list warning \"单位名称,标志\"");
    has_line(meta, "cell 活动 A2 d yyyy-mm-dd");
    has_line(meta, "cell 公告 F2 s @");      /* 星期: text, so 1-5 stays 1-5 */
    /* Examples as the kinds table gives them, dates resolved. */
    size_t n;
    char *csv = slurp(d, "活动.csv", &n);
    assert_non_null(strstr(csv, "2026-11-29,健康讲座：冬季常见病预防,09:30,11:00,"));
    free(csv);
    csv = slurp(d, "放假调休.csv", &n);
    assert_non_null(strstr(csv, "2027-01-01,休,元旦"));
    free(csv);
    csv = slurp(d, "表彰.csv", &n);
    assert_non_null(strstr(csv, "2026年度社区好人榜,张三,助人为乐好邻居,第一网格,2026,"));
    free(csv);
    /* The guide: the same text as 使用说明.txt, one line a row. */
    csv = slurp(d, "使用说明.csv", &n);
    assert_non_null(strstr(csv, "社区信息屏 U盘使用说明"));
    assert_non_null(strstr(csv, "二、每张表怎么填"));
    assert_non_null(strstr(csv, "\n    标题*,公告标题。"));
    free(csv);
    assert_false(has_prefix_line(meta, "formula "));
    free(meta);
    free(d);
}

/* xlsxw-1.2: the template left as it is, read back and validated: every
 * example row whose text is the kinds table's example is refused as an
 * example (holidays: 元旦 is a real day off and passes). */
static void xlsxw_1_2(void **state)
{
    size_t len;
    char *why = NULL;
    void *wb = xlsxw_template(day(2026, 11, 22), &len, &why);
    assert_non_null(wb);
    char *d = dump("untouched.xlsx", wb, len);
    free(wb);
    static const struct { enum kind k; const char *msg; } want[] = {
        {KIND_ANNOUNCEMENTS, "announcements.csv:2:1: 这一行是模板里的示例（标题“社区服务大厅办公时间”）"},
        {KIND_EVENTS, "events.csv:2:1: 这一行是模板里的示例（活动“健康讲座：冬季常见病预防”）"},
        {KIND_HONORS, "honors.csv:2:1: 这一行是模板里的示例（姓名“张三”）"},
        {KIND_TICKER, "ticker.csv:2:1: 这一行是模板里的示例（内容“欢迎来到社区服务中心，办事请先取号，谢谢配合。”）"},
        {KIND_SETTINGS, "settings.csv:2:2: 单位名称还是模板里的示例"},
    };
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        struct feed_content *c = content_create();
        struct report r = {0};
        assert_false(validate(d, want[i].k, c, &r));
        assert_int_equal(r.nproblems, 1);
        if (strncmp(r.problems[0], want[i].msg, strlen(want[i].msg)))
            fail_msg("got: %s\nwant: %s…", r.problems[0], want[i].msg);
        assert_int_equal(kind_rows(c, want[i].k), 0);
        report_free(&r);
        content_destroy(c);
    }
    struct feed_content *c = content_create();
    struct report r = {0};
    assert_true(validate(d, KIND_HOLIDAYS, c, &r));
    assert_int_equal(c->nholidays, 1);
    assert_int_equal(c->holidays[0].day, day(2027, 1, 1));
    report_free(&r);
    content_destroy(c);
    free(d);
}

/* Content with every kind, every value type and the awkward cells. */
static const char *const rich[KIND_COUNT] = {
    [KIND_ANNOUNCEMENTS] =
        "标题,内容,图片,开始,结束,星期,时段,时长,级别\n"
        "停水通知,\"明天停水。\n请提前储水。\",海报.jpg,2026/11/20,2026年12月1日,\"周一,周三,周五\","
        "\"08:00-12:00,20:00-02:00\",15,紧急\n"
        "\"=HYPERLINK(\"\"http://x\"\",\"\"点\"\")\",=cmd|' /C calc'!A0,,2026-11-01 09:30,"
        "2026-12-01 18:00,工作日,,8,重要\n"
        "+86 138 0000 0000,@所有居民,,,,周末,,,\n"
        "－1,＝SUM(A1),王五.png,,2026-12-31 23:59,1-5,,600,\n",
    [KIND_EVENTS] =
        "日期,活动,开始时间,结束时间,地点,主办,备注\n"
        "2026-12-05,健康讲座,09:30,24:00,活动室,卫生站,\"带医保卡\n提前到\"\n"
        "2026-12-06,-,,,,,\n",
    [KIND_HONORS] =
        "榜单,姓名,荣誉,单位,年度,照片,开始,结束\n"
        "好人榜,李四,好邻居,一网格,2026,海报.jpg,2026-01-01,2026-12-31\n"
        "好人榜,王五,\"志愿者, 优秀\",二网格,2026,王五.png,2026-01-01,2026-12-31\n"
        "星级志愿者,赵六,,,0012,,,\n",
    [KIND_TICKER] =
        "内容,开始,结束\n"
        "欢迎光临,,\n"
        "@所有居民 今晚停电,2026-11-22 18:00,2026-11-23\n",
    [KIND_HOLIDAYS] =
        "日期,类型,名称\n2026-10-01,休,国庆节\n2026-10-11,班,国庆调休\n",
    [KIND_SETTINGS] =
        "项目,值\n单位名称,=幸福里社区\n标志,logo.png\n",
};

static struct feed_content *rich_content(void)
{
    struct feed_content *c = content_create();
    struct report r = {0};
    for (int k = 0; k < KIND_COUNT; k++)
        if (!bundle_parse(c, (enum kind)k, rich[k], strlen(rich[k]), &media, &r))
            fail_msg("fixture kind %d: %s", k, r.nproblems ? r.problems[0] : "?");
    report_free(&r);
    return c;
}

/* Every row of every kind of a and b, as export writes them, is the same. */
static void same_rows(const struct feed_content *a, const struct feed_content *b)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        assert_int_equal(kind_rows(a, (enum kind)k), kind_rows(b, (enum kind)k));
        for (size_t row = 0; row < kind_rows(a, (enum kind)k); row++) {
            char *x[KIND_MAX_COLS], *y[KIND_MAX_COLS];
            bool ok = xlsxw_row_text(a, (enum kind)k, row, NULL, x);
            assert_int_equal(ok, xlsxw_row_text(b, (enum kind)k, row, NULL, y));
            for (size_t i = 0; ok && i < ki->ncols; i++) {
                if (strcmp(x[i], y[i]))
                    fail_msg("%s row %zu %s: '%s' became '%s'", ki->sheet, row + 1,
                             ki->cols[i].zh, x[i], y[i]);
                free(x[i]);
                free(y[i]);
            }
        }
    }
}

/* xlsxw-1.3: content written as the workbook and read back by another
 * program gives the same rows, value for value (dates as date cells,
 * times and 星期 as text), and nothing is a formula: =HYPERLINK(…),
 * =cmd|…, +86…, @所有居民 and the full-width forms are string cells. */
static void xlsxw_1_3(void **state)
{
    struct feed_content *c = rich_content();
    size_t len;
    char *why = NULL;
    void *wb = xlsxw_content(c, NULL, day(2026, 11, 22), &len, &why);
    assert_non_null(wb);
    char *d = dump("content.xlsx", wb, len);
    free(wb);
    char *meta = slurp(d, "meta.txt", NULL);
    assert_false(has_prefix_line(meta, "formula "));
    has_line(meta, "cell 公告 A3 s @");     /* =HYPERLINK(…) */
    has_line(meta, "cell 公告 B3 s @");     /* =cmd|… */
    has_line(meta, "cell 公告 A4 s @");     /* +86 … */
    has_line(meta, "cell 公告 B4 s @");     /* @所有居民 */
    has_line(meta, "cell 设置 B2 s @");     /* =幸福里社区 */
    has_line(meta, "cell 活动 A2 d yyyy-mm-dd");
    has_line(meta, "cell 放假调休 A3 d yyyy-mm-dd");
    /* No example rows and no example colour in an export. */
    assert_false(has_prefix_line(meta, "cf "));
    assert_false(has_prefix_line(meta, "comment 公告 A2 "));
    char *csv = slurp(d, "公告.csv", NULL);
    assert_non_null(strstr(csv, "\"=HYPERLINK(\"\"http://x\"\",\"\"点\"\")\",=cmd|' /C calc'!A0,"));
    free(csv);

    struct feed_content *back = content_create();
    struct report r = {0};
    for (int k = 0; k < KIND_COUNT; k++)
        if (!validate(d, (enum kind)k, back, &r))
            fail_msg("%s did not read back: %s", kind_info((enum kind)k)->sheet,
                     r.nproblems ? r.problems[0] : "?");
    assert_int_equal(r.nwarnings, 0);
    same_rows(c, back);
    assert_string_equal(back->org_name, "=幸福里社区");
    report_free(&r);
    content_destroy(back);
    content_destroy(c);
    free(meta);
    free(d);
}

/* Maps every media name to "F-" + name (the test's xlsxw_media). */
static const char *prefixed(void *ctx, const char *name)
{
    struct sbuf *b = ctx;
    sbuf_free(b);
    sbuf_addf(b, "F-%s", name);
    return b->s;
}

/* xlsxw-1.4: media cells (图片, 照片, 标志) name the files as the media
 * callback says — export's names staff gave — and settings other than
 * 单位名称 and 标志 are left out (the importer would refuse them). */
static void xlsxw_1_4(void **state)
{
    struct feed_content *c = rich_content();
    c->settings = xrealloc(c->settings, (c->nsettings + 1) * sizeof *c->settings);
    c->settings[c->nsettings++] = (struct nb_setting){xstrdup("theme"), xstrdup("dark")};
    struct sbuf b = {0};
    struct xlsxw_media m = {prefixed, &b};
    size_t len;
    char *why = NULL;
    void *wb = xlsxw_content(c, &m, day(2026, 11, 22), &len, &why);
    assert_non_null(wb);
    char *d = dump("media.xlsx", wb, len);
    free(wb);
    char *csv = slurp(d, "公告.csv", NULL);
    assert_non_null(strstr(csv, ",F-海报.jpg,"));
    assert_non_null(strstr(csv, ",F-王五.png,"));
    free(csv);
    csv = slurp(d, "表彰.csv", NULL);
    assert_non_null(strstr(csv, ",F-王五.png,"));
    free(csv);
    csv = slurp(d, "设置.csv", NULL);
    assert_non_null(strstr(csv, "标志,F-logo.png"));
    assert_null(strstr(csv, "theme"));
    free(csv);
    sbuf_free(&b);
    content_destroy(c);
    free(d);
}

/* xlsxw-1.5: the guide has one source: 使用说明.txt is guide_text(), and
 * it names every kind's sheet, CSV file and column (from the kinds table). */
static void xlsxw_1_5(void **state)
{
    char *g = guide_text();
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        char *s = xasprintf("%s（工作表“%s”，或文件 %s）", ki->sheet, ki->sheet,
                            bundle_file_name((enum kind)k));
        assert_non_null(strstr(g, s));
        free(s);
        for (size_t i = 0; i < ki->ncols; i++) {
            s = xasprintf("\n    %s%s ", ki->cols[i].zh, ki->cols[i].required ? "*" : "");
            if (!strstr(g, s))
                fail_msg("the guide lacks column %s of %s", ki->cols[i].zh, ki->sheet);
            free(s);
        }
    }
    assert_non_null(strstr(g, GUIDE_WORKBOOK));
    free(g);
    /* Date tokens. */
    struct kind_col col = {.example = "@+7"};
    char *e = guide_example(&col, day(2026, 12, 28));
    assert_string_equal(e, "2027-01-04");
    free(e);
    col.example = "@newyear";
    e = guide_example(&col, day(2026, 12, 31));
    assert_string_equal(e, "2027-01-01");
    free(e);
    col.example = "@roll";
    e = guide_example(&col, day(2026, 1, 1));
    assert_string_equal(e, "2026年度社区好人榜");
    free(e);
}

/* ---------------------------------------------------------------- the reader */

/* Validates every kind's sheet of workbook data (read by the project's
 * reader, xlsx.c) into c, as the importer would for 内容.xlsx. */
static bool read_book(const void *data, size_t len, struct feed_content *c, struct report *r)
{
    struct xlsx_error e = {0};
    struct xlsx *x = xlsx_open_mem(data, len, &e);
    if (!x)
        fail_msg("the reader refused our workbook: %s (%s)", e.msg, e.detail);
    bool ok = true;
    for (int k = 0; k < KIND_COUNT; k++) {
        size_t i = 0;
        while (i < xlsx_nsheets(x) && strcmp(xlsx_sheet(x, i)->name, kind_info((enum kind)k)->sheet))
            i++;
        assert_true(i < xlsx_nsheets(x));
        struct table *t = xlsx_read_sheet(x, i, &e);
        if (!t)
            fail_msg("sheet %s: %s (%s)", kind_info((enum kind)k)->sheet, e.msg, e.detail);
        /* No cell of ours is a formula, whatever it says. */
        for (size_t row = 0; row < t->nrows; row++)
            for (uint32_t col = 0; col < t->rows[row].ncells; col++)
                assert_false(t->rows[row].cells[col].flags & CELL_FORMULA);
        struct sheet_src src = {GUIDE_WORKBOOK, kind_info((enum kind)k)->sheet};
        ok = bundle_validate(c, (enum kind)k, t, &src, &media, r) && ok;
        table_destroy(t);
    }
    xlsx_close(x);
    return ok;
}

/* xlsxw-2.1: the untouched template read by the project's reader: each
 * example refused, named by sheet and cell as staff find it. */
static void xlsxw_2_1(void **state)
{
    size_t len;
    char *why = NULL;
    void *wb = xlsxw_template(day(2026, 11, 22), &len, &why);
    assert_non_null(wb);
    struct feed_content *c = content_create();
    struct report r = {0};
    assert_false(read_book(wb, len, c, &r));
    static const char *const want[] = {
        "内容.xlsx 公告!A2: 这一行是模板里的示例（标题“社区服务大厅办公时间”）",
        "内容.xlsx 活动!A2: 这一行是模板里的示例（活动“健康讲座：冬季常见病预防”）",
        "内容.xlsx 表彰!A2: 这一行是模板里的示例（姓名“张三”）",
        "内容.xlsx 滚动消息!A2: 这一行是模板里的示例",
        "内容.xlsx 设置!B2: 单位名称还是模板里的示例",
    };
    assert_int_equal(r.nproblems, ARRAY_LEN(want));
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        if (strncmp(r.problems[i], want[i], strlen(want[i])))
            fail_msg("got: %s\nwant: %s…", r.problems[i], want[i]);
    assert_int_equal(c->nann + c->nevents + c->nrolls + c->nticker, 0);
    assert_int_equal(c->nholidays, 1);      /* 元旦 is real */
    report_free(&r);
    content_destroy(c);
    free(wb);
}

/* xlsxw-2.2: content through our writer and our reader gives the same rows,
 * value for value, and nothing reads as a formula. */
static void xlsxw_2_2(void **state)
{
    struct feed_content *c = rich_content();
    size_t len;
    char *why = NULL;
    void *wb = xlsxw_content(c, NULL, day(2026, 11, 22), &len, &why);
    assert_non_null(wb);
    struct feed_content *back = content_create();
    struct report r = {0};
    if (!read_book(wb, len, back, &r))
        fail_msg("did not read back: %s", r.nproblems ? r.problems[0] : "?");
    assert_int_equal(r.nwarnings, 0);
    same_rows(c, back);
    /* The same content makes the same bytes (the date is the content's). */
    size_t len2;
    void *wb2 = xlsxw_content(c, NULL, day(2026, 11, 22), &len2, &why);
    assert_int_equal(len, len2);
    assert_memory_equal(wb, wb2, len);
    free(wb2);
    report_free(&r);
    content_destroy(back);
    content_destroy(c);
    free(wb);
}

/* A staged folder for bundle_load. */
static int staged_dir(const char *name)
{
    char *p = xasprintf("%s/%s", dir, name);
    assert_true(mkdir_p(p, 0755));
    int fd = open(p, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    free(p);
    return fd;
}

static void put_at(int dfd, const char *name, const void *data, size_t len)
{
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

/* A workbook of our own making with libxlsxwriter: sheets "name" (or
 * "-name" hidden) each with CSV-ish rows ("a,b\nc,d"), as text cells. */
static void put_book(int dfd, const char *file, const char *const *sheets, size_t n)
{
    char *path = xasprintf("%s/tmp-book.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    for (size_t i = 0; i < n; i += 2) {
        const char *name = sheets[i];
        bool hidden = name[0] == '-';
        lxw_worksheet *ws = workbook_add_worksheet(wb, name + hidden);
        assert_non_null(ws);
        if (hidden)
            worksheet_hide(ws);
        lxw_row_t r = 0;
        for (const char *p = sheets[i + 1]; *p; r++) {
            const char *nl = strchr(p, '\n');
            char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
            lxw_col_t col = 0;
            for (char *q = line, *comma; q; q = comma ? comma + 1 : NULL, col++) {
                comma = strchr(q, ',');
                if (comma)
                    *comma = '\0';
                if (*q)
                    worksheet_write_string(ws, r, col, q, NULL);
            }
            free(line);
            p = nl ? nl + 1 : p + strlen(p);
        }
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    char *data = read_file(path, 1 << 24, &len);
    assert_non_null(data);
    put_at(dfd, file, data, len);
    free(data);
    unlink(path);
    free(path);
}

static bool said(const char *const *lines, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(lines[i], text))
            return true;
    return false;
}

/* xlsxw-2.3: bundle_load reads 内容.xlsx sheet by sheet (Chinese or English
 * tab names, 使用说明 and hidden sheets skipped, an unknown tab warned
 * about) and a kind's own workbook (announcements.xlsx); a kind from two
 * places is a problem naming both; a workbook with no known tab too. */
static void xlsxw_2_3(void **state)
{
    int d = staged_dir("load1");
    static const char *const all[] = {
        "使用说明", "随便写的说明",
        "公告", "标题,级别\n书法班招生,重要\n",
        "Events", "date,title\n2026-12-05,义诊\n",
        "-滚动消息", "内容\n隐藏的表不读\n",
        "草稿", "随便\n",
    };
    put_book(d, "内容.xlsx", all, ARRAY_LEN(all));
    struct feed_content *c = content_create();
    struct report r = {0};
    unsigned parsed = 0;
    assert_true(bundle_load(d, c, &media, &r, &parsed));
    assert_int_equal(parsed, (1u << KIND_ANNOUNCEMENTS) | (1u << KIND_EVENTS));
    assert_int_equal(c->nann, 1);
    assert_string_equal(c->ann[0].title, "书法班招生");
    assert_int_equal(c->ann[0].priority, PRIO_HIGH);
    assert_int_equal(c->nevents, 1);
    assert_int_equal(c->nticker, 0);
    assert_int_equal(r.nproblems, 0);
    assert_true(said((const char *const *)r.warnings, r.nwarnings, "内容.xlsx: 不认识工作表“草稿”"));
    assert_false(said((const char *const *)r.warnings, r.nwarnings, "使用说明"));
    report_free(&r);

    /* A kind's own workbook beside it, for a kind 内容.xlsx lacks: read. */
    static const char *const tick[] = {"Sheet1", "内容\n欢迎光临\n"};
    put_book(d, "ticker.xlsx", tick, 2);
    r = (struct report){0};
    assert_true(bundle_load(d, c, &media, &r, &parsed));
    assert_int_equal(c->nticker, 1);
    assert_string_equal(c->ticker[0].text, "欢迎光临");
    report_free(&r);

    /* The same kind in a CSV and in 内容.xlsx: refused, both named. */
    static const char csv[] = "标题\n旧公告\n";
    put_at(d, "announcements.csv", csv, strlen(csv));
    r = (struct report){0};
    assert_false(bundle_load(d, c, &media, &r, &parsed));
    assert_int_equal(r.nproblems, 1);
    assert_string_equal(r.problems[0], "公告: announcements.csv 和 内容.xlsx 里的工作表“公告” 都是公告，"
                                       "不知道该用哪一个。请只保留其中一个（不用的删掉或改名）");
    report_free(&r);
    close(d);

    /* A workbook whose tabs name no kind: nothing would change, so it is
     * a problem, not a silent success. */
    d = staged_dir("load2");
    static const char *const none[] = {"Sheet1", "标题\n通知\n"};
    put_book(d, "内容.xlsx", none, 2);
    r = (struct report){0};
    assert_false(bundle_load(d, c, &media, &r, &parsed));
    assert_true(said((const char *const *)r.problems, r.nproblems, "内容.xlsx: 里面没有要导入的工作表"));
    report_free(&r);
    /* Not a workbook at all (a CSV saved under the name): the reader says so. */
    put_at(d, "内容.xlsx", csv, strlen(csv));
    r = (struct report){0};
    assert_false(bundle_load(d, c, &media, &r, &parsed));
    assert_int_equal(r.nproblems, 1);
    assert_non_null(strstr(r.problems[0], "内容.xlsx: "));
    report_free(&r);
    close(d);
    content_destroy(c);
}

static int teardown(void **state)
{
    return rm_tree(dir);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xlsxw_1_1), cmocka_unit_test(xlsxw_1_2), cmocka_unit_test(xlsxw_1_3),
        cmocka_unit_test(xlsxw_1_4), cmocka_unit_test(xlsxw_1_5),
        cmocka_unit_test(xlsxw_2_1), cmocka_unit_test(xlsxw_2_2), cmocka_unit_test(xlsxw_2_3),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
