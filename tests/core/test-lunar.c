/* test-lunar.c — 农历, 节气 and festivals against the Hong Kong Observatory's
 * 1901–2100 tables (tests/fixtures/lunar/hko-1901-2100.txt): every day, every
 * month boundary and every solar term, then the texts, festivals, countdowns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/lunar.h"
#include "core/when.h"

#define FIX "tests/fixtures/lunar/hko-1901-2100.txt"
#define MAX_STARTS 2600

/* The fixture, read once: each lunar month's first civil day, and the day
 * of month of each solar term per Gregorian year. */
static struct {
    int n;
    struct {
        int64_t day;
        int year, month;
        bool leap;
    } start[MAX_STARTS];
    int term[200][LUNAR_TERMS];
    int term_years;
} hko;

static int64_t civil(int y, int m, int d) { return when_days_from_civil(y, m, d); }

static void add_start(int64_t day, int year, int month, bool leap)
{
    assert_true(hko.n < MAX_STARTS);
    hko.start[hko.n].day = day;
    hko.start[hko.n].year = year;
    hko.start[hko.n].month = month;
    hko.start[hko.n].leap = leap;
    hko.n++;
}

/* The next space-separated field of the line, or "" at its end. */
static const char *field(char **save)
{
    const char *t = strtok_r(NULL, " \n", save);
    return t ? t : "";
}

static bool parse_line(char *line, int *year)
{
    char *save = NULL, *tok = strtok_r(line, " \n", &save);
    if (!tok || tok[0] == '#')
        return true;
    if (!strcmp(tok, "S")) {
        int y, m, d, month;
        if (sscanf(field(&save), "%d-%d-%d", &y, &m, &d) != 3 || sscanf(field(&save), "%d", year) != 1 ||
            sscanf(field(&save), "%d", &month) != 1)
            return false;
        add_start(civil(y, m, d), *year, month, false);
    } else if (!strcmp(tok, "M")) {
        int gy = atoi(field(&save));
        while ((tok = strtok_r(NULL, " \n", &save))) {
            int m, d, month;
            char leap = 0;
            if (sscanf(tok, "%d-%d:%d%c", &m, &d, &month, &leap) < 3)
                return false;
            if (month == 1 && leap != 'L')
                (*year)++;
            add_start(civil(gy, m, d), *year, month, leap == 'L');
        }
    } else if (!strcmp(tok, "T")) {
        int gy = atoi(field(&save));
        if (gy != 1901 + hko.term_years || hko.term_years >= 200)
            return false;
        for (int k = 0; k < LUNAR_TERMS; k++)
            if ((hko.term[gy - 1901][k] = atoi(field(&save))) <= 0)
                return false;
        hko.term_years++;
    } else {
        return false;
    }
    return true;
}

static int load_fixture(void **state)
{
    (void)state;
    FILE *f = fopen(FIX, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", FIX);
        return -1;
    }
    char line[1024];
    int year = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f))
        ok = parse_line(line, &year);
    fclose(f);
    if (!ok)
        fprintf(stderr, "%s: bad line: %s\n", FIX, line);
    return ok ? 0 : -1;
}

/* lunar_1_1: the fixture is whole (2475 months from 冬月 1900 to 腊月 2100,
 * 200 years of terms) and the range constants are 1901-01-01 and 2100-12-31. */
static void lunar_1_1(void **state)
{
    (void)state;
    assert_int_equal(hko.n, 2475);
    assert_int_equal(hko.term_years, 200);
    assert_int_equal(hko.start[0].day, civil(1900, 12, 22));
    assert_int_equal(hko.start[hko.n - 1].day, civil(2100, 12, 31));
    assert_int_equal(hko.start[hko.n - 1].month, 12);
    assert_int_equal(LUNAR_FIRST_DAY, civil(1901, 1, 1));
    assert_int_equal(LUNAR_LAST_DAY, civil(2100, 12, 31));
    for (int i = 1; i < hko.n; i++) {
        int64_t len = hko.start[i].day - hko.start[i - 1].day;
        assert_true(len == 29 || len == 30);
    }
}

/* lunar_1_2: every day 1901-01-01 … 2100-12-31 has HKO's lunar year, month,
 * leap flag and day, and its month's length; lunar_to_civil goes back. */
static void lunar_1_2(void **state)
{
    (void)state;
    int i = 0, days = 0, months = 0;
    for (int64_t d = LUNAR_FIRST_DAY; d <= LUNAR_LAST_DAY; d++) {
        while (i + 1 < hko.n && hko.start[i + 1].day <= d)
            i++;
        struct lunar_date ld;
        assert_true(lunar_from_civil(d, &ld));
        if (ld.year != hko.start[i].year || ld.month != hko.start[i].month ||
            ld.leap != hko.start[i].leap || ld.day != (int)(d - hko.start[i].day) + 1) {
            char s[11];
            when_format_date(d, s);
            fail_msg("%s: got %d-%s%d-%d, HKO %d-%s%d-%d", s, ld.year, ld.leap ? "L" : "", ld.month, ld.day,
                     hko.start[i].year, hko.start[i].leap ? "L" : "", hko.start[i].month,
                     (int)(d - hko.start[i].day) + 1);
        }
        if (i + 1 < hko.n) /* 腊月 2100 ends after the range: HKO does not say its length */
            assert_int_equal(ld.month_days, hko.start[i + 1].day - hko.start[i].day);
        if (ld.day == 1)
            months++;
        int64_t back = 0;
        assert_true(lunar_to_civil(ld.year, ld.month, ld.leap, ld.day, &back));
        assert_int_equal(back, d);
        days++;
    }
    assert_int_equal(days, 73049);
    assert_int_equal(months, hko.n - 1); /* every month but 冬月 1900 starts in range */
    printf("figure: lunar: %d days and %d month starts equal to HKO 1901-2100\n", days, months);
}

/* lunar_1_3: every solar term of 1901–2100 falls on HKO's day, and no other
 * day has one. */
static void lunar_1_3(void **state)
{
    (void)state;
    int terms = 0;
    for (int y = 1901; y <= 2100; y++)
        for (int k = 0; k < LUNAR_TERMS; k++) {
            int64_t d;
            assert_true(lunar_term_day(y, k, &d));
            assert_int_equal(d, civil(y, k / 2 + 1, hko.term[y - 1901][k]));
        }
    for (int64_t d = LUNAR_FIRST_DAY; d <= LUNAR_LAST_DAY; d++) {
        int y, m, dd, want = -1;
        when_civil_from_days(d, &y, &m, &dd);
        for (int k = 2 * (m - 1); k < 2 * m; k++)
            if (hko.term[y - 1901][k] == dd)
                want = k;
        assert_int_equal(lunar_term_on(d), want);
        terms += want >= 0;
    }
    assert_int_equal(terms, 200 * LUNAR_TERMS);
    printf("figure: lunar: %d solar-term days equal to HKO 1901-2100\n", terms);
}

static void expect_lunar(int y, int m, int d, int ly, int lm, bool leap, int lday)
{
    struct lunar_date ld;
    assert_true(lunar_from_civil(civil(y, m, d), &ld));
    assert_int_equal(ld.year, ly);
    assert_int_equal(ld.month, lm);
    assert_int_equal(ld.leap, leap);
    assert_int_equal(ld.day, lday);
}

/* lunar_1_4: the years where widely copied tables disagree, pinned to HKO
 * (the classic 1900–2100 hex table as copied before 2018, and Debian's
 * liblunar-date 3.0.1, differ here; see docs/schedule.md). */
static void lunar_1_4(void **state)
{
    (void)state;
    /* 1933: 闰五月 has 30 days; 六月 begins 07-23. */
    expect_lunar(1933, 6, 23, 1933, 5, true, 1);
    expect_lunar(1933, 7, 22, 1933, 5, true, 30);
    expect_lunar(1933, 7, 23, 1933, 6, false, 1);
    /* 1996: 五月 and 七月 have 30 days. */
    expect_lunar(1996, 7, 15, 1996, 5, false, 30);
    expect_lunar(1996, 7, 16, 1996, 6, false, 1);
    expect_lunar(1996, 9, 12, 1996, 7, false, 30);
    expect_lunar(1996, 9, 13, 1996, 8, false, 1);
    /* 2033: the leap month is 闰冬月 (not 闰七月), from 12-22; 春节 2034-02-19. */
    expect_lunar(2033, 8, 25, 2033, 8, false, 1);
    expect_lunar(2033, 11, 22, 2033, 11, false, 1);
    expect_lunar(2033, 12, 21, 2033, 11, false, 30);
    expect_lunar(2033, 12, 22, 2033, 11, true, 1);
    expect_lunar(2034, 1, 20, 2033, 12, false, 1);
    expect_lunar(2034, 2, 19, 2034, 1, false, 1);
    /* 2057: 八月 has 29 days; 九月初一 is 09-28. */
    expect_lunar(2057, 9, 27, 2057, 8, false, 29);
    expect_lunar(2057, 9, 28, 2057, 9, false, 1);
    /* 2060: 三月 has 29 days; 四月初一 is 04-30. */
    expect_lunar(2060, 4, 29, 2060, 3, false, 29);
    expect_lunar(2060, 4, 30, 2060, 4, false, 1);
    int64_t d;
    assert_false(lunar_to_civil(2033, 7, true, 1, &d));
    assert_true(lunar_to_civil(2033, 11, true, 29, &d));
    assert_int_equal(d, civil(2034, 1, 19));
    assert_false(lunar_to_civil(2033, 11, true, 30, &d)); /* 闰冬月 has 29 days */
}

/* lunar_1_5: the edges of the range; outside it nothing is answered and
 * nothing is written. */
static void lunar_1_5(void **state)
{
    (void)state;
    expect_lunar(1901, 1, 1, 1900, 11, false, 11);
    expect_lunar(1901, 2, 18, 1900, 12, false, 30);
    expect_lunar(1901, 2, 19, 1901, 1, false, 1);
    expect_lunar(2100, 12, 31, 2100, 12, false, 1);
    struct lunar_date ld = {.year = -7};
    assert_false(lunar_from_civil(LUNAR_FIRST_DAY - 1, &ld));
    assert_false(lunar_from_civil(LUNAR_LAST_DAY + 1, &ld));
    assert_false(lunar_from_civil(INT64_MIN, &ld));
    assert_false(lunar_from_civil(INT64_MAX, &ld));
    assert_int_equal(ld.year, -7);
    int64_t d = 42;
    assert_false(lunar_to_civil(1900, 10, false, 1, &d)); /* before 1901-01-01 */
    assert_false(lunar_to_civil(2100, 12, false, 2, &d)); /* 2101-01-01 */
    assert_false(lunar_to_civil(2101, 1, false, 1, &d));
    assert_false(lunar_to_civil(2026, 0, false, 1, &d));
    assert_false(lunar_to_civil(2026, 13, false, 1, &d));
    assert_false(lunar_to_civil(2026, 1, false, 0, &d));
    assert_false(lunar_to_civil(2026, 1, false, 31, &d));
    assert_false(lunar_to_civil(2026, 6, true, 1, &d)); /* 2026 has no leap month */
    assert_int_equal(d, 42);
    assert_int_equal(lunar_term_on(LUNAR_FIRST_DAY - 1), -1);
    assert_int_equal(lunar_term_on(LUNAR_LAST_DAY + 1), -1);
    assert_false(lunar_term_day(1900, 0, &d));
    assert_false(lunar_term_day(2101, 0, &d));
    assert_false(lunar_term_day(2026, -1, &d));
    assert_false(lunar_term_day(2026, LUNAR_TERMS, &d));
    assert_int_equal(d, 42);
    assert_int_equal(lunar_festivals_on(LUNAR_FIRST_DAY - 1), 0);
    assert_int_equal(lunar_festivals_on(LUNAR_LAST_DAY + 1), 0);
    char buf[LUNAR_TEXT_MAX] = "unchanged";
    assert_false(lunar_header_text(LUNAR_LAST_DAY + 1, buf));
    assert_string_equal(buf, "unchanged");
}

static void expect_text(int y, int m, int d, const char *want)
{
    struct lunar_date ld;
    char buf[LUNAR_TEXT_MAX];
    assert_true(lunar_from_civil(civil(y, m, d), &ld));
    lunar_format_date(&ld, buf);
    assert_string_equal(buf, want);
}

/* lunar_2_1: dates and years as calendars print them. */
static void lunar_2_1(void **state)
{
    (void)state;
    expect_text(2026, 11, 22, "农历十月十四");
    expect_text(2026, 11, 23, "农历十月十五");
    expect_text(2026, 2, 17, "农历正月初一");
    expect_text(2026, 2, 16, "农历腊月廿九");
    expect_text(2025, 12, 21, "农历冬月初二");
    expect_text(2033, 12, 22, "农历闰冬月初一");
    expect_text(2025, 7, 25, "农历闰六月初一");
    expect_text(2023, 4, 19, "农历闰二月廿九");
    expect_text(2023, 4, 20, "农历三月初一");
    expect_text(2024, 3, 29, "农历二月二十");
    expect_text(2024, 3, 30, "农历二月廿一");
    expect_text(2024, 2, 18, "农历正月初九");
    expect_text(2024, 2, 19, "农历正月初十");
    expect_text(2024, 2, 20, "农历正月十一");
    const char *months = "正月二月三月四月五月六月七月八月九月十月冬月腊月";
    for (int m = 1; m <= 12; m++)
        assert_memory_equal(lunar_month_name(m), months + 6 * (m - 1), 6);
    assert_null(lunar_month_name(0));
    assert_null(lunar_month_name(13));
    assert_string_equal(lunar_day_name(1), "初一");
    assert_string_equal(lunar_day_name(10), "初十");
    assert_string_equal(lunar_day_name(20), "二十");
    assert_string_equal(lunar_day_name(29), "廿九");
    assert_string_equal(lunar_day_name(30), "三十");
    assert_null(lunar_day_name(0));
    assert_null(lunar_day_name(31));
    char buf[LUNAR_TEXT_MAX];
    struct { int year; const char *text; } years[] = {
        {2026, "丙午马年"}, {2025, "乙巳蛇年"}, {2024, "甲辰龙年"}, {1984, "甲子鼠年"},
        {1901, "辛丑牛年"}, {1900, "庚子鼠年"}, {2033, "癸丑牛年"}, {2100, "庚申猴年"},
        {2031, "辛亥猪年"}, {2029, "己酉鸡年"},
    };
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        lunar_format_year(years[i].year, buf);
        assert_string_equal(buf, years[i].text);
    }
    /* The year turns at 春节: 2026-02-16 is still 乙巳. */
    struct lunar_date ld;
    assert_true(lunar_from_civil(civil(2026, 2, 16), &ld));
    assert_int_equal(ld.year, 2025);
}

/* lunar_2_2: solar-term names and a few days from printed calendars. */
static void lunar_2_2(void **state)
{
    (void)state;
    const char *names = "小寒大寒立春雨水惊蛰春分清明谷雨立夏小满芒种夏至"
                        "小暑大暑立秋处暑白露秋分寒露霜降立冬小雪大雪冬至";
    for (int k = 0; k < LUNAR_TERMS; k++)
        assert_memory_equal(lunar_term_name(k), names + 6 * k, 6);
    assert_null(lunar_term_name(-1));
    assert_null(lunar_term_name(LUNAR_TERMS));
    assert_string_equal(lunar_term_name(lunar_term_on(civil(2025, 12, 21))), "冬至");
    assert_string_equal(lunar_term_name(lunar_term_on(civil(2026, 4, 5))), "清明");
    assert_string_equal(lunar_term_name(lunar_term_on(civil(2026, 2, 4))), "立春");
    assert_string_equal(lunar_term_name(lunar_term_on(civil(2026, 11, 22))), "小雪");
    assert_int_equal(lunar_term_on(civil(2026, 11, 23)), -1);
}

static void expect_festivals(int y, int m, int d, unsigned want)
{
    assert_int_equal(lunar_festivals_on(civil(y, m, d)), want);
}

#define F(x) (1u << LUNAR_##x)

/* lunar_3_1: festivals of 2026 (丙午) as calendars list them, days where two
 * meet, and 除夕 both on 腊月三十 and on 腊月廿九. */
static void lunar_3_1(void **state)
{
    (void)state;
    expect_festivals(2026, 1, 1, F(YUANDAN));
    expect_festivals(2026, 1, 26, F(LABA));
    expect_festivals(2026, 2, 16, F(CHUXI)); /* 腊月廿九: 腊月 of 乙巳 has 29 days */
    expect_festivals(2026, 2, 17, F(CHUNJIE));
    expect_festivals(2026, 3, 3, F(YUANXIAO));
    expect_festivals(2026, 4, 5, F(QINGMING));
    expect_festivals(2026, 5, 1, F(LAODONG));
    expect_festivals(2026, 6, 19, F(DUANWU));
    expect_festivals(2026, 8, 19, F(QIXI));
    expect_festivals(2026, 9, 25, F(ZHONGQIU));
    expect_festivals(2026, 10, 1, F(GUOQING));
    expect_festivals(2026, 10, 18, F(CHONGYANG));
    expect_festivals(2026, 11, 22, 0);
    expect_festivals(2027, 1, 15, F(LABA));
    expect_festivals(2027, 2, 5, F(CHUXI)); /* 腊月廿九 again */
    expect_festivals(2027, 2, 6, F(CHUNJIE));
    expect_festivals(2024, 2, 9, F(CHUXI)); /* 腊月三十 */
    expect_festivals(2020, 10, 1, F(ZHONGQIU) | F(GUOQING));
    expect_festivals(2012, 1, 1, F(LABA) | F(YUANDAN));
    /* Not in a leap month: 2020 has 闰四月, 2009 has 闰五月. */
    expect_festivals(2020, 6, 25, F(DUANWU));
    expect_festivals(2009, 5, 28, F(DUANWU));
    expect_festivals(2009, 6, 27, 0); /* 闰五月初五 */
    char buf[LUNAR_TEXT_MAX];
    assert_true(lunar_header_text(civil(2020, 10, 1), buf));
    assert_string_equal(buf, "农历八月十五 中秋节 国庆节");
    assert_true(lunar_header_text(civil(2026, 4, 5), buf));
    assert_string_equal(buf, "农历二月十八 清明节");
    assert_true(lunar_header_text(civil(2025, 12, 21), buf));
    assert_string_equal(buf, "农历冬月初二 冬至");
    assert_true(lunar_header_text(civil(2026, 11, 23), buf));
    assert_string_equal(buf, "农历十月十五");
    assert_true(lunar_header_text(civil(2026, 2, 16), buf));
    assert_string_equal(buf, "农历腊月廿九 除夕");
    assert_true(lunar_header_text(civil(1909, 1, 21), buf));
    assert_string_equal(buf, "农历腊月三十 除夕 大寒");
    assert_string_equal(lunar_festival_name(LUNAR_CHUNJIE), "春节");
    assert_string_equal(lunar_festival_name(LUNAR_GUOQING), "国庆节");
    assert_null(lunar_festival_name(LUNAR_FESTIVALS));
}

/* lunar_3_2: over every day of the range, each festival is where its rule
 * puts it — computed here from HKO's months and terms, not from lunar.c —
 * once a year. */
static void lunar_3_2(void **state)
{
    (void)state;
    static const struct { int f, lm, ld, m, d; } rule[] = {
        {LUNAR_CHUNJIE, 1, 1, 0, 0},   {LUNAR_YUANXIAO, 1, 15, 0, 0}, {LUNAR_DUANWU, 5, 5, 0, 0},
        {LUNAR_QIXI, 7, 7, 0, 0},      {LUNAR_ZHONGQIU, 8, 15, 0, 0}, {LUNAR_CHONGYANG, 9, 9, 0, 0},
        {LUNAR_LABA, 12, 8, 0, 0},     {LUNAR_YUANDAN, 0, 0, 1, 1},   {LUNAR_LAODONG, 0, 0, 5, 1},
        {LUNAR_GUOQING, 0, 0, 10, 1},
    };
    int count[LUNAR_FESTIVALS] = {0};
    int i = 0;
    for (int64_t d = LUNAR_FIRST_DAY; d <= LUNAR_LAST_DAY; d++) {
        while (i + 1 < hko.n && hko.start[i + 1].day <= d)
            i++;
        int lday = (int)(d - hko.start[i].day) + 1, y, m, dd;
        when_civil_from_days(d, &y, &m, &dd);
        unsigned want = 0;
        for (size_t r = 0; r < sizeof rule / sizeof rule[0]; r++)
            if (rule[r].lm ? !hko.start[i].leap && hko.start[i].month == rule[r].lm && lday == rule[r].ld
                           : m == rule[r].m && dd == rule[r].d)
                want |= 1u << rule[r].f;
        if (hko.term[y - 1901][LUNAR_TERM_QINGMING] == dd && m == 4)
            want |= F(QINGMING);
        /* 除夕: the next day is 正月初一. */
        if (i + 1 < hko.n && hko.start[i + 1].day == d + 1 && hko.start[i + 1].month == 1 &&
            !hko.start[i + 1].leap)
            want |= F(CHUXI);
        unsigned got = lunar_festivals_on(d);
        if (got != want) {
            char s[11];
            when_format_date(d, s);
            fail_msg("%s: festivals %#x, want %#x", s, got, want);
        }
        for (int f = 0; f < LUNAR_FESTIVALS; f++)
            count[f] += !!(got & 1u << f);
    }
    for (int f = 0; f < LUNAR_FESTIVALS; f++)
        assert_int_equal(count[f], 200);
}

/* lunar_3_3: countdowns — the next 春节 and others, 0 days on the day, and
 * nothing when the next one is after 2100. */
static void lunar_3_3(void **state)
{
    (void)state;
    int64_t d;
    int64_t from = civil(2026, 11, 22);
    assert_true(lunar_next_festival(LUNAR_CHUNJIE, from, &d));
    assert_int_equal(d, civil(2027, 2, 6));
    assert_int_equal(d - from, 76); /* 距离春节还有 76 天 */
    assert_true(lunar_next_festival(LUNAR_CHUNJIE, civil(2026, 2, 17), &d));
    assert_int_equal(d, civil(2026, 2, 17));
    assert_true(lunar_next_festival(LUNAR_CHUNJIE, civil(2026, 2, 18), &d));
    assert_int_equal(d, civil(2027, 2, 6));
    assert_true(lunar_next_festival(LUNAR_CHUXI, civil(2026, 1, 1), &d));
    assert_int_equal(d, civil(2026, 2, 16));
    assert_true(lunar_next_festival(LUNAR_LABA, civil(2026, 1, 27), &d));
    assert_int_equal(d, civil(2027, 1, 15));
    assert_true(lunar_next_festival(LUNAR_ZHONGQIU, from, &d));
    assert_int_equal(d, civil(2027, 9, 15));
    assert_true(lunar_next_festival(LUNAR_QINGMING, from, &d));
    assert_int_equal(d, civil(2027, 4, 5));
    assert_true(lunar_next_festival(LUNAR_YUANDAN, from, &d));
    assert_int_equal(d, civil(2027, 1, 1));
    assert_true(lunar_next_festival(LUNAR_GUOQING, civil(2026, 10, 1), &d));
    assert_int_equal(d, civil(2026, 10, 1));
    assert_true(lunar_next_festival(LUNAR_LABA, LUNAR_FIRST_DAY, &d));
    assert_int_equal(d, civil(1901, 1, 27));
    assert_true(lunar_next_festival(LUNAR_CHUNJIE, civil(2100, 2, 9), &d));
    assert_int_equal(d, civil(2100, 2, 9));
    d = 42;
    assert_false(lunar_next_festival(LUNAR_CHUNJIE, civil(2100, 2, 10), &d)); /* 2101 */
    assert_false(lunar_next_festival(LUNAR_CHUXI, civil(2100, 2, 10), &d));
    assert_false(lunar_next_festival(LUNAR_YUANDAN, civil(2100, 1, 2), &d));
    assert_false(lunar_next_festival(LUNAR_CHUNJIE, LUNAR_FIRST_DAY - 1, &d));
    assert_false(lunar_next_festival(LUNAR_FESTIVALS, from, &d));
    assert_int_equal(d, 42);

    /* Property: walking back from the end, the next occurrence of each
     * festival is known; lunar_next_festival must give exactly it. */
    int64_t next[LUNAR_FESTIVALS];
    for (int f = 0; f < LUNAR_FESTIVALS; f++)
        next[f] = INT64_MAX;
    for (int64_t day = LUNAR_LAST_DAY; day >= LUNAR_FIRST_DAY; day--) {
        unsigned bits = lunar_festivals_on(day);
        for (int f = 0; f < LUNAR_FESTIVALS; f++) {
            if (bits & 1u << f)
                next[f] = day;
            bool ok = lunar_next_festival((enum lunar_festival)f, day, &d);
            if (next[f] == INT64_MAX) {
                assert_false(ok);
            } else {
                assert_true(ok);
                assert_int_equal(d, next[f]);
            }
        }
    }
}

/* lunar_3_4: festival names as staff type them. */
static void lunar_3_4(void **state)
{
    (void)state;
    static const struct { const char *s; int f; } ok[] = {
        {"春节", LUNAR_CHUNJIE},   {"元宵", LUNAR_YUANXIAO},   {"元宵节", LUNAR_YUANXIAO},
        {"清明", LUNAR_QINGMING},  {"清明节", LUNAR_QINGMING}, {"端午", LUNAR_DUANWU},
        {"端午节", LUNAR_DUANWU},  {"七夕", LUNAR_QIXI},       {"七夕节", LUNAR_QIXI},
        {"中秋", LUNAR_ZHONGQIU},  {"中秋节", LUNAR_ZHONGQIU}, {"重阳节", LUNAR_CHONGYANG},
        {"腊八", LUNAR_LABA},      {"腊八节", LUNAR_LABA},     {"除夕", LUNAR_CHUXI},
        {"元旦", LUNAR_YUANDAN},   {"劳动节", LUNAR_LAODONG},  {"五一", LUNAR_LAODONG},
        {"国庆", LUNAR_GUOQING},   {"国庆节", LUNAR_GUOQING},  {" 春节 ", LUNAR_CHUNJIE},
        {"\u3000中秋节\u3000", LUNAR_ZHONGQIU}, {"\t除夕\r\n", LUNAR_CHUXI},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        enum lunar_festival f = LUNAR_FESTIVALS;
        assert_true(lunar_festival_parse(ok[i].s, &f));
        assert_int_equal(f, ok[i].f);
    }
    const char *bad[] = {"", " ", "\u3000", "春", "春节快乐", "中秋节节", "Spring", "冬至", "春 节"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum lunar_festival f = LUNAR_FESTIVALS;
        assert_false(lunar_festival_parse(bad[i], &f));
        assert_int_equal(f, LUNAR_FESTIVALS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lunar_1_1), cmocka_unit_test(lunar_1_2), cmocka_unit_test(lunar_1_3),
        cmocka_unit_test(lunar_1_4), cmocka_unit_test(lunar_1_5), cmocka_unit_test(lunar_2_1),
        cmocka_unit_test(lunar_2_2), cmocka_unit_test(lunar_3_1), cmocka_unit_test(lunar_3_2),
        cmocka_unit_test(lunar_3_3), cmocka_unit_test(lunar_3_4),
    };
    return cmocka_run_group_tests(tests, load_fixture, NULL);
}
