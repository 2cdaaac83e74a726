/* test-when.c — civil-day arithmetic and every form staff type for dates,
 * clocks, days, hours, durations and priorities (docs/bundle.md, 每一格的写法). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/when.h"

/* when_1_1: the epoch is day 0; known weekdays; round trip over 1970..2199. */
static void when_1_1(void **state)
{
    (void)state;
    assert_int_equal(when_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(when_days_from_civil(1970, 1, 2), 1);
    assert_int_equal(when_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(when_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(when_weekday(0), 3);                              /* Thursday */
    assert_int_equal(when_weekday(when_days_from_civil(2026, 11, 22)), 6); /* Sunday */
    assert_int_equal(when_weekday(when_days_from_civil(2024, 1, 1)), 0);   /* Monday */
    assert_int_equal(when_weekday(-1), 2);
    /* Round trip, and each day is exactly one after the previous one. */
    int64_t first = when_days_from_civil(1970, 1, 1), last = when_days_from_civil(2199, 12, 31);
    int py = 1969, pm = 12, pd = 31;
    for (int64_t d = first; d <= last; d++) {
        int y, m, dd;
        when_civil_from_days(d, &y, &m, &dd);
        assert_true(when_valid_date(y, m, dd));
        assert_int_equal(when_days_from_civil(y, m, dd), d);
        bool next = (y == py && m == pm && dd == pd + 1) || (y == py && m == pm + 1 && dd == 1) ||
                    (y == py + 1 && m == 1 && dd == 1 && pm == 12);
        assert_true(next);
        py = y; pm = m; pd = dd;
    }
    assert_int_equal(py, 2199);
}

/* when_1_2: validity — leap years, month lengths, year range 1970..2199. */
static void when_1_2(void **state)
{
    (void)state;
    assert_true(when_valid_date(2028, 2, 29));
    assert_false(when_valid_date(2026, 2, 29));
    assert_true(when_valid_date(2000, 2, 29));
    assert_false(when_valid_date(2100, 2, 29));
    assert_false(when_valid_date(2026, 4, 31));
    assert_false(when_valid_date(2026, 13, 1));
    assert_false(when_valid_date(2026, 0, 1));
    assert_false(when_valid_date(2026, 1, 0));
    assert_true(when_valid_date(1970, 1, 1));
    assert_false(when_valid_date(1969, 12, 31));
    assert_true(when_valid_date(2199, 12, 31));
    assert_false(when_valid_date(2200, 1, 1));
}

struct date_case { const char *s; int y, m, d; };

/* when_2_1: every date form of docs/bundle.md, full-width, spaces; bad dates. */
static void when_2_1(void **state)
{
    (void)state;
    static const struct date_case ok[] = {
        {"2026-11-22", 2026, 11, 22}, {"2026/11/22", 2026, 11, 22}, {"2026/1/5", 2026, 1, 5},
        {"2026.11.22", 2026, 11, 22}, {"2026年11月22日", 2026, 11, 22}, {"2026年1月5日", 2026, 1, 5},
        {"  2026-11-22 ", 2026, 11, 22}, {"２０２６－１１－２２", 2026, 11, 22},
        {"２０２６／１１／２２", 2026, 11, 22}, {"２０２６．１．５", 2026, 1, 5},
        {"\xe3\x80\x80" "2026-11-22\t", 2026, 11, 22}, {"2028-02-29", 2028, 2, 29},
        {"1970-01-01", 1970, 1, 1}, {"2199-12-31", 2199, 12, 31}, {"2026-01-05", 2026, 1, 5},
        {"2026 年 11 月 22 日", 2026, 11, 22},
        /* Excel's long date format carries the weekday; it must match. */
        {"2026年11月22日 星期日", 2026, 11, 22}, {"2026年11月22日星期日", 2026, 11, 22},
        {"2026-11-22 周日", 2026, 11, 22}, {"2026/1/5 周一", 2026, 1, 5},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int64_t d = -12345;
        if (!when_parse_date(ok[i].s, &d))
            fail_msg("rejected %s", ok[i].s);
        assert_int_equal(d, when_days_from_civil(ok[i].y, ok[i].m, ok[i].d));
    }
    static const char *const bad[] = {
        "", " ", "2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-11-00",
        "1969-12-31", "2200-01-01", "2026-11-22x", "26-11-22", "2026-11/22", "2026/11-22",
        "2026-111-22", "2026-11-222", "2026年11月22", "2026年11-22日", "2026--11-22", "11/22/2026",
        "2026-11-22 09:30", "二〇二六年十一月", "2026 11 22", "abc", "20261122",
        "2026年11月22日 星期一", "2026-11-22 周六", "2026 -11-22", "2026年11月22日 星期",
        "2026-11-22 周日 周日",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t d = 7;
        if (when_parse_date(bad[i], &d))
            fail_msg("accepted %s", bad[i]);
        assert_int_equal(d, 7); /* untouched on failure */
    }
}

/* when_2_2: datetimes with an optional time. */
static void when_2_2(void **state)
{
    (void)state;
    int64_t day = when_days_from_civil(2026, 11, 22), m;
    bool t;
    assert_true(when_parse_datetime("2026-11-22", &m, &t));
    assert_false(t);
    assert_int_equal(m, day * 1440);
    assert_true(when_parse_datetime("2026-11-22 09:30", &m, &t));
    assert_true(t);
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026/11/22 9:30", &m, &t));
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026年11月22日 9：30", &m, &t));
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026年11月22日9:30", &m, &t));
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026-11-22T23:59", &m, &t));
    assert_int_equal(m, day * 1440 + 1439);
    assert_true(when_parse_datetime("2026/11/22 9:30:00", &m, &t)); /* Excel's seconds */
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026-11-22 24:00", &m, &t));
    assert_int_equal(m, (day + 1) * 1440);
    assert_true(when_parse_datetime("２０２６－１１－２２　０９：３０", &m, &t));
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026年11月22日 星期日 9:30", &m, &t));
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_datetime("2026年11月22日 星期日", &m, &t));
    assert_false(t);
    assert_false(when_parse_datetime("2026年11月22日 星期六 9:30", &m, &t));
    assert_false(when_parse_datetime("2026-11-22 24:00:30", &m, &t));
    static const char *const bad[] = {
        "2026-11-22 9", "2026-11-22 09:60", "2026-11-22 25:00", "2026-11-229:30",
        "2026-11-22 09:30 ", "2026-11-22 09:30:61", "2026-11-22 24:01", "2026-02-30 09:00",
        "2026-11-22 09:30x", "2026-11-22 9:3",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (i == 4) { /* trailing space is trimmed, so this one is fine */
            assert_true(when_parse_datetime(bad[i], &m, &t));
            continue;
        }
        if (when_parse_datetime(bad[i], &m, &t))
            fail_msg("accepted %s", bad[i]);
    }
    assert_true(when_parse_moment("2026-11-22 09:30", &m));
    assert_int_equal(m, day * 1440 + 570);
    assert_true(when_parse_moment("2026-11-22", &m));
    assert_int_equal(m, day * 1440);
    assert_false(when_parse_moment("tomorrow", &m));
}

/* when_3_1: clocks, 24:00 only where allowed. */
static void when_3_1(void **state)
{
    (void)state;
    int m;
    static const struct { const char *s; int v; } ok[] = {
        {"9:30", 570}, {"09:30", 570}, {"9：30", 570}, {"0:00", 0}, {"23:59", 1439},
        {" 08:05 ", 485}, {"０８：０５", 485},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_true(when_parse_clock(ok[i].s, false, &m));
        assert_int_equal(m, ok[i].v);
    }
    assert_true(when_parse_clock("9:30:00", false, &m)); /* Excel time cell */
    assert_int_equal(m, 570);
    assert_true(when_parse_clock("24:00:00", true, &m));
    assert_int_equal(m, 1440);
    assert_false(when_parse_clock("24:00:01", true, &m));
    assert_false(when_parse_clock("9:30:60", false, &m));
    assert_false(when_parse_clock("9:30:0", false, &m));
    assert_false(when_parse_clock("24:00", false, &m));
    assert_true(when_parse_clock("24:00", true, &m));
    assert_int_equal(m, 1440);
    static const char *const bad[] = {"", "9", "9:3", "9:300", "123:00", "24:01", "25:00",
                                      "9:60", "-1:00", "9.30", "9:30am", "九点"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (when_parse_clock(bad[i], true, &m))
            fail_msg("accepted %s", bad[i]);
}

/* when_4_1: days — ranges, lists, Sunday spellings, 工作日/周末, mixing. */
static void when_4_1(void **state)
{
    (void)state;
    static const struct { const char *s; uint16_t mask; } ok[] = {
        {"", DAYS_ALL}, {"每天", DAYS_ALL}, {" 每天 ", DAYS_ALL},
        {"1-5", 0x1f}, {"一至五", 0x1f}, {"周一至周五", 0x1f}, {"星期一到星期五", 0x1f},
        {"周一至五", 0x1f}, {"1～5", 0x1f}, {"1 - 5", 0x1f}, {"1–5", 0x1f}, {"1—5", 0x1f},
        {"周一,周三,周五", 0x15}, {"1,3,5", 0x15}, {"1，3，5", 0x15}, {"周一、周三、周五", 0x15},
        {"1;3;5", 0x15}, {"1 3 5", 0x15}, {"周一、 周三", 0x05}, {"礼拜一", 0x01},
        {"周日", DAYS_SUN}, {"周天", DAYS_SUN}, {"星期日", DAYS_SUN}, {"星期天", DAYS_SUN},
        {"礼拜天", DAYS_SUN}, {"7", DAYS_SUN}, {"６,７", 0x60}, {"周六至周一", 0x61},
        {"工作日", DAYS_WORKDAY}, {"周末", DAYS_WEEKEND}, {"工作日,周末", DAYS_WORKDAY | DAYS_WEEKEND},
        {"1-5,7", 0x5f}, {"周一至周日", DAYS_ALL}, {"1,", 0x01}, {"周一〜周五", 0x1f},
        {"1―5", 0x1f}, {"1−5", 0x1f}, {"1‐5", 0x1f}, {"周一 到 周三", 0x07},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        uint16_t m = 0;
        if (!when_parse_days(ok[i].s, &m))
            fail_msg("rejected %s", ok[i].s);
        if (m != ok[i].mask)
            fail_msg("%s: got %#x want %#x", ok[i].s, m, ok[i].mask);
    }
    static const char *const bad[] = {
        "0", "8", "12", "工作日,周一", "周一,工作日", "周末 1", "周一周三", "周", "1-", "-5",
        "1-8", "每天,周一", "monday", "天", "七", ",", "周八", "1..5",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint16_t m = 0;
        if (when_parse_days(bad[i], &m))
            fail_msg("accepted %s (%#x)", bad[i], m);
    }
}

/* when_5_1: hours — windows, dashes, separators, overnight, limits. */
static void when_5_1(void **state)
{
    (void)state;
    struct when_window w[WHEN_MAX_WINDOWS];
    int n = -1;
    assert_true(when_parse_hours("", w, &n));
    assert_int_equal(n, 0);
    assert_true(when_parse_hours("08:00-18:00", w, &n));
    assert_int_equal(n, 1);
    assert_int_equal(w[0].from, 480);
    assert_int_equal(w[0].to, 1080);
    assert_true(when_parse_hours("20:00-02:00", w, &n));
    assert_int_equal(n, 1);
    assert_int_equal(w[0].from, 1200);
    assert_int_equal(w[0].to, 120);
    assert_true(when_parse_hours("8:00-12:00，14:00~17:30、19:00至21:00;22:00到23:00", w, &n));
    assert_int_equal(n, 4);
    assert_int_equal(w[1].from, 840);
    assert_int_equal(w[1].to, 1050);
    assert_int_equal(w[3].to, 1380);
    assert_true(when_parse_hours("08:00-12:00\n14:00-18:00", w, &n)); /* Alt+Enter */
    assert_int_equal(n, 2);
    assert_int_equal(w[1].from, 840);
    assert_true(when_parse_hours("08:00 – 12:00, 13:00—14:00", w, &n));
    assert_int_equal(n, 2);
    assert_int_equal(w[1].from, 780);
    assert_true(when_parse_hours("０８：００～１２：００", w, &n));
    assert_int_equal(w[0].to, 720);
    assert_true(when_parse_hours("18:00-24:00", w, &n));
    assert_int_equal(w[0].to, 1440);
    assert_true(when_parse_hours("18:00-00:00", w, &n)); /* until midnight */
    assert_int_equal(w[0].to, 1440);
    assert_true(when_parse_hours("00:00-24:00", w, &n));
    assert_int_equal(w[0].from, 0);
    assert_int_equal(w[0].to, 1440);
    /* Exactly WHEN_MAX_WINDOWS is fine, one more is not. */
    assert_true(when_parse_hours("1:00-1:10,2:00-2:10,3:00-3:10,4:00-4:10,"
                                 "5:00-5:10,6:00-6:10,7:00-7:10,8:00-8:10", w, &n));
    assert_int_equal(n, WHEN_MAX_WINDOWS);
    assert_int_equal(w[7].from, 480);
    n = 99;
    assert_false(when_parse_hours("1:00-1:10,2:00-2:10,3:00-3:10,4:00-4:10,"
                                  "5:00-5:10,6:00-6:10,7:00-7:10,8:00-8:10,9:00-9:10", w, &n));
    assert_int_equal(n, 99);
    static const char *const bad[] = {
        "08:00-08:00", "00:00-00:00", "24:00-02:00", "08:00", "08:00-", "-18:00", "8-18",
        "08:00-18:00x", "08:00-25:00", "08:00/18:00", "08:00-18:00-19:00", ",",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (when_parse_hours(bad[i], w, &n))
            fail_msg("accepted %s", bad[i]);
}

/* when_6_1: durations and priorities. */
static void when_6_1(void **state)
{
    (void)state;
    int s;
    static const struct { const char *s; int v; } ok[] = {
        {"", 10}, {"15", 15}, {"15秒", 15}, {"15s", 15}, {"15S", 15}, {" 15 秒 ", 15},
        {"１５", 15}, {"300", 300}, {"1", 1},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_true(when_parse_duration(ok[i].s, &s));
        assert_int_equal(s, ok[i].v);
    }
    static const char *const bad[] = {"0", "-5", "abc", "15分", "1.5", "15ss", "9999999", "s", "0秒"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (when_parse_duration(bad[i], &s))
            fail_msg("accepted %s", bad[i]);

    enum priority p;
    static const struct { const char *s; enum priority v; } pr[] = {
        {"", PRIO_NORMAL}, {"普通", PRIO_NORMAL}, {"normal", PRIO_NORMAL}, {"NORMAL", PRIO_NORMAL},
        {"重要", PRIO_HIGH}, {"High", PRIO_HIGH}, {"紧急", PRIO_URGENT}, {" urgent ", PRIO_URGENT},
        {"ＵＲＧＥＮＴ", PRIO_URGENT},
    };
    for (size_t i = 0; i < sizeof(pr) / sizeof(pr[0]); i++) {
        p = (enum priority)-1;
        assert_true(when_parse_priority(pr[i].s, &p));
        assert_int_equal(p, pr[i].v);
    }
    assert_false(when_parse_priority("很急", &p));
    assert_false(when_parse_priority("urgentt", &p));
}

/* when_7_1: formatting. */
static void when_7_1(void **state)
{
    (void)state;
    char b[64];
    int64_t day = when_days_from_civil(2026, 11, 22);
    when_format(day * 1440 + 570, b);
    assert_string_equal(b, "2026-11-22 09:30");
    when_format(0, b);
    assert_string_equal(b, "1970-01-01 00:00");
    when_format(-1, b);
    assert_string_equal(b, "1969-12-31 23:59");
    when_format(WHEN_NEVER, b); /* clamped, not overflowing */
    assert_int_equal(strlen(b), 16);
    when_format(WHEN_ALWAYS, b);
    assert_int_equal(strlen(b), 16);
    when_format_date(day, b);
    assert_string_equal(b, "2026-11-22");
    when_format_date_cn(day, b);
    assert_string_equal(b, "2026年11月22日 星期日");
    when_format_date_cn(when_days_from_civil(2026, 1, 5), b);
    assert_string_equal(b, "2026年1月5日 星期一");
    assert_string_equal(when_weekday_cn(0), "星期一");
    assert_string_equal(when_weekday_cn(6), "星期日");
    assert_string_equal(when_weekday_cn(7), "");
}

/* when_8_1: a time_t as local wall-clock minutes, in a fixed time zone. */
static void when_8_1(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    /* 2026-11-22 01:30 UTC = 09:30 in Shanghai (UTC+8, no DST). */
    int64_t t = when_days_from_civil(2026, 11, 22) * 86400 + 90 * 60;
    assert_int_equal(when_from_time_t(t), when_days_from_civil(2026, 11, 22) * 1440 + 570);
}

/* when_9_1: hours written back are the canonical form and read back to the
 * same windows (the feed stores them so and export writes them so). */
static void when_9_1(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } t[] = {
        {"", ""},
        {"8:00-18:00", "08:00-18:00"},
        {"20:00-02:00", "20:00-02:00"},
        {"07:00-09:00，18:30～24:00", "07:00-09:00,18:30-24:00"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct when_window w[WHEN_MAX_WINDOWS], w2[WHEN_MAX_WINDOWS];
        int n = 0, n2 = 0;
        assert_true(when_parse_hours(t[i].in, w, &n));
        char *s = when_format_hours(w, n);
        assert_string_equal(s, t[i].out);
        assert_true(when_parse_hours(s, w2, &n2));
        assert_int_equal(n, n2);
        assert_memory_equal(w, w2, (size_t)n * sizeof w[0]);
        free(s);
    }
    char c[6];
    when_format_clock(-1, c);
    assert_string_equal(c, "");
    when_format_clock(1440, c);
    assert_string_equal(c, "24:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(when_1_1), cmocka_unit_test(when_1_2), cmocka_unit_test(when_2_1),
        cmocka_unit_test(when_2_2), cmocka_unit_test(when_3_1), cmocka_unit_test(when_4_1),
        cmocka_unit_test(when_5_1), cmocka_unit_test(when_6_1), cmocka_unit_test(when_7_1), cmocka_unit_test(when_9_1),
        cmocka_unit_test(when_8_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
