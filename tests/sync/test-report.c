/* test-report.c — the import report stays bounded: the first
 * REPORT_MAX_LINES problems and warnings are kept, the rest counted per
 * file and said in one line (757,700 problems once took 284 MB and wrote a
 * 73 MB report to the stick). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/playlog.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/report.h"
#include "../testutil.h"

/* report-1: 100,000 problems in two files: 200 kept in the order added,
 * the total in the summary and the heading, the rest per file. */
static void report_1(void **state)
{
    struct report r = {0};
    for (int i = 0; i < 100000; i++)
        report_problem(&r, "%s.csv:%d:1: 日期“x”无效", i < 50000 ? "events" : "honors", i + 2);
    assert_int_equal(r.nproblems, REPORT_MAX_LINES);
    assert_int_equal(report_problems_total(&r), 100000);
    assert_string_equal(r.problems[0], "events.csv:2:1: 日期“x”无效");
    assert_string_equal(r.problems[199], "events.csv:201:1: 日期“x”无效");
    r.result = REPORT_REJECTED;
    char *sum = report_summary(&r);
    assert_string_equal(sum, "更新失败：发现100000处问题，屏幕内容没有改变。请按下面的提示修改后重新导入。");
    char *text = report_render(&r, 0);
    assert_non_null(strstr(text, "需要修改的问题（100000处）：\n"));
    assert_non_null(strstr(text, "events.csv:201:1: 日期“x”无效\n另有99800处问题未列出（events.csv 49800处、"
                                 "honors.csv 50000处），先改好上面这些，再导入时会列出其余的。\n"));
    assert_null(strstr(text, "events.csv:202:1"));
    assert_true(strlen(text) < 16 * 1024);
    free(sum);
    free(text);
    report_free(&r);
    assert_int_equal(report_problems_total(&r), 0);
}

/* report-2: warnings likewise; past REPORT_MORE_FILES files the rest are
 * "其他"; a list under the cap says nothing more. */
static void report_2(void **state)
{
    struct report r = {0};
    for (int i = 0; i < REPORT_MAX_LINES; i++)
        report_warning(&r, "media/%d.jpg: 不是普通文件，已跳过", i);
    r.result = REPORT_OK;
    char *text = report_render(&r, 0);
    assert_null(strstr(text, "另有"));
    free(text);
    for (int i = 0; i < 10; i++)
        report_warning(&r, "f%d.csv:1:1: 提醒", i);
    assert_int_equal(r.nwarnings, REPORT_MAX_LINES);
    assert_int_equal(report_warnings_total(&r), REPORT_MAX_LINES + 10);
    text = report_render(&r, 0);
    assert_non_null(strstr(text, "提醒（210条，不影响更新）"));
    assert_non_null(strstr(text, "另有10条提醒未列出（f0.csv 1条、f1.csv 1条、f2.csv 1条、f3.csv 1条、"
                                 "f4.csv 1条、f5.csv 1条、f6.csv 1条、f7.csv 1条、其他 2条）。\n"));
    free(text);
    report_free(&r);
}

/* report-3: the play summary counts the last 30 days of the play log,
 * most shown first, in the words staff use, and lists at most
 * REPORT_MAX_PLAYS items; no log, no section. */
static void report_3(void **state)
{
    char dir[] = "/tmp/nb-test-report.XXXXXX";
    assert_non_null(mkdtemp(dir));
    int64_t today, m;
    assert_true(when_read_date("2026-11-22", &today));
    assert_true(when_read_moment("2026-11-22 09:00", &m));
    struct report r = {0};
    report_set_plays(&r, dir, today);
    assert_null(r.plays);
    struct playlog *l = playlog_open(dir);
    for (int i = 0; i < 3; i++)
        playlog_add(l, m + i, 0, "urgent", "1", 0, "停水通知");
    playlog_add(l, m + 3, 0, "events", "-", 0, "近期活动");
    playlog_add(l, m + 3, 15, "events", "-", 1, "近期活动");
    playlog_add(l, m - 30 * WHEN_MIN_PER_DAY, 0, "announcement", "2", 0, "31天前");
    for (int i = 0; i < REPORT_MAX_PLAYS + 2; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i + 10);
        playlog_add(l, m + 10, i, "honors", id, 0, id);
    }
    playlog_close(l);
    report_set_plays(&r, dir, today);
    r.result = REPORT_OK;
    char *text = report_render(&r, m);
    assert_non_null(strstr(text, "\n播放统计（2026-10-24 至 2026-11-22，每条从第一页开始显示一遍算一次；"
                                 "最早的记录是 2026-11-22 09:00）：\n"
                                 "紧急公告“停水通知”：3次（最后一次 2026-11-22 09:02）\n"
                                 "近期活动：1次（最后一次 2026-11-22 09:03）\n"));
    assert_null(strstr(text, "31天前"));
    assert_non_null(strstr(text, "另有4项，共显示4次"));
    free(text);
    report_free(&r);
    assert_null(r.plays);
    assert_int_equal(rm_tree(dir), 0);
}

/* report-4: a moved clock is a sentence after the result, in the summary
 * (the screen) and the report's first line; freed with the report. */
static void report_4(void **state)
{
    struct report r = {0};
    r.result = REPORT_OK;
    r.clock_note = xstrdup("设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）");
    char *sum = report_summary(&r);
    assert_string_equal(sum, "更新成功：0条公告、0项活动、0位表彰、0条滚动消息。"
                             "设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）。");
    char *text = report_render(&r, 0);
    assert_true(!strncmp(text, sum, strlen(sum)) && text[strlen(sum)] == '\n');
    free(text);
    free(sum);
    report_free(&r);
    assert_null(r.clock_note);
}

/* Writes the report of an import that had a contact sheet to a stick
 * folder; returns reports/<stamp>.txt as written (malloc'd). */
static char *write_report(const char *dir, const char *stamp)
{
    struct report r = {0};
    r.result = REPORT_OK;
    r.preview = true;
    r.schedule = xstrdup("今天 11月22日 星期日\n  08:00–22:00  冬季消防安全提示\n");
    char *text = report_render(&r, 0);
    assert_non_null(strstr(text, "同名的图片"));
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_true(report_write_stick(fd, stamp, text, "\x89PNG", 4));
    close(fd);
    free(text);
    report_free(&r);
    char *path = xasprintf("%s/reports/%s.txt", dir, stamp);
    size_t len = 0;
    char *got = read_file(path, 1 << 20, &len);
    assert_non_null(got);
    free(path);
    return got;
}

/* report-5: the report points to the contact sheet beside it; when the
 * stick takes the text but not the picture, it says the picture is
 * missing instead (BOM and CRLF either way). */
static void report_5(void **state)
{
    char dir[] = "/tmp/nb-test-report.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *got = write_report(dir, "20261122-103000");
    assert_true(!strncmp(got, "\xEF\xBB\xBF", 3));
    assert_non_null(strstr(got, "同名的图片（.png）。\r\n"));
    assert_non_null(strstr(got, "冬季消防安全提示\r\n"));
    free(got);
    char *png = xasprintf("%s/reports/20261122-103000.png", dir);
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    assert_int_equal(st.st_size, 4);
    free(png);
    /* The picture's name is taken by a folder: the picture cannot be written. */
    char *blocker = xasprintf("%s/reports/20261122-103100.png/x", dir);
    assert_int_equal(mkdir_p(blocker, 0700) ? 0 : -1, 0);
    free(blocker);
    got = write_report(dir, "20261122-103100");
    assert_true(!strncmp(got, "\xEF\xBB\xBF", 3));
    assert_null(strstr(got, "同名的图片"));
    assert_non_null(strstr(got, "每一页的预览图没有保存到U盘（U盘可能满了）。下面的安排不受影响。"
                                  "想看预览图，请删掉U盘上不用的文件后再插一次。\r\n"));
    assert_non_null(strstr(got, "冬季消防安全提示\r\n"));
    free(got);
    assert_int_equal(rm_tree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_1),
        cmocka_unit_test(report_2),
        cmocka_unit_test(report_3), cmocka_unit_test(report_4), cmocka_unit_test(report_5),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
