/* test-posters.c — the 海报 folder (sync/posters.h): which folder names
 * and files count, natural order of file names, what a plain poster is,
 * and the report's 海报 line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/content.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/guide.h"
#include "sync/posters.h"
#include "sync/report.h"

/* posters-1: 海报 (or 海報) or posters, any case, spaces (ASCII or 全角) around
 * ignored; nothing else (海报1, 海 报, 旧海报, media). */
static void posters_1(void **state)
{
    const char *yes[] = {"海报", "posters", "Posters", "POSTERS", "海报 ", " 海报", "海报\u3000",
                         "\u3000海报  ", "海報", " 海報 "};
    const char *no[] = {"海报1", "海 报", "旧海报", "media", "poster", "", " ", "海报/",
                        "海报.jpg", "postersx", "海報1"};
    for (size_t i = 0; i < ARRAY_LEN(yes); i++)
        assert_true(posters_folder_name(yes[i]));
    for (size_t i = 0; i < ARRAY_LEN(no); i++)
        assert_false(posters_folder_name(no[i]));
    assert_true(posters_path("海报/a.jpg"));
    assert_true(posters_path("Posters /1.pdf"));
    assert_false(posters_path("海报/"));
    assert_false(posters_path("海报/旧/a.jpg"));
    assert_false(posters_path("media/a.jpg"));
    assert_false(posters_path("海报"));
}

/* posters-2: files by name: JPG/JPEG/PNG/PDF in any case; Windows' and
 * macOS's own files silently; the rest with a 提醒. */
static void posters_2(void **state)
{
    assert_int_equal(posters_file_kind("a.jpg"), POSTERS_IMAGE);
    assert_int_equal(posters_file_kind("A.JPEG"), POSTERS_IMAGE);
    assert_int_equal(posters_file_kind("通知.Png"), POSTERS_IMAGE);
    assert_int_equal(posters_file_kind("通知.PDF"), POSTERS_PDF);
    assert_int_equal(posters_file_kind("Thumbs.db"), POSTERS_QUIET);
    assert_int_equal(posters_file_kind("desktop.ini"), POSTERS_QUIET);
    assert_int_equal(posters_file_kind("._a.jpg"), POSTERS_QUIET);
    assert_int_equal(posters_file_kind(".DS_Store"), POSTERS_QUIET);
    assert_int_equal(posters_file_kind("说明.docx"), POSTERS_OTHER);
    assert_int_equal(posters_file_kind("jpg"), POSTERS_OTHER);
    assert_int_equal(posters_file_kind("a.jpg.mp4"), POSTERS_OTHER);
    assert_int_equal(posters_file_kind("a.gif"), POSTERS_OTHER);
}

/* posters-3: natural order as Explorer shows it: 2 before 10, 全角 digits
 * by value, leading zeros equal in value, letters without case; the order
 * is total (ties broken by strcmp). */
static void posters_3(void **state)
{
    assert_true(posters_name_cmp("2.jpg", "10.jpg") < 0);
    assert_true(posters_name_cmp("10.jpg", "2.jpg") > 0);
    assert_true(posters_name_cmp("第2张.jpg", "第10张.jpg") < 0);
    assert_true(posters_name_cmp("\uff12.jpg", "10.jpg") < 0);     /* ２ */
    assert_true(posters_name_cmp("a.jpg", "B.jpg") < 0);
    assert_true(posters_name_cmp("02.jpg", "2.jpg") != 0);
    assert_true(posters_name_cmp("a.jpg", "a.jpg") == 0);
    assert_true(posters_name_cmp("a", "a1") < 0);
    assert_true(posters_name_cmp("99999999999999999999999.jpg", "100000000000000000000000.jpg") < 0);
    char *names[] = {"10.jpg", "海报.png", "2.jpg", "1.png", "B.jpg", "a.pdf", "010.jpg", "20.jpg"};
    posters_sort(names, ARRAY_LEN(names));
    const char *want[] = {"1.png", "2.jpg", "010.jpg", "10.jpg", "20.jpg", "a.pdf", "B.jpg",
                          "海报.png"};
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        assert_string_equal(names[i], want[i]);
}

/* posters-4: a poster row has the announcement defaults, and is plain;
 * any text or timing makes an announcement that a 海报 folder keeps. */
static void posters_4(void **state)
{
    struct nb_announcement a;
    posters_row(&a, "abc");
    assert_string_equal(a.title, "");
    assert_string_equal(a.image, "abc");
    assert_int_equal(a.duration, 10);
    assert_int_equal(a.days, DAYS_ALL);
    assert_true(a.start == WHEN_ALWAYS && a.end == WHEN_NEVER);
    assert_int_equal(a.priority, PRIO_NORMAL);
    assert_true(posters_is_plain(&a));
    a.duration = 15;
    assert_false(posters_is_plain(&a));
    a.duration = 10;
    a.priority = PRIO_URGENT;
    assert_false(posters_is_plain(&a));
    a.priority = PRIO_NORMAL;
    a.end = 0;
    assert_false(posters_is_plain(&a));
    a.end = WHEN_NEVER;
    a.days = 0x1f;
    assert_false(posters_is_plain(&a));
    a.days = DAYS_ALL;
    free(a.title);
    a.title = xstrdup("停水通知");
    assert_false(posters_is_plain(&a));
    free(a.title);
    a.title = xstrdup("");
    free(a.image);
    a.image = NULL;
    assert_false(posters_is_plain(&a));     /* no picture: not a poster */
    free(a.title), free(a.body), free(a.qr);
}

/* posters-5: the report's 海报 line after 公告: how many, from which
 * folder, before, and the files left out (the first five named); an
 * empty folder clears; 公告 counts only its own rows. */
static void posters_5(void **state)
{
    struct feed_content *c = content_create();
    c->nann = 7;
    c->ann = calloc(c->nann, sizeof *c->ann);
    struct report r = {.result = REPORT_OK, .content = c, .counted = true};
    r.posters_from = xstrdup("海报");
    r.posters = 5;
    r.posters_before = 3;
    report_poster_skipped(&r, "说明.docx");
    char *text = report_render(&r, 0);
    assert_non_null(strstr(text, "公告：没有文件，保持不变（现在 2 条）\n"
                                 "海报：替换为 5 张（读的是 海报 文件夹；原来 3 张；"
                                 "跳过 1 个文件：说明.docx）\n活动："));
    free(text);
    for (int i = 0; i < 6; i++)
        report_poster_skipped(&r, "x.gif");
    report_source(&r, KIND_ANNOUNCEMENTS, "announcements.csv");
    text = report_render(&r, 0);
    assert_non_null(strstr(text, "公告：替换为 2 条（读的是 announcements.csv；原来没有）\n"
                                 "海报：替换为 5 张，接在表格里的公告后面播放（读的是 海报 文件夹；"
                                 "原来 3 张；跳过 7 个文件：说明.docx、x.gif、x.gif、x.gif、x.gif 等）\n"));
    free(text);
    r.posters = 0;
    c->nann = 0;
    free(r.source[KIND_ANNOUNCEMENTS]);
    r.source[KIND_ANNOUNCEMENTS] = NULL;
    for (size_t i = 0; i < REPORT_POSTERS_NAMED; i++)
        free(r.posters_skipped[i]);
    r.nposters_skipped = 0;
    text = report_render(&r, 0);
    assert_non_null(strstr(text, "海报：已清空（海报 文件夹是空的；原来 3 张）\n"));
    free(text);
    report_poster_skipped(&r, "坏.jpg");
    r.posters_kept = true;
    r.posters = 2;
    c->nann = 5;
    text = report_render(&r, 0);
    assert_non_null(strstr(text, "公告：没有文件，保持不变（现在 3 条）\n"
                                 "海报：海报文件夹里没有能用的图片或 PDF，保持不变（现在 2 张；"
                                 "跳过 1 个文件：坏.jpg）\n"));
    free(text);
    c->nann = 0;
    free(r.posters_from);
    r.posters_from = NULL;
    text = report_render(&r, 0);
    assert_null(strstr(text, "海报："));     /* no folder, no line */
    free(text);
    report_free(&r);
    content_destroy(c);
}

/* posters-6: the staff guide (使用说明.txt and the template's first sheet)
 * tells the 海报 folder: its name, the order, the timing, what it replaces,
 * the empty folder, and the cap POSTERS_MAX. */
static void posters_6(void **state)
{
    char *g = guide_text();
    char *cap = xasprintf("最多 %d 个文件", POSTERS_MAX);
    const char *want[] = {"海报 文件夹", "叫“海报”的文件夹", "2.jpg 在 10.jpg 前面", "10 秒",
                          "换掉屏幕上原来的海报", "海报接在表格里的公告后面", "海报文件夹是空的",
                          cap};
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        if (!strstr(g, want[i]))
            fail_msg("the guide lacks “%s”", want[i]);
    free(cap);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(posters_1), cmocka_unit_test(posters_2), cmocka_unit_test(posters_3),
        cmocka_unit_test(posters_4), cmocka_unit_test(posters_5), cmocka_unit_test(posters_6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
