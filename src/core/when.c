/* when.c — civil-day arithmetic and the parsers for every date, time, day
 * and hour form staff type into a spreadsheet.  Inputs are first folded to
 * ASCII where a full-width form exists (２０２６／１１／２２, ０９：３０), so each
 * grammar below is written once, over half-width text. */
#include "core/when.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"

/* ---------------------------------------------------------- day numbers */

/* Days since 1970-01-01 in the proleptic Gregorian calendar.  The year is
 * counted from March so the leap day falls last; 400-year eras of 146097
 * days then make the count a closed formula (Hinnant's civil-days method). */
int64_t when_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                         /* 0..399 */
    int64_t mp = m > 2 ? m - 3 : m + 9;                   /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;             /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
    return era * 146097 + doe - 719468;                   /* 719468: 0000-03-01 → 1970-01-01 */
}

void when_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

int when_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

bool when_valid_date(int y, int m, int d)
{
    /* 1970..2199: anything outside is a typo on a lobby board. */
    return y >= 1970 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* ---------------------------------------------------------- lexing */

/* Inputs longer than this cannot be a date, day list or hour list. */
#define NORM_MAX 512

/* Copies s into out with full-width ASCII forms (U+FF01..FF5E) folded to
 * ASCII, U+3000, U+00A0, tabs and line breaks to a space, and surrounding
 * spaces trimmed.
 * False when s is not UTF-8 or too long. */
static bool normalise(const char *s, char out[static NORM_MAX])
{
    size_t n = strlen(s), i = 0, o = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k)
            return false;
        if (cp >= 0xff01 && cp <= 0xff5e) {
            cp -= 0xfee0;
        } else if (cp == 0x3000 || cp == 0xa0 || cp == '\t' || cp == '\r' || cp == '\n') {
            /* Line breaks too: staff put one window per line (Alt+Enter). */
            cp = ' ';
        }
        if (cp < 0x80) {
            if (o + 1 >= NORM_MAX)
                return false;
            out[o++] = (char)cp;
        } else {
            if (o + k >= NORM_MAX)
                return false;
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    size_t a = 0;
    while (out[a] == ' ')
        a++;
    while (o > a && out[o - 1] == ' ')
        o--;
    memmove(out, out + a, o - a);
    out[o - a] = '\0';
    return true;
}

static void skip_spaces(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

/* Consumes the literal w at *p if it is there. */
static bool eat(const char **p, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(*p, w, n) != 0)
        return false;
    *p += n;
    return true;
}

/* Reads min..max decimal digits (no more may follow). */
static bool digits(const char **p, int min, int max, int *v)
{
    int n = 0, x = 0;
    while ((*p)[n] >= '0' && (*p)[n] <= '9') {
        if (n == max)
            return false;
        x = x * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n < min)
        return false;
    *p += n;
    *v = x;
    return true;
}

/* A range dash: - ~ (full-width folded already), the dashes Chinese input
 * methods produce (‐ – — ― − 〜), 至, 到. */
static bool eat_dash(const char **p)
{
    static const char *const dashes[] = {"-", "~", "\u2010", "\u2013", "\u2014", "\u2015",
                                         "\u2212", "\u301c", "\u81f3" /* 至 */, "\u5230" /* 到 */};
    for (size_t i = 0; i < ARRAY_LEN(dashes); i++)
        if (eat(p, dashes[i]))
            return true;
    return false;
}

/* ---------------------------------------------------------- dates, clocks */

/* Y-M-D, Y/M/D, Y.M.D (one separator throughout) or Y年M月D日. */
static bool parse_date_at(const char **pp, int64_t *days)
{
    const char *p = *pp;
    int y, m, d;
    if (!digits(&p, 4, 4, &y))
        return false;
    skip_spaces(&p);
    if (eat(&p, "\u5e74")) { /* 年; "2026 年 11 月 22 日" is typed too */
        skip_spaces(&p);
        if (!digits(&p, 1, 2, &m))
            return false;
        skip_spaces(&p);
        if (!eat(&p, "\u6708")) /* 月 */
            return false;
        skip_spaces(&p);
        if (!digits(&p, 1, 2, &d))
            return false;
        skip_spaces(&p);
        if (!eat(&p, "\u65e5")) /* 日 */
            return false;
    } else {
        if (p != *pp + 4)
            return false; /* spaces only around 年月日 */
        char sep = *p;
        if (sep != '-' && sep != '/' && sep != '.')
            return false;
        p++;
        if (!digits(&p, 1, 2, &m) || *p != sep)
            return false;
        p++;
        if (!digits(&p, 1, 2, &d))
            return false;
    }
    if (!when_valid_date(y, m, d))
        return false;
    *days = when_days_from_civil(y, m, d);
    *pp = p;
    return true;
}

static int parse_weekday_at(const char **pp);

/* Excel's long date format appends the weekday ("2026年11月22日 星期日").
 * Accepted only with a prefix and only when it is that date's weekday: a
 * mismatch means one of the two is a typo, and we cannot tell which. */
static bool eat_weekday_suffix(const char **pp, int64_t days)
{
    const char *p = *pp;
    skip_spaces(&p);
    if (strncmp(p, "\u5468", 3) && strncmp(p, "\u661f\u671f", 6) && strncmp(p, "\u793c\u62dc", 6))
        return true; /* none: fine */
    if (parse_weekday_at(&p) != when_weekday(days))
        return false;
    *pp = p;
    return true;
}

/* H:MM or HH:MM; 24:00 only with allow_24.  Seconds are not part of it. */
static bool parse_clock_at(const char **pp, bool allow_24, int *minute)
{
    const char *p = *pp;
    int h, m;
    if (!digits(&p, 1, 2, &h) || !eat(&p, ":") || !digits(&p, 2, 2, &m))
        return false;
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
        return false;
    *minute = h * 60 + m;
    *pp = p;
    return true;
}

bool when_parse_date(const char *s, int64_t *days)
{
    char b[NORM_MAX];
    const char *p = b;
    int64_t d;
    if (!normalise(s, b) || !parse_date_at(&p, &d) || !eat_weekday_suffix(&p, d) || *p)
        return false;
    *days = d;
    return true;
}

/* The time may follow the date after spaces or a 'T' (ISO), or directly
 * after 日; a ":SS" that Excel adds to date-time cells is accepted and
 * dropped.  24:00 is accepted: it is the next day's 00:00, handy for ends. */
bool when_parse_datetime(const char *s, int64_t *minutes, bool *has_time)
{
    char b[NORM_MAX];
    const char *p = b;
    int64_t d;
    if (!normalise(s, b) || !parse_date_at(&p, &d))
        return false;
    const char *date_end = p;
    if (!eat_weekday_suffix(&p, d))
        return false;
    if (!*p) {
        *minutes = d * WHEN_MIN_PER_DAY;
        *has_time = false;
        return true;
    }
    /* Glued on only after 日 (or a weekday); "2026-11-229:30" is a typo. */
    bool after_ri = p != date_end || strncmp(p - 3, "\u65e5", 3) == 0;
    if (*p == 'T') {
        p++;
    } else if (*p == ' ') {
        skip_spaces(&p);
    } else if (!after_ri) {
        return false;
    }
    int min, sec;
    if (!parse_clock_at(&p, true, &min))
        return false;
    if (eat(&p, ":") && (!digits(&p, 2, 2, &sec) || sec > 59 || (min == WHEN_MIN_PER_DAY && sec)))
        return false;
    if (*p)
        return false;
    *minutes = d * WHEN_MIN_PER_DAY + min;
    *has_time = true;
    return true;
}

/* Excel writes time cells as "9:30:00" under some formats: seconds are
 * accepted and dropped (00 only at 24:00). */
bool when_parse_clock(const char *s, bool allow_24, int *minute)
{
    char b[NORM_MAX];
    const char *p = b;
    int m, sec;
    if (!normalise(s, b) || !parse_clock_at(&p, allow_24, &m))
        return false;
    if (eat(&p, ":") && (!digits(&p, 2, 2, &sec) || sec > 59 || (m == WHEN_MIN_PER_DAY && sec)))
        return false;
    if (*p)
        return false;
    *minute = m;
    return true;
}

bool when_parse_moment(const char *s, int64_t *minutes)
{
    bool has_time;
    /* A bare date means its midnight: `plan --at 2026-11-22` is unambiguous. */
    return when_parse_datetime(s, minutes, &has_time);
}

/* ---------------------------------------------------------- days */

/* One weekday: optional 周 / 星期 / 礼拜, then 一..六, 日, or 1..7 (7 is
 * Sunday); 天 and 七 only after a prefix (周天, 星期天).  Returns 0 (Monday)
 * .. 6 (Sunday), or -1. */
static int parse_weekday_at(const char **pp)
{
    static const char *const cn[] = {"\u4e00", "\u4e8c", "\u4e09", "\u56db",
                                     "\u4e94", "\u516d", "\u65e5"}; /* 一二三四五六日 */
    const char *p = *pp;
    bool prefix = eat(&p, "\u5468") || eat(&p, "\u661f\u671f") || eat(&p, "\u793c\u62dc");
    int w = -1;
    if (*p >= '1' && *p <= '7' && !(p[1] >= '0' && p[1] <= '9')) {
        w = *p - '1';
        p++;
    } else if (prefix && (eat(&p, "\u5929") || eat(&p, "\u4e03"))) { /* 天 七 */
        w = 6;
    } else {
        for (int i = 0; i < (int)ARRAY_LEN(cn); i++)
            if (eat(&p, cn[i])) {
                w = i;
                break;
            }
    }
    if (w < 0)
        return -1;
    *pp = p;
    return w;
}

static bool is_list_sep(const char **p)
{
    return eat(p, ",") || eat(p, ";") || eat(p, " ") || eat(p, "\u3001"); /* 、 */
}

bool when_parse_days(const char *s, uint16_t *mask)
{
    char b[NORM_MAX];
    if (!normalise(s, b))
        return false;
    if (!*b || !strcmp(b, "\u6bcf\u5929") || !strcmp(b, "\u6bcf\u65e5")) { /* 每天 每日 */
        *mask = DAYS_ALL;
        return true;
    }
    const char *p = b;
    uint16_t weekdays = 0, kinds = 0;
    for (;;) {
        while (is_list_sep(&p))
            ;
        if (!*p)
            break;
        if (eat(&p, "\u5de5\u4f5c\u65e5")) { /* 工作日 */
            kinds |= DAYS_WORKDAY;
        } else if (eat(&p, "\u5468\u672b")) { /* 周末 */
            kinds |= DAYS_WEEKEND;
        } else {
            int a = parse_weekday_at(&p);
            if (a < 0)
                return false;
            const char *q = p;
            skip_spaces(&q);
            if (eat_dash(&q)) {
                skip_spaces(&q);
                int z = parse_weekday_at(&q);
                if (z < 0)
                    return false;
                /* 周六至周一 wraps over the weekend. */
                for (int i = a;; i = (i + 1) % 7) {
                    weekdays |= (uint16_t)(1u << i);
                    if (i == z)
                        break;
                }
                p = q;
            } else {
                weekdays |= (uint16_t)(1u << a);
            }
        }
        /* An item ends at a separator or the end: "周一周三" is a typo. */
        if (*p && *p != ',' && *p != ';' && *p != ' ' && strncmp(p, "\u3001", 3) != 0)
            return false;
    }
    /* 工作日 already depends on holidays; mixing it with named weekdays has
     * no clear meaning, so staff must choose one. */
    if (kinds && weekdays)
        return false;
    if (!(kinds | weekdays))
        return false;
    *mask = kinds | weekdays;
    return true;
}

/* ---------------------------------------------------------- hours */

bool when_parse_hours(const char *s, struct when_window *w, int *n)
{
    char b[NORM_MAX];
    if (!normalise(s, b))
        return false;
    if (!*b || !strcmp(b, "\u5168\u5929")) { /* 全天 */
        w[0].from = 0;
        w[0].to = WHEN_MIN_PER_DAY;
        *n = 0;
        return true;
    }
    const char *p = b;
    int count = 0;
    struct when_window tmp[WHEN_MAX_WINDOWS];
    for (;;) {
        while (eat(&p, ",") || eat(&p, ";") || eat(&p, " ") || eat(&p, "\u3001"))
            ;
        if (!*p)
            break;
        int from, to;
        if (!parse_clock_at(&p, false, &from))
            return false;
        skip_spaces(&p);
        if (!eat_dash(&p))
            return false;
        skip_spaces(&p);
        if (!parse_clock_at(&p, true, &to))
            return false;
        if (from == to || count == WHEN_MAX_WINDOWS)
            return false;
        if (*p && *p != ',' && *p != ';' && *p != ' ' && strncmp(p, "\u3001", 3) != 0)
            return false;
        /* "20:00-00:00" ends at midnight: store it as 24:00 so to stays 1..1440. */
        tmp[count].from = (int16_t)from;
        tmp[count].to = (int16_t)(to == 0 ? WHEN_MIN_PER_DAY : to);
        count++;
    }
    if (!count)
        return false;
    memcpy(w, tmp, sizeof(tmp[0]) * (size_t)count);
    *n = count;
    return true;
}

/* ---------------------------------------------------------- duration, priority */

bool when_parse_duration(const char *s, int *seconds)
{
    char b[NORM_MAX];
    if (!normalise(s, b))
        return false;
    if (!*b) {
        *seconds = 10;
        return true;
    }
    const char *p = b;
    int v;
    /* Six digits bound the value far above any sane slide time, and below
     * int overflow; the caller clamps to its own range. */
    if (!digits(&p, 1, 6, &v) || v == 0)
        return false;
    skip_spaces(&p);
    if (*p && !eat(&p, "\u79d2") && !eat(&p, "s") && !eat(&p, "S")) /* 秒 */
        return false;
    if (*p)
        return false;
    *seconds = v;
    return true;
}

bool when_parse_priority(const char *s, enum priority *pr)
{
    char b[NORM_MAX];
    if (!normalise(s, b))
        return false;
    if (!*b || !strcmp(b, "\u666e\u901a") || !strcasecmp(b, "normal")) /* 普通 */
        *pr = PRIO_NORMAL;
    else if (!strcmp(b, "\u91cd\u8981") || !strcasecmp(b, "high")) /* 重要 */
        *pr = PRIO_HIGH;
    else if (!strcmp(b, "\u7d27\u6025") || !strcasecmp(b, "urgent")) /* 紧急 */
        *pr = PRIO_URGENT;
    else
        return false;
    return true;
}

/* ---------------------------------------------------------- formatting */

/* Writes v as exactly `width` digits (v is clamped to what fits). */
static char *put_num(char *o, int v, int width)
{
    int lim = 1;
    for (int i = 0; i < width; i++)
        lim *= 10;
    if (v < 0)
        v = 0;
    if (v >= lim)
        v = lim - 1;
    for (int i = width - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + width;
}

/* floor division, so minutes before 1970 still land in the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void when_format_date(int64_t days, char buf[static 11])
{
    int y, m, d;
    /* Keep WHEN_NEVER and friends inside int range: clamp to 0000..9999. */
    if (days > 2932896)
        days = 2932896;     /* 9999-12-31 */
    if (days < -719528)
        days = -719528;     /* 0000-01-01 */
    when_civil_from_days(days, &y, &m, &d);
    char *o = put_num(buf, y, 4);
    *o++ = '-';
    o = put_num(o, m, 2);
    *o++ = '-';
    o = put_num(o, d, 2);
    *o = '\0';
}

void when_format(int64_t minutes, char buf[static 17])
{
    int64_t days = floor_div(minutes, WHEN_MIN_PER_DAY);
    int mod = (int)(minutes % WHEN_MIN_PER_DAY); /* days * 1440 overflows at WHEN_ALWAYS */
    if (mod < 0)
        mod += WHEN_MIN_PER_DAY;
    when_format_date(days, buf);
    char *o = buf + 10;
    *o++ = ' ';
    o = put_num(o, mod / 60, 2);
    *o++ = ':';
    o = put_num(o, mod % 60, 2);
    *o = '\0';
}

const char *when_weekday_cn(int weekday)
{
    static const char *const names[] = {"星期一", "星期二", "星期三", "星期四",
                                        "星期五", "星期六", "星期日"};
    return weekday >= 0 && weekday < 7 ? names[weekday] : "";
}

void when_format_date_cn(int64_t days, char buf[static 64])
{
    int y, m, d;
    when_civil_from_days(days, &y, &m, &d);
    struct sbuf b = {0};
    sbuf_addf(&b, "%d年%d月%d日 %s", y, m, d, when_weekday_cn(when_weekday(days)));
    size_t n = b.len < 63 ? b.len : 63;
    memcpy(buf, b.s, n);
    buf[n] = '\0';
    sbuf_free(&b);
}

/* ---------------------------------------------------------- standard text */

static bool fixed_digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

bool when_read_date(const char *s, int64_t *day)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !fixed_digits(s, 4, &y) ||
        !fixed_digits(s + 5, 2, &m) || !fixed_digits(s + 8, 2, &d) || !when_valid_date(y, m, d))
        return false;
    *day = when_days_from_civil(y, m, d);
    return true;
}

/* The first five characters of s as 'HH:MM'. */
static bool read_clock5(const char *s, bool allow_24, int *minute)
{
    int h, m;
    if (s[2] != ':' || !fixed_digits(s, 2, &h) || !fixed_digits(s + 3, 2, &m) || m > 59 || h > 24 ||
        (h == 24 && (m || !allow_24)))
        return false;
    *minute = h * 60 + m;
    return true;
}

bool when_read_clock(const char *s, bool allow_24, int *minute)
{
    return s && strlen(s) == 5 && read_clock5(s, allow_24, minute);
}

bool when_read_moment(const char *s, int64_t *minutes)
{
    char d[11];
    int64_t day;
    int m;
    if (!s || strlen(s) != 16 || s[10] != ' ')
        return false;
    memcpy(d, s, 10);
    d[10] = '\0';
    if (!when_read_date(d, &day) || !read_clock5(s + 11, false, &m))
        return false;
    *minutes = day * WHEN_MIN_PER_DAY + m;
    return true;
}

bool when_read_hours(const char *s, struct when_window *w, uint8_t *n)
{
    *n = 0;
    if (!s)
        return false;
    if (!*s)
        return true;
    for (;;) {
        int from, to;
        if (strlen(s) < 11 || s[5] != '-' || *n >= WHEN_MAX_WINDOWS ||
            !read_clock5(s, false, &from) || !read_clock5(s + 6, true, &to) || to == 0 ||
            from == to)
            return false;
        w[*n].from = (int16_t)from;
        w[*n].to = (int16_t)to;
        (*n)++;
        s += 11;
        if (!*s)
            return true;
        if (*s++ != ',')
            return false;
    }
}

/* ---------------------------------------------------------- the clock */

int64_t when_from_time_t(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return when_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * WHEN_MIN_PER_DAY +
           tm.tm_hour * 60 + tm.tm_min;
}

void when_format_clock(int minute, char buf[static 6])
{
    if (minute < 0) {
        buf[0] = '\0';
        return;
    }
    int h = minute / 60 % 100, m = minute % 60;
    buf[0] = (char)('0' + h / 10);
    buf[1] = (char)('0' + h % 10);
    buf[2] = ':';
    buf[3] = (char)('0' + m / 10);
    buf[4] = (char)('0' + m % 10);
    buf[5] = '\0';
}

char *when_format_hours(const struct when_window *w, int n)
{
    struct sbuf b = {0};
    for (int i = 0; i < n; i++) {
        char f[6], t[6];
        when_format_clock(w[i].from, f);
        when_format_clock(w[i].to, t);
        sbuf_addf(&b, "%s%s-%s", i ? "," : "", f, t);
    }
    return sbuf_take(&b);
}
