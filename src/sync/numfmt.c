/* numfmt.c — spreadsheet number formats: which format codes show dates
 * and times, and cell values (serial numbers, ISO dates, plain numbers) as
 * the canonical text the bundle validator reads. */
#include "sync/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Appends v in decimal with at least `width` digits (zero-padded): the
 * reader formats a few per cell, where printf would be most of its cost. */
static void add_uint(struct sbuf *b, uint64_t v, int width)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        t[n++] = '0';
    char o[24];
    for (int i = 0; i < n; i++)
        o[i] = t[n - 1 - i];
    sbuf_add(b, o, (size_t)n);
}

static void add_ymd(struct sbuf *b, int64_t y, unsigned m, unsigned d)
{
    if (y < 0) {
        sbuf_addc(b, '-');
        y = -y;
    }
    add_uint(b, (uint64_t)y, 4);
    sbuf_addc(b, '-');
    add_uint(b, m, 2);
    sbuf_addc(b, '-');
    add_uint(b, d, 2);
}

/* "HH:MM" from minutes (hours may pass 24 for elapsed times). */
static void add_hm(struct sbuf *b, int64_t mins)
{
    add_uint(b, (uint64_t)(mins / 60), 2);
    sbuf_addc(b, ':');
    add_uint(b, (uint64_t)(mins % 60), 2);
}

/* The shortest decimal that rounds to v at 15 significant digits (what
 * Excel keeps): 15, 3.5, 0.3 for 0.1+0.2.  From 1E+15 (more digits than
 * Excel keeps: an 18-digit ID typed as a number has lost its last ones)
 * and below 1E-9, the exponent form Excel shows ("1.23456789012346E+17"). */
void numfmt_number(struct sbuf *b, double v)
{
    if (v == 0) {
        sbuf_addc(b, '0');
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) { /* whole: exact, and the common case */
        if (v < 0)
            sbuf_addc(b, '-');
        add_uint(b, (uint64_t)fabs(v), 1);
        return;
    }
    char e[40];
    snprintf(e, sizeof e, "%.14e", v); /* "-d.dddddddddddddde+XX" */
    const char *p = e;
    bool neg = *p == '-';
    if (neg)
        p++;
    char dig[16];
    size_t nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            dig[nd++] = *p;
    int ex = atoi(p + 1);
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (neg)
        sbuf_addc(b, '-');
    if (ex >= 15 || ex < -9) {
        sbuf_addc(b, dig[0]);
        if (nd > 1) {
            sbuf_addc(b, '.');
            sbuf_add(b, dig + 1, nd - 1);
        }
        sbuf_addf(b, "E%c%02d", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
    } else if (ex < 0) {
        sbuf_adds(b, "0.");
        for (int i = -1; i > ex; i--)
            sbuf_addc(b, '0');
        sbuf_add(b, dig, nd);
    } else {
        for (int i = 0; i <= ex; i++)
            sbuf_addc(b, (size_t)i < nd ? dig[i] : '0');
        if (nd > (size_t)ex + 1) {
            sbuf_addc(b, '.');
            sbuf_add(b, dig + ex + 1, nd - (size_t)ex - 1);
        }
    }
}

/* Days since 1970-01-01 → civil date (H. Hinnant's days_from_civil inverse). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The date of serial day n ("2026-11-22"), in the 1900 system with its
 * phantom 1900-02-29 (day 60; day 0 shows as 1900-01-00, as in Excel) or
 * the 1904 system. */
static void add_date(struct sbuf *b, int64_t n, bool d1904)
{
    if (!d1904 && n == 60) {
        sbuf_adds(b, "1900-02-29");
        return;
    }
    if (!d1904 && n == 0) {
        sbuf_adds(b, "1900-01-00");
        return;
    }
    int64_t unix_days = d1904 ? n - 24107 : n < 60 ? n - 25568 : n - 25569;
    int64_t y;
    unsigned m, d;
    civil(unix_days, &y, &m, &d);
    add_ymd(b, y, m, d);
}

/* Formats serial v by its number format into b; returns the cell type.
 * Outside Excel's date range (it shows "#####") the number stays a number. */
enum cell_type numfmt_serial(struct sbuf *b, double v, enum numfmt_class fc, bool d1904)
{
    double max = d1904 ? 2957003.0 : 2958465.0; /* 9999-12-31 */
    if (fc == NUMFMT_NONE || v < 0 || v >= max + 1) {
        numfmt_number(b, v);
        return CELL_NUMBER;
    }
    if (fc == NUMFMT_DATE) {
        int64_t ms = llround(v * 86400000.0);
        add_date(b, floor_div(ms, 86400000), d1904);
        return CELL_DATE;
    }
    int64_t mins = llround(v * 1440.0);
    if (fc == NUMFMT_ELAPSED) {
        add_hm(b, mins);
        return CELL_TIME;
    }
    int64_t day = mins / 1440, mod = mins % 1440;
    if (fc == NUMFMT_TIME && mod == 0 && mins > 0 && v < (double)day) {
        /* 23:59:40 rounds up to the end of its day, not to its start. */
        sbuf_adds(b, "24:00");
        return CELL_TIME;
    }
    if (fc == NUMFMT_DATETIME) {
        add_date(b, day, d1904);
        sbuf_addc(b, ' ');
    }
    add_hm(b, mod);
    return fc == NUMFMT_DATETIME ? CELL_DATETIME : CELL_TIME;
}

/* n decimal digits at *s into *v (advancing *s); false if not digits. */
static bool digits(const char **s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return false;
        *v = *v * 10 + (**s - '0');
    }
    return true;
}

/* t="d" cells: ISO 8601 "2026-11-22", "2026-11-22T09:30:00[.000][Z|+08:00]",
 * "09:30:00".  Formatted by the cell's number format, else as a date or a
 * date-time.  Returns the cell type, or -1 when the text is not such a date. */
int numfmt_iso(struct sbuf *b, const char *s, enum numfmt_class fc)
{
    int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
    bool has_date = false, has_time = false;
    if (strlen(s) >= 10 && s[4] == '-') {
        if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
            !digits(&s, 2, &d))
            return -1;
        has_date = true;
        if (*s == 'T' || *s == ' ')
            s++;
    }
    if (*s) {
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
            return -1;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &sec))
                return -1;
            if (*s == '.')
                for (s++; *s >= '0' && *s <= '9'; s++) {
                }
        }
        has_time = true;
        if (*s == 'Z')
            s++;
        else if ((*s == '+' || *s == '-') && strlen(s) == 6 && s[3] == ':')
            s += 6; /* an offset: the wall time is what staff typed */
    }
    if (*s || (!has_date && !has_time) || (has_date && y < 1) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        h > 23 || mi > 59 || sec > 60)
        return -1;
    bool time_of_day = h || mi || sec;
    int64_t day = has_date ? days_from_civil(y, (unsigned)mo, (unsigned)d) : 0;
    int64_t mins = (int64_t)h * 60 + mi + (sec >= 30);
    day += mins / 1440;
    mins %= 1440;
    if (!has_date)
        fc = NUMFMT_TIME;
    else if (fc == NUMFMT_NONE || fc == NUMFMT_ELAPSED)
        fc = time_of_day ? NUMFMT_DATETIME : NUMFMT_DATE;
    if (fc == NUMFMT_DATE || fc == NUMFMT_DATETIME) {
        int64_t yy;
        unsigned m, dd;
        civil(day, &yy, &m, &dd);
        add_ymd(b, yy, m, dd);
        if (fc == NUMFMT_DATE)
            return CELL_DATE;
        sbuf_addc(b, ' ');
    }
    add_hm(b, mins);
    return fc == NUMFMT_DATETIME ? CELL_DATETIME : CELL_TIME;
}

/* Whether a number format code shows a date, a time or both: y/d/e/aaa (and
 * 年 月 日) are dates; h, s, AM/PM, 上午/下午 (and 时 分 秒) times; m is a
 * month unless the format has time parts (then minutes).  Only the first
 * section counts; quoted text, \x escapes, _x and *x, and [..] sections
 * ([Red], [$-804]; but [h] [mm] [ss] are elapsed time) are skipped. */
enum numfmt_class numfmt_classify(const char *s)
{
    bool date = false, time = false, month = false, elapsed = false;
    while (*s && *s != ';') {
        unsigned char c = (unsigned char)*s;
        if (c == '"') {
            const char *q = strchr(s + 1, '"');
            s = q ? q + 1 : s + strlen(s);
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            s++;
            if (*s) {
                uint32_t cp;
                size_t k = utf8_decode(s, strlen(s), &cp);
                s += k ? k : 1;
            }
            continue;
        }
        if (c == '[') {
            const char *q = strchr(s, ']');
            if (!q)
                break;
            size_t k = (size_t)(q - s - 1);
            char f = (char)(s[1] | 0x20);
            bool same = k > 0 && (f == 'h' || f == 'm' || f == 's');
            for (size_t i = 1; same && i <= k; i++)
                same = (s[i] | 0x20) == f;
            if (same)
                elapsed = time = true;
            s = q + 1;
            continue;
        }
        if (strncasecmp(s, "general", 7) == 0) {
            s += 7;
            continue;
        }
        if (strncmp(s, "G/通用格式", strlen("G/通用格式")) == 0) {
            s += strlen("G/通用格式"); /* "General" in Chinese Excel and WPS */
            continue;
        }
        if (strncasecmp(s, "am/pm", 5) == 0 || strncasecmp(s, "a/p", 3) == 0) {
            time = true;
            s += (s[1] == '/') ? 3 : 5;
            continue;
        }
        if ((c == 'e' || c == 'E') && (s[1] == '+' || s[1] == '-')) {
            s += 2; /* scientific: 0.00E+00 */
            continue;
        }
        if (c >= 0x80) {
            static const char *const dates[] = {"年", "月", "日"};
            static const char *const times[] = {"时", "分", "秒", "上午", "下午"};
            for (size_t i = 0; i < ARRAY_LEN(dates); i++)
                if (strncmp(s, dates[i], strlen(dates[i])) == 0)
                    date = true;
            for (size_t i = 0; i < ARRAY_LEN(times); i++)
                if (strncmp(s, times[i], strlen(times[i])) == 0)
                    time = true;
            uint32_t cp;
            size_t k = utf8_decode(s, strlen(s), &cp);
            s += k ? k : 1;
            continue;
        }
        switch (c | 0x20) {
        case 'y': case 'd': case 'e': case 'a': date = true; break; /* aaaa: 星期日 */
        case 'h': case 's': time = true; break;
        case 'm': month = true; break;
        default: break;
        }
        s++;
    }
    if (month && !time)
        date = true;
    if (date && time)
        return NUMFMT_DATETIME;
    if (date)
        return NUMFMT_DATE;
    if (time)
        return elapsed ? NUMFMT_ELAPSED : NUMFMT_TIME;
    return NUMFMT_NONE;
}

/* Built-in formats (ECMA-376 §18.8.30, and the zh-CN ones WPS and Excel use). */
enum numfmt_class numfmt_builtin(uint32_t id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
        id == 57 || id == 58)
        return NUMFMT_DATE;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || id == 45 || id == 47 || id == 55 ||
        id == 56)
        return NUMFMT_TIME;
    if (id == 22)
        return NUMFMT_DATETIME;
    if (id == 46)
        return NUMFMT_ELAPSED;
    return NUMFMT_NONE;
}

