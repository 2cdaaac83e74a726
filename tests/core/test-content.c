/* test-content.c — freeing a full feed_content, holiday lookup and 调休;
 * what staff call the content of each kind of page (core/kinds.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/content.h"
#include "core/kinds.h"
#include "core/schedule.h"
#include "core/util.h"

static int64_t day(int y, int m, int d)
{
    return when_days_from_civil(y, m, d);
}

/* Holidays of 2026 National Day week: 10-01..10-07 off, 09-27 (Sun) and
 * 10-10 (Sat) make-up workdays — sorted, as the feed keeps them. */
static struct feed_content *national_day(void)
{
    struct feed_content *c = content_create();
    c->nholidays = 9;
    c->holidays = xcalloc(c->nholidays, sizeof(*c->holidays));
    size_t k = 0;
    c->holidays[k++] = (struct nb_holiday){day(2026, 9, 27), true, xstrdup("国庆调休")};
    for (int d = 1; d <= 7; d++)
        c->holidays[k++] = (struct nb_holiday){day(2026, 10, d), false, xstrdup("国庆节")};
    c->holidays[k++] = (struct nb_holiday){day(2026, 10, 10), true, xstrdup("")};
    return c;
}

/* content_1_1: holiday lookup — off, make-up workday, ordinary, edges. */
static void content_1_1(void **state)
{
    (void)state;
    struct feed_content *c = national_day();
    assert_int_equal(content_holiday(c, day(2026, 9, 27)), 1);
    assert_int_equal(content_holiday(c, day(2026, 10, 1)), -1);
    assert_int_equal(content_holiday(c, day(2026, 10, 7)), -1);
    assert_int_equal(content_holiday(c, day(2026, 10, 10)), 1);
    assert_int_equal(content_holiday(c, day(2026, 10, 8)), 0);
    assert_int_equal(content_holiday(c, day(2026, 9, 26)), 0);
    assert_int_equal(content_holiday(c, day(2026, 10, 11)), 0);
    assert_int_equal(content_holiday(NULL, day(2026, 10, 1)), 0);
    content_destroy(c);
}

/* content_1_2: workday = Mon–Fri unless a holiday says otherwise (调休). */
static void content_1_2(void **state)
{
    (void)state;
    struct feed_content *c = national_day();
    assert_true(content_is_workday(c, day(2026, 9, 27)));   /* Sunday, 班 */
    assert_false(content_is_workday(c, day(2026, 10, 1)));  /* Thursday, 休 */
    assert_true(content_is_workday(c, day(2026, 10, 10)));  /* Saturday, 班 */
    assert_true(content_is_workday(c, day(2026, 10, 9)));   /* ordinary Friday */
    assert_false(content_is_workday(c, day(2026, 10, 11))); /* ordinary Sunday */
    assert_false(content_is_workday(c, day(2026, 11, 22))); /* Sunday */
    assert_true(content_is_workday(NULL, day(2026, 11, 23))); /* Monday, no feed */
    content_destroy(c);
}

/* content_2_1: destroy frees every kind (run under valgrind/ASan); NULL ok. */
static void content_2_1(void **state)
{
    (void)state;
    content_destroy(NULL);
    struct feed_content *c = national_day();
    c->logo = xstrdup("logo.png");
    c->nann = 2;
    c->ann = xcalloc(2, sizeof(*c->ann));
    for (size_t i = 0; i < 2; i++) {
        c->ann[i].title = xstrdup("通知");
        c->ann[i].body = xstrdup("内容");
    }
    c->ann[1].image = xstrdup("a.jpg");
    c->nevents = 1;
    c->events = xcalloc(1, sizeof(*c->events));
    c->events[0] = (struct nb_event){1, 0, -1, -1, xstrdup("t"), xstrdup(""), xstrdup(""), xstrdup(""), xstrdup("")};
    c->nrolls = 1;
    c->rolls = xcalloc(1, sizeof(*c->rolls));
    c->rolls[0].name = xstrdup("好人榜");
    c->rolls[0].nentries = 2;
    c->rolls[0].entries = xcalloc(2, sizeof(struct nb_honor));
    for (size_t i = 0; i < 2; i++)
        c->rolls[0].entries[i] = (struct nb_honor){xstrdup("张三"), xstrdup(""), xstrdup(""),
                                                   xstrdup("2026"), i ? xstrdup("p.jpg") : NULL};
    c->nticker = 1;
    c->ticker = xcalloc(1, sizeof(*c->ticker));
    c->ticker[0].text = xstrdup("欢迎");
    c->nsettings = 1;
    c->settings = xcalloc(1, sizeof(*c->settings));
    c->settings[0] = (struct nb_setting){xstrdup("org_name"), xstrdup("某社区")};
    content_destroy(c);
}

/* content_3_1: a page's kind in staff's words comes from the kinds'
 * table (the sheet names), for every kind of page the plan has. */
static void content_3_1(void **state)
{
    (void)state;
    assert_string_equal(kind_page_word(slide_kind_name(SLIDE_URGENT)), "紧急公告");
    assert_string_equal(kind_page_word(slide_kind_name(SLIDE_ANNOUNCEMENT)), "公告");
    assert_string_equal(kind_page_word(slide_kind_name(SLIDE_EVENTS)), "活动");
    assert_string_equal(kind_page_word(slide_kind_name(SLIDE_HONORS)), "表彰");
    assert_ptr_equal(kind_page_word("announcement"), kind_info(KIND_ANNOUNCEMENTS)->sheet);
    assert_null(kind_page_word("idle"));
    assert_null(kind_page_word("ticker"));
    assert_null(kind_page_word(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(content_1_1),
        cmocka_unit_test(content_1_2),
        cmocka_unit_test(content_2_1),
        cmocka_unit_test(content_3_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
