/* test-bundle.c — validation of bundle CSV files: header mapping, every
 * cell's check and the exact `file:line:column: message` staff read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/content.h"
#include "core/glyphs.h"
#include "core/table.h"
#include "core/util.h"
#include "sync/bundle.h"
#include "sync/report.h"

static const char *const media_names[] = {"poster.png", "Photo.JPG", "logo.png"};
static const struct bundle_media media = {media_names, 3, NULL};

struct fx {
    struct feed_content c;
    struct report r;
};

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    f->c.org_name = xstrdup("");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    for (int k = 0; k < KIND_COUNT; k++)
        content_clear_kind(&f->c, (enum kind)k);
    free(f->c.org_name);
    free(f->c.logo);
    report_free(&f->r);
    free(f);
    return 0;
}

static bool parse(struct fx *f, enum kind k, const char *csv)
{
    return bundle_parse(&f->c, k, csv, strlen(csv), &media, &f->r);
}

static void expect_one_problem(struct fx *f, const char *want)
{
    if (f->r.nproblems != 1) {
        for (size_t i = 0; i < f->r.nproblems; i++)
            print_message("problem: %s\n", f->r.problems[i]);
    }
    assert_int_equal(f->r.nproblems, 1);
    assert_string_equal(f->r.problems[0], want);
}

/* bundle-1.1: headers in English (any case) or Chinese, any order, BOM
 * and spaces trimmed; values land in the right fields. */
static void bundle_1_1(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_ANNOUNCEMENTS,
                      "\xEF\xBB\xBF 级别 ,TITLE, Body\xE3\x80\x80,时长\n"
                      "紧急,停水通知,明天停水,20\n"));
    assert_int_equal(f->r.nproblems, 0);
    assert_int_equal(f->r.nwarnings, 0);
    assert_int_equal(f->c.nann, 1);
    assert_string_equal(f->c.ann[0].title, "停水通知");
    assert_string_equal(f->c.ann[0].body, "明天停水");
    assert_int_equal(f->c.ann[0].priority, PRIO_URGENT);
    assert_int_equal(f->c.ann[0].duration, 20);
    assert_int_equal(f->c.ann[0].id, 1);
    assert_int_equal(f->c.ann[0].days, DAYS_ALL);
    assert_true(f->c.ann[0].start == WHEN_ALWAYS && f->c.ann[0].end == WHEN_NEVER);
}

/* bundle-1.2: a missing required column is reported on line 1, with both names. */
static void bundle_1_2(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_ANNOUNCEMENTS, "内容,图片\n正文,\n"));
    expect_one_problem(f, "announcements.csv:1: 缺少必填列“标题”（title）");
}

/* bundle-1.3: an unknown column with data is a problem (its content would
 * not show), naming the columns that exist and the # way to keep one's
 * own notes; an unknown column without data, or a "#" one, is not. */
static void bundle_1_3(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_TICKER, "text,颜色\n你好,红\n"));
    expect_one_problem(f, "ticker.csv:2:2: 这一列的列名“颜色”不认识，它的内容（如“红”）不会显示。"
                          "请把列名改成 内容、开始、结束 中的一个；如果这一列只是自己的记录、"
                          "不需要显示，请把列名改成以 # 开头（例如 #颜色）");
    report_free(&f->r);
    assert_true(parse(f, KIND_TICKER, "text,颜色,#联系人\n你好,,王阿姨\n"));
    assert_int_equal(f->r.nproblems, 0);
    assert_int_equal(f->r.nwarnings, 1);
    assert_string_equal(f->r.warnings[0],
                        "ticker.csv:1:2: 不认识的列名“颜色”，这一列没有内容，不影响更新");
    assert_int_equal(f->c.nticker, 1);
}

/* bundle-1.5: notes in a header never drop a column: 开始（日期）,
 * 时长(秒), 时段 (可选), 标题*; a banner row above the header and a
 * missing header are each one clear problem, not "missing column". */
static void bundle_1_5(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_ANNOUNCEMENTS, "标题*,开始（日期）,时长(秒),时段 (可选)\n"
                                              "停水,2026-12-01,20,08:00-12:00\n"));
    assert_int_equal(f->r.nproblems + f->r.nwarnings, 0);
    assert_int_equal(f->c.ann[0].start, when_days_from_civil(2026, 12, 1) * WHEN_MIN_PER_DAY);
    assert_int_equal(f->c.ann[0].duration, 20);
    assert_int_equal(f->c.ann[0].nhours, 1);
    assert_false(parse(f, KIND_EVENTS, "2026年12月活动安排,,\n日期,活动,地点\n2026-12-01,书法,活动室\n"));
    expect_one_problem(f, "events.csv:1: 第一行应该是列名，但列名在第2行。请删掉列名上面的那一行，"
                          "让列名（日期、活动、开始时间、结束时间、地点、主办、备注、二维码）成为第一行");
    report_free(&f->r);
    assert_false(parse(f, KIND_TICKER, "欢迎光临,2026-12-01\n"));
    expect_one_problem(f, "ticker.csv:1: 第一行应该是列名（内容、开始、结束），这里没有找到认识的列名。"
                          "请在第一行写上列名，例如 内容,开始");
}

/* bundle-1.6: data under a column with no name is a problem, not dropped. */
static void bundle_1_6(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_TICKER, "内容,,结束\n你好,多出来的,\n"));
    expect_one_problem(f, "ticker.csv:2:2: 这一格“多出来的”没有列名，请删掉它，或在第一行补上列名");
}

/* bundle-1.7: the untouched example row of init's template is refused;
 * so is the template's organisation name. */
static void bundle_1_7(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_HONORS, "榜单,姓名,荣誉,单位,年度\n2026年度社区好人榜,张三,助人为乐好邻居,"
                                       "第一网格,2026\n"));
    expect_one_problem(f, "honors.csv:2:1: 这一行是模板里的示例（姓名“张三”），不是真实内容。"
                          "请改成自己的内容，或删掉这一行");
    report_free(&f->r);
    assert_false(parse(f, KIND_SETTINGS, "项目,值\n单位名称,（请改成本单位名称）社区服务中心\n"));
    expect_one_problem(f, "settings.csv:2:2: 单位名称还是模板里的示例“（请改成本单位名称）社区服务中心”，"
                          "请改成本单位的名称");
}

/* bundle-1.8: read as meant — 王五.jpg for a photo saved as 王五.jpg.jpg,
 * 通知 for the only 通知.png; and what a spreadsheet did to a cell: 星期
 * 1月5日 (1-5 taken as a date), a date without its year, #NAME?. */
static void bundle_1_8(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"王五.jpg.jpg", "通知.png", "a.jpg", "a.png"};
    const struct bundle_media m = {names, 4, NULL};
    const char *csv = "榜单,姓名,照片\n好人榜,王五,王五.jpg\n好人榜,赵六,a\n";
    assert_false(bundle_parse(&f->c, KIND_HONORS, csv, strlen(csv), &m, &f->r));
    expect_one_problem(f, "honors.csv:3:3: 照片“a”在 media 文件夹中找不到，请把这个文件放进 "
                          "noticeboard/media 文件夹，或检查文件名是否写对（包括 .jpg/.png 后缀）");
    report_free(&f->r);
    csv = "标题,图片\n停水,王五.jpg\n通知,通知\n";
    assert_true(bundle_parse(&f->c, KIND_ANNOUNCEMENTS, csv, strlen(csv), &m, &f->r));
    assert_string_equal(f->c.ann[0].image, "王五.jpg.jpg");
    assert_string_equal(f->c.ann[1].image, "通知.png");
    assert_false(parse(f, KIND_ANNOUNCEMENTS, "标题,星期,开始\n停水,1月5日,12月5日\n"));
    assert_int_equal(f->r.nproblems, 2);
    assert_string_equal(f->r.problems[0], "announcements.csv:2:2: 星期“1月5日”被表格软件当成了日期"
                        "（原来可能写的是 1-5 这样的数字）。请改写成 周一至周五、工作日 或 周一,周三,周五 "
                        "这样的文字");
    assert_string_equal(f->r.problems[1], "announcements.csv:2:3: 开始“12月5日”缺少年份，请写成 "
                        "2026-12-05 这样带年份的日期（在表格里可以把这一列设为“文本”格式再输入）");
    report_free(&f->r);
    /* A workbook says what a cell is: a formula error, a date in 星期. */
    struct table_builder b = {0};
    const char *hdr[] = {"标题", "星期"}, *row[] = {"#NAME?", "2026-01-05"};
    const enum cell_type types[] = {CELL_ERROR, CELL_DATE};
    for (int i = 0; i < 2; i++) {
        table_begin_cell(&b);
        sbuf_adds(&b.text, hdr[i]);
        table_end_cell(&b, 1, (uint32_t)i + 1, CELL_TEXT, 0);
    }
    table_end_row(&b, 1, 1);
    for (int i = 0; i < 2; i++) {
        table_begin_cell(&b);
        sbuf_adds(&b.text, row[i]);
        table_end_cell(&b, 5, (uint32_t)i + 1, types[i], 0);
    }
    table_end_row(&b, 5, 5);
    struct table *t = table_finish(&b);
    struct sheet_src src = {"内容.xlsx", "公告"};
    assert_false(bundle_validate(&f->c, KIND_ANNOUNCEMENTS, t, &src, &media, &f->r));
    table_destroy(t);
    assert_int_equal(f->r.nproblems, 2);
    assert_string_equal(f->r.problems[0], "内容.xlsx 公告!A5: 标题是公式出错的结果“#NAME?”，不是内容。"
                        "请在表格里改好这一格的公式，或直接填写内容");
    assert_non_null(strstr(f->r.problems[1], "内容.xlsx 公告!B5: 星期“2026-01-05”被表格软件当成了日期"));
}

/* bundle-1.4: the same column twice (English and Chinese) is a problem. */
static void bundle_1_4(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_TICKER, "text,内容\na,b\n"));
    expect_one_problem(f, "ticker.csv:1:2: 列名“内容”重复出现（第1列已经有了），请删除多余的一列");
}

/* bundle-2.1: a bad date names file, physical line and field, quotes the
 * value and shows a correct example. */
static void bundle_2_1(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_EVENTS, "日期,活动\n2026-12-01,书法\n2026-12-02,讲座\n"
                                         "2026-12-03,太极\n2026/13/01,合唱\n"));
    expect_one_problem(f, "events.csv:5:1: 日期“2026/13/01”无效，应为 2026-12-01 这样的格式");
    assert_int_equal(f->c.nevents, 0); /* the kind is unchanged on failure */
}

/* bundle-2.1.1: after a cell with line breaks, the message also gives the
 * row number WPS/Excel shows, which is what staff look for; a blank row
 * counts there too. */
static void bundle_2_1_1(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_EVENTS, "日期,活动,备注\n2026-12-01,书法,\"第一行\n第二行\"\n"
                                         ",,\n2026/13/01,合唱,\n"));
    expect_one_problem(f, "events.csv:5:1: 日期“2026/13/01”无效，应为 2026-12-01 这样的格式"
                          "（在 WPS 或 Excel 中是第4行）");
}

/* bundle-2.2: start after end; reported at the start cell. */
static void bundle_2_2(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_TICKER, "内容,开始,结束\n你好,2026-12-05,2026-12-01\n"));
    expect_one_problem(f, "ticker.csv:2:2: 开始“2026-12-05”晚于结束“2026-12-01”，"
                          "开始时间应早于结束时间");
}

/* bundle-2.3: hours, duration (range stated), priority (words listed), days. */
static void bundle_2_3(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_ANNOUNCEMENTS,
                       "title,hours,duration,priority,days\n"
                       "a,8点到9点,700,超级,周八\n"));
    assert_int_equal(f->r.nproblems, 4);
    assert_string_equal(f->r.problems[0],
                        "announcements.csv:2:2: 时段“8点到9点”无效，应为 08:00-18:00 这样的格式，"
                        "几个时段用逗号分开，例如 08:00-12:00,14:00-18:00");
    assert_string_equal(f->r.problems[1],
                        "announcements.csv:2:3: 时长“700”无效，应为 3 到 600 之间的秒数，例如 15");
    assert_string_equal(f->r.problems[2],
                        "announcements.csv:2:4: 级别“超级”无效，只能写 普通、重要 或 紧急"
                        "（也可写 normal、high、urgent）");
    assert_string_equal(f->r.problems[3],
                        "announcements.csv:2:5: 星期“周八”无效，可以写 每天、工作日、周末、"
                        "周一至周五 或 周一,周三,周五");
}

/* bundle-2.4: empty title without an image; an image-only poster is fine. */
static void bundle_2_4(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_ANNOUNCEMENTS, "标题,图片\n ,\n,poster.png\n"));
    expect_one_problem(f, "announcements.csv:2:1: 标题不能为空，请填写公告的标题，"
                          "或在“图片”列填写一张海报图片");
}

/* bundle-2.5: holidays kind, honors without name, image not in media/. */
static void bundle_2_5(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_HOLIDAYS, "date,kind\n2026-10-01,假\n"));
    expect_one_problem(f, "holidays.csv:2:2: 类型“假”无效，只能写 休（放假）或 班（调休上班），"
                          "也可写 off 或 work");
    report_free(&f->r);
    assert_false(parse(f, KIND_HONORS, "榜单,姓名,照片\n好人榜,,\n好人榜,李四,a.jpg\n"));
    assert_int_equal(f->r.nproblems, 2);
    assert_string_equal(f->r.problems[0], "honors.csv:2:2: 姓名不能为空，请填写姓名");
    assert_true(!strncmp(f->r.problems[1], "honors.csv:3:3: 照片“a.jpg”在 media 文件夹中找不到",
                         strlen("honors.csv:3:3: 照片“a.jpg”在 media 文件夹中找不到")));
}

/* bundle-2.6: known keys set org_name and logo; an unknown key is a
 * problem (what it says would not show). */
static void bundle_2_6(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_SETTINGS, "项目,值\n单位名称,幸福里社区\nlogo,media/logo.png\n"));
    assert_int_equal(f->r.nproblems + f->r.nwarnings, 0);
    assert_string_equal(f->c.org_name, "幸福里社区");
    assert_string_equal(f->c.logo, "logo.png");
    assert_false(parse(f, KIND_SETTINGS, "项目,值\n单位名称,幸福里社区\n颜色,红\n"));
    expect_one_problem(f, "settings.csv:3:1: 设置项“颜色”不认识，只能写 单位名称 或 标志");
    assert_string_equal(f->c.org_name, "幸福里社区");
}

/* bundle-2.6b: a setting given twice is a problem (which would show?). */
static void bundle_2_6b(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_SETTINGS, "key,value\norg_name,甲\n单位名称,乙\n"));
    expect_one_problem(f, "settings.csv:3:1: 设置项“单位名称”重复出现，请只保留一行");
}

/* bundle-2.7: control characters and over-long cells. */
static void bundle_2_7(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_TICKER, "text\nab\x01" "c\n"));
    expect_one_problem(f, "ticker.csv:2:1: 内容“ab c”含有看不见的控制字符，请删掉这一格重新输入");
    report_free(&f->r);
    struct sbuf b = {0};
    sbuf_adds(&b, "name,roll\n");
    for (int i = 0; i < 101; i++)
        sbuf_adds(&b, "张");
    sbuf_adds(&b, ",榜\n");
    assert_false(parse(f, KIND_HONORS, b.s));
    assert_int_equal(f->r.nproblems, 1);
    assert_non_null(strstr(f->r.problems[0], "honors.csv:2:1: 姓名“"));
    assert_non_null(strstr(f->r.problems[0], "”太长（101个字），最多100个字，请缩短"));
    sbuf_free(&b);
}

/* bundle-2.8: too many rows; a cell beyond the named columns. */
static void bundle_2_8(void **state)
{
    struct fx *f = *state;
    struct sbuf b = {0};
    sbuf_adds(&b, "text\n");
    for (int i = 0; i < 501; i++)
        sbuf_addf(&b, "消息%d\n", i);
    assert_false(parse(f, KIND_TICKER, b.s));
    expect_one_problem(f, "ticker.csv:502: 行数太多（共501行），最多500行，请删掉过期的内容");
    sbuf_free(&b);
    report_free(&f->r);
    assert_false(parse(f, KIND_TICKER, "text\n你好,多余\n"));
    expect_one_problem(f, "ticker.csv:2:2: 这一格“多余”没有列名，请删掉它，或在第一行补上列名");
}

/* bundle-2.9: every problem of a file in one pass, in sheet order; the
 * line of a cell after a quoted multi-line cell is its physical line, and
 * the message adds the row WPS/Excel shows. */
static void bundle_2_9(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_EVENTS,
                       "date,title,start_time,end_time,note\n"
                       "2026-12-01,,9:00,8:00,\n"
                       "2026-12-02,讲座,9:00,,\"第一行\n第二行\"\n"
                       "2026-02-30,合唱,25:00,,\n"));
    assert_int_equal(f->r.nproblems, 4);
    assert_string_equal(f->r.problems[0], "events.csv:2:2: 活动不能为空，请填写活动");
    assert_string_equal(f->r.problems[1], "events.csv:2:3: 开始时间“9:00”不早于结束时间“8:00”，"
                                          "开始时间应早于结束时间（跨过半夜的活动，如 22:00 到 02:00，最长12小时）");
    assert_string_equal(f->r.problems[2], "events.csv:5:1: 日期“2026-02-30”无效，"
                                          "应为 2026-12-01 这样的格式（在 WPS 或 Excel 中是第4行）");
    assert_string_equal(f->r.problems[3], "events.csv:5:3: 开始时间“25:00”无效，应为 09:30 这样的时间"
                                          "（在 WPS 或 Excel 中是第4行）");
}

/* bundle-2.10: an event that runs past midnight (22:00-02:00) is read as
 * docs/schedule.md says, up to 12 hours; equal times and a 23-hour
 * "overnight" one are refused. */
static void bundle_2_10(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_EVENTS, "date,title,start_time,end_time\n"
                                      "2026-12-01,跨年晚会,22:00,02:00\n"
                                      "2026-12-01,守岁,20:00,08:00\n"));
    assert_int_equal(f->c.nevents, 2);
    /* Sorted by date and start: 守岁 first. */
    assert_int_equal(f->c.events[0].end, 8 * 60);
    assert_int_equal(f->c.events[1].start, 22 * 60);
    assert_int_equal(f->c.events[1].end, 2 * 60);
    report_free(&f->r);
    content_clear_kind(&f->c, KIND_EVENTS);
    assert_false(parse(f, KIND_EVENTS, "date,title,start_time,end_time\n"
                                       "2026-12-01,讲座,9:00,9:00\n"
                                       "2026-12-01,讲座,20:00,08:01\n"));
    assert_int_equal(f->r.nproblems, 2);
    assert_non_null(strstr(f->r.problems[0], "events.csv:2:3: 开始时间“9:00”不早于结束时间“9:00”"));
    assert_non_null(strstr(f->r.problems[1], "events.csv:3:3: 开始时间“20:00”不早于结束时间“08:01”"));
}

/* bundle-2.11: a character no font on the device has gets a 提醒 naming
 * its cell (the board leaves it out rather than show □); one the fonts
 * have (🎉 from the colour emoji font, 汉字) gets none; the import goes on. */
static void bundle_2_11(void **state)
{
    struct fx *f = *state;
    struct config cfg = {0};
    struct bundle_media m = { media_names, 3, glyphs_create(&cfg) };
    const char *csv = "date,title,place,note\n"
                      "2026-12-01,\U0001F389新年联欢,活动室,请带\U0010FFFD来\n"
                      "2026-12-02,写春联\U0001F3EE,\U0010FFFE二楼,\n";
    assert_true(bundle_parse(&f->c, KIND_EVENTS, csv, strlen(csv), &m, &f->r));
    assert_int_equal(f->r.nproblems, 0);
    assert_int_equal(f->r.nwarnings, 2);
    assert_string_equal(f->r.warnings[0], "events.csv:2:4: 备注的第3个字“\U0010FFFD”在屏幕上显示不出来"
                                          "（设备上没有能显示它的字体），显示时会被略去。请删掉它或换成文字");
    assert_non_null(strstr(f->r.warnings[1], "events.csv:3:3: 地点的第1个字“\U0010FFFE”"));
    assert_int_equal(f->c.nevents, 2);
    glyphs_destroy(m.glyphs);
}

/* bundle-2.12: a 备注 longer than a page is sure to show (300 characters)
 * is taken, with a 提醒 that its end shows as …; 300 exactly gets none. */
static void bundle_2_12(void **state)
{
    struct fx *f = *state;
    struct sbuf csv = {0};
    sbuf_adds(&csv, "date,title,note\n2026-12-01,议事会,");
    for (int i = 0; i < 301; i++)
        sbuf_adds(&csv, "议");
    sbuf_adds(&csv, "\n2026-12-02,议事会,");
    for (int i = 0; i < 300; i++)
        sbuf_adds(&csv, "议");
    sbuf_adds(&csv, "\n");
    assert_true(parse(f, KIND_EVENTS, csv.s));
    assert_int_equal(f->r.nwarnings, 1);
    assert_non_null(strstr(f->r.warnings[0], "events.csv:2:3: 备注有301个字"));
    assert_int_equal(f->c.nevents, 2);
    sbuf_free(&csv);
}

/* bundle-3.1: a bare end date includes that whole day; a time is exact. */
static void bundle_3_1(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_TICKER, "text,start,end\na,2026-11-20,2026-11-25\n"
                                        "b,2026-11-20 09:30,2026-11-25 18:00\n"));
    int64_t d20 = when_days_from_civil(2026, 11, 20), d26 = when_days_from_civil(2026, 11, 26);
    assert_int_equal(f->c.ticker[0].start, d20 * WHEN_MIN_PER_DAY);
    assert_int_equal(f->c.ticker[0].end, d26 * WHEN_MIN_PER_DAY);
    assert_int_equal(f->c.ticker[1].start, d20 * WHEN_MIN_PER_DAY + 570);
    assert_int_equal(f->c.ticker[1].end, (d26 - 1) * WHEN_MIN_PER_DAY + 1080);
    assert_int_equal(f->c.ticker[1].id, 2);
}

/* bundle-3.2: events sorted by day and start, ids keep row order; a
 * quoted cell keeps its paragraph break. */
static void bundle_3_2(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_EVENTS, "日期,活动,开始时间,备注\n2026-12-02,乙,9:00,\n"
                                        "2026-12-01,甲,14:00,\"一\n二\"\n2026-12-01,丙,8:00,\n"));
    assert_int_equal(f->c.nevents, 3);
    assert_string_equal(f->c.events[0].title, "丙");
    assert_int_equal(f->c.events[0].id, 3);
    assert_string_equal(f->c.events[1].title, "甲");
    assert_string_equal(f->c.events[1].note, "一\n二");
    assert_int_equal(f->c.events[1].end, -1);
    assert_string_equal(f->c.events[2].title, "乙");
}

/* bundle-3.3: honors grouped into rolls in first-seen order; the roll's
 * period from any row; media matched ignoring case and a media/ prefix. */
static void bundle_3_3(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_HONORS, "roll,name,photo,end\nA榜,张三,photo.jpg,\nB榜,李四,,\n"
                                        "A榜,王五,media/Photo.JPG,2026-12-31\n"));
    assert_int_equal(f->c.nrolls, 2);
    assert_string_equal(f->c.rolls[0].name, "A榜");
    assert_int_equal(f->c.rolls[0].nentries, 2);
    assert_string_equal(f->c.rolls[0].entries[0].photo, "Photo.JPG");
    assert_string_equal(f->c.rolls[0].entries[1].photo, "Photo.JPG");
    assert_int_equal(f->c.rolls[0].end, when_days_from_civil(2027, 1, 1) * WHEN_MIN_PER_DAY);
    assert_int_equal(f->c.rolls[1].id, 2);
    assert_null(f->c.rolls[1].entries[0].photo);
}

/* bundle-3.3b: a roll's start on one row after its end on another is
 * reported once, naming both rows; disagreeing periods are reported. */
static void bundle_3_3b(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_HONORS, "roll,name,start,end\nA,甲,,2026-01-31\nA,乙,2026-03-01,\n"
                                         "A,丙,,\nA,丁,,2026-02-28\n"));
    assert_int_equal(f->r.nproblems, 2);
    assert_string_equal(f->r.problems[0], "honors.csv:3:3: 榜单“A”的开始时间（第3行）晚于结束时间"
                                          "（第2行），开始时间应早于结束时间");
    assert_string_equal(f->r.problems[1], "honors.csv:5:4: 结束“2026-02-28”与同一榜单第2行的结束"
                                          "“2026-01-31”不一致，同一榜单请写相同的结束时间");
}

/* bundle-3.4: header-only clears the kind; a failing file leaves it. */
static void bundle_3_4(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_TICKER, "text\n一\n二\n"));
    assert_int_equal(f->c.nticker, 2);
    assert_false(parse(f, KIND_TICKER, "text,start\n三,明天\n"));
    assert_int_equal(f->c.nticker, 2);
    assert_true(parse(f, KIND_TICKER, "text,start,end\r\n"));
    assert_int_equal(f->c.nticker, 0);
}

/* bundle-3.5: holidays sorted, 休/班/off/work, duplicate date refused. */
static void bundle_3_5(void **state)
{
    struct fx *f = *state;
    assert_true(parse(f, KIND_HOLIDAYS, "日期,类型,名称\n2026-10-11,班,调休\n2026-10-01,OFF,国庆\n"));
    assert_int_equal(f->c.nholidays, 2);
    assert_int_equal(f->c.holidays[0].day, when_days_from_civil(2026, 10, 1));
    assert_false(f->c.holidays[0].workday);
    assert_true(f->c.holidays[1].workday);
    assert_false(parse(f, KIND_HOLIDAYS, "date,kind\n2026-10-01,休\n2026/10/1,work\n"));
    expect_one_problem(f, "holidays.csv:3:1: 日期“2026/10/1”重复（第2行已经写过），每个日期只写一行");
}

/* bundle-3.6: an empty file (no header) is a problem, not a clear. */
static void bundle_3_6(void **state)
{
    struct fx *f = *state;
    assert_false(parse(f, KIND_TICKER, ""));
    assert_int_equal(f->r.nproblems, 1);
    assert_non_null(strstr(f->r.problems[0], "ticker.csv:1: "));
}

/* bundle-2.13: a roll of HONORS_ROLL_MAX people imports whole (the player
 * shows every one); one more is refused at the first person too many, with
 * what to do, not cut on screen. */
static void bundle_2_13(void **state)
{
    struct fx *f = *state;
    struct sbuf csv = {0};
    sbuf_adds(&csv, "roll,name\n");
    for (int i = 0; i < HONORS_ROLL_MAX; i++)
        sbuf_addf(&csv, "优秀志愿者,志愿者%d\n", i + 1);
    sbuf_adds(&csv, "文明家庭,王家\n");
    assert_true(parse(f, KIND_HONORS, csv.s));
    assert_int_equal(f->c.nrolls, 2);
    assert_int_equal(f->c.rolls[0].nentries, HONORS_ROLL_MAX);
    sbuf_adds(&csv, "优秀志愿者,还有一位\n");
    assert_false(parse(f, KIND_HONORS, csv.s));
    char *want = xasprintf("honors.csv:%d:1: 榜单“优秀志愿者”超过%d人（这是第%d人），屏幕上一个榜单"
                           "最多显示%d人。请把它分成几个榜单，例如在榜单名后面加“（一）”“（二）”",
                           HONORS_ROLL_MAX + 3, HONORS_ROLL_MAX, HONORS_ROLL_MAX + 1,
                           HONORS_ROLL_MAX);
    expect_one_problem(f, want);
    free(want);
    sbuf_free(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(n, setup, teardown)
        T(bundle_1_1), T(bundle_1_2), T(bundle_1_3), T(bundle_1_4), T(bundle_1_5),
        T(bundle_1_6), T(bundle_1_7), T(bundle_1_8),
        T(bundle_2_1), T(bundle_2_1_1), T(bundle_2_2), T(bundle_2_3), T(bundle_2_4), T(bundle_2_5),
        T(bundle_2_6), T(bundle_2_6b), T(bundle_2_7), T(bundle_2_8), T(bundle_2_9), T(bundle_2_10), T(bundle_2_11), T(bundle_2_12), T(bundle_2_13),
        T(bundle_3_1), T(bundle_3_2), T(bundle_3_3), T(bundle_3_3b), T(bundle_3_4), T(bundle_3_5),
        T(bundle_3_6),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
