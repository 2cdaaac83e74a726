/* lunar.h — the Chinese calendar the header shows: 农历 dates, the 24 solar
 * terms (节气) and the festivals, for 1901-01-01 … 2100-12-31, from a packed
 * table checked day by day against the Hong Kong Observatory's tables. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* Days are civil days as in when.h (days since 1970-01-01).  Only
 * LUNAR_FIRST_DAY … LUNAR_LAST_DAY are answered: every function taking a day
 * returns false (or -1, or 0) outside it and the caller shows nothing.
 * Dates are China standard time (UTC+8), as Chinese calendars print them:
 * a solar term belongs to the day on which it begins at UTC+8. */
#define LUNAR_FIRST_DAY (-25202) /* 1901-01-01 */
#define LUNAR_LAST_DAY 47846     /* 2100-12-31 */

/* Room for any text written below, NUL included. */
#define LUNAR_TEXT_MAX 96

struct lunar_date {
    int year;       /* the lunar year, numbered by the Gregorian year of its 正月初一 */
    int month;      /* 1..12 */
    bool leap;      /* a leap month (闰月), which follows the month of the same number */
    int day;        /* 1..30 */
    int month_days; /* 29 or 30: the length of this month */
};

/* The lunar date of a civil day.  False outside the range (*out untouched). */
bool lunar_from_civil(int64_t day, struct lunar_date *out);

/* The civil day of a lunar date.  False if there is no such date (a leap
 * month the year does not have, day 30 of a 29-day month, month or day out
 * of bounds) or it falls outside the range (*out untouched). */
bool lunar_to_civil(int year, int month, bool leap, int day, int64_t *out);

/* 「农历十月十五」, 「农历闰冬月初一」: months 正月 二月 … 十月 冬月 腊月, days
 * 初一 … 初十 十一 … 二十 廿一 … 廿九 三十.  d must come from lunar_from_civil. */
void lunar_format_date(const struct lunar_date *d, char buf[static LUNAR_TEXT_MAX]);
/* "正月" … "腊月" for 1..12, "初一" … "三十" for 1..30; NULL otherwise. */
const char *lunar_month_name(int month);
const char *lunar_day_name(int day);

/* 「丙午马年」: the 干支 and 生肖 of a lunar year.  The year turns at 正月初一
 * as calendars and residents count it (not at 立春 as fortune-tellers do). */
void lunar_format_year(int year, char buf[static LUNAR_TEXT_MAX]);

/* The 24 solar terms of a Gregorian year, 0 小寒 1 大寒 2 立春 … 6 清明 …
 * 23 冬至 (two per month, January to December). */
#define LUNAR_TERMS 24
#define LUNAR_TERM_QINGMING 6
/* The term that falls on a day, or -1 (none, or out of range). */
int lunar_term_on(int64_t day);
/* "小寒" … "冬至" for 0..23; NULL otherwise. */
const char *lunar_term_name(int term);
/* The day of a term in Gregorian year 1901..2100.  False otherwise. */
bool lunar_term_day(int year, int term, int64_t *day);

/* The festivals shown, in the order they are listed on one day.  Lunar ones
 * are never in a leap month (端午 is 五月初五, not 闰五月初五). */
enum lunar_festival {
    LUNAR_CHUNJIE,    /* 春节: 正月初一 */
    LUNAR_YUANXIAO,   /* 元宵节: 正月十五 */
    LUNAR_QINGMING,   /* 清明节: the day of the solar term 清明 */
    LUNAR_DUANWU,     /* 端午节: 五月初五 */
    LUNAR_QIXI,       /* 七夕: 七月初七 */
    LUNAR_ZHONGQIU,   /* 中秋节: 八月十五 */
    LUNAR_CHONGYANG,  /* 重阳节: 九月初九 */
    LUNAR_LABA,       /* 腊八节: 腊月初八 */
    LUNAR_CHUXI,      /* 除夕: the last day of the lunar year (腊月廿九 when 腊月 is short) */
    LUNAR_YUANDAN,    /* 元旦: 1月1日 */
    LUNAR_LAODONG,    /* 劳动节: 5月1日 */
    LUNAR_GUOQING,    /* 国庆节: 10月1日 */
    LUNAR_FESTIVALS
};
/* The festivals on a day as bits (1u << f); several may meet (中秋节 and
 * 国庆节 on 2020-10-01, 腊八节 and 元旦 on 2012-01-01).  0 out of range. */
unsigned lunar_festivals_on(int64_t day);
/* "春节" … "国庆节" (the names above); NULL for an unknown value. */
const char *lunar_festival_name(enum lunar_festival f);
/* A festival as staff type it: its name, or 元宵 端午 中秋 重阳 腊八 清明
 * 国庆 五一 without 节; spaces around are ignored.  False if unknown. */
bool lunar_festival_parse(const char *s, enum lunar_festival *f);
/* The first day on or after `from` on which festival f falls, for
 * 「距离春节还有 N 天」 with N = *day - from (0 on the day itself).  False if
 * `from` or that day is outside the range. */
bool lunar_next_festival(enum lunar_festival f, int64_t from, int64_t *day);

/* The header's line for a day: the lunar date, then the day's festivals,
 * then its solar term, separated by spaces — 「农历十月十五」,
 * 「农历八月十五 中秋节 国庆节」, 「农历冬月初二 冬至」 (清明 is named once, as
 * 清明节).  False outside the range (buf untouched). */
bool lunar_header_text(int64_t day, char buf[static LUNAR_TEXT_MAX]);
