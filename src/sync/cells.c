/* cells.c — reading one cell by its column's type, with the message staff
 * need when it cannot be read, and writing a value back as staff type it
 * (cells.h). */
#include "sync/cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/lunar.h"
#include "core/now.h"
#include "core/util.h"
#include "core/when.h"

/* ---------------------------------------------------------------- text */

char *cell_shown(const char *s)
{
    struct sbuf b = {0};
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            sbuf_adds(&b, "\xEF\xBF\xBD"); /* U+FFFD */
            i++;
        } else {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
                sbuf_addc(&b, ' ');
            else
                sbuf_add(&b, s + i, l);
            i += l;
        }
        if (++chars == 30 && i < n) {
            sbuf_adds(&b, "…");
            break;
        }
    }
    if (!b.s)
        sbuf_adds(&b, "");
    return sbuf_take(&b);
}

/* Length of the white space at s (n bytes left), 0 when none: ASCII space,
 * tab and line breaks, U+3000 ideographic space, U+00A0, a stray BOM. */
static size_t space_at(const char *s, size_t n)
{
    if (n >= 1 && strchr(" \t\n\r", s[0]) && s[0])
        return 1;
    if (n >= 3 && (!memcmp(s, "\xE3\x80\x80", 3) || !memcmp(s, "\xEF\xBB\xBF", 3)))
        return 3;
    if (n >= 2 && !memcmp(s, "\xC2\xA0", 2))
        return 2;
    return 0;
}

char *cell_trimmed(const char *s)
{
    size_t n = strlen(s), l;
    while (n && (l = space_at(s, n))) {
        s += l;
        n -= l;
    }
    for (;;) {
        if (n >= 1 && strchr(" \t\n\r", s[n - 1]) && s[n - 1]) { n--; continue; }
        if (n >= 3 && (!memcmp(s + n - 3, "\xE3\x80\x80", 3) ||
                       !memcmp(s + n - 3, "\xEF\xBB\xBF", 3))) { n -= 3; continue; }
        if (n >= 2 && !memcmp(s + n - 2, "\xC2\xA0", 2)) { n -= 2; continue; }
        break;
    }
    return xstrndup(s, n);
}

/* The checked, trimmed text of a cell: valid UTF-8, no control characters,
 * within the column's length.  paragraphs keeps "\n"; otherwise a line
 * break becomes a space (a title with Alt+Enter is not worth a refusal). */
static char *cell_text(const struct kind_col *col, const char *raw, bool paragraphs, char **msg)
{
    char *t = cell_trimmed(raw);
    /* '=… is how export writes a cell a spreadsheet would run (csv.h). */
    size_t esc = csv_unescape(t);
    if (esc)
        memmove(t, t + esc, strlen(t + esc) + 1);
    size_t n = strlen(t), bad;
    if (!utf8_valid(t, n, &bad)) {
        set_why(msg, "%s含有无法识别的字符（编码错误），请用 WPS 或 Excel 重新保存", col->zh);
        free(t);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\t' || (t[i] == '\n' && !paragraphs))
            t[i] = ' ';
    if (!utf8_printable(t, n, paragraphs, NULL)) {
        char *v = cell_shown(t);
        set_why(msg, "%s“%s”含有看不见的控制字符，请删掉这一格重新输入", col->zh, v);
        free(v);
        free(t);
        return NULL;
    }
    size_t chars = utf8_len(t);
    if (chars > col->max_chars) {
        char *v = cell_shown(t);
        set_why(msg, "%s“%s”太长（%zu个字），最多%u个字，请缩短", col->zh, v, chars, col->max_chars);
        free(v);
        free(t);
        return NULL;
    }
    return t;
}

/* "12月5日", "12/5", "12-5": a month and a day with no year (Excel writes
 * a date typed as 12/5 so when its column is not set to show the year). */
static bool month_day_only(const char *s)
{
    unsigned m, d;
    char tail[8];
    return (sscanf(s, "%u月%u日%7s", &m, &d, tail) == 2 || sscanf(s, "%u/%u%7s", &m, &d, tail) == 2 ||
            sscanf(s, "%u-%u%7s", &m, &d, tail) == 2) &&
           m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* ---------------------------------------------------------------- media */

/* A media reference: "a.jpg", "media/a.jpg" or "media\a.jpg", matched
 * exactly, then ignoring ASCII case (FAT sticks and Windows do), then as
 * Windows with hidden extensions makes it: "王五.jpg" for a file saved as
 * 王五.jpg.jpg, or "王五" for the only file named 王五 with any extension. */
static const char *find_media(const struct bundle_media *m, const char *n)
{
    if (!strncasecmp(n, "media/", 6) || !strncasecmp(n, "media\\", 6))
        n += 6;
    for (size_t i = 0; m && i < m->n; i++)
        if (!strcmp(m->names[i], n))
            return m->names[i];
    for (size_t i = 0; m && i < m->n; i++)
        if (!strcasecmp(m->names[i], n))
            return m->names[i];
    size_t len = strlen(n);
    const char *dot = strrchr(n, '.');
    const char *found = NULL;
    int matches = 0;
    for (size_t i = 0; m && i < m->n; i++) {
        const char *s = m->names[i];
        size_t sl = strlen(s);
        if (dot && sl == len + strlen(dot) && !strncasecmp(s, n, len) &&
            !strcasecmp(s + len, dot))
            return s;                           /* 王五.jpg → 王五.jpg.jpg */
        const char *sd = strrchr(s, '.');
        if (!dot && sd && (size_t)(sd - s) == len && !strncasecmp(s, n, len)) {
            found = s;                          /* 王五 → 王五.jpg */
            matches++;
        }
    }
    return matches == 1 ? found : NULL;
}

/* ---------------------------------------------------------------- reading */

/* A formula's error value as a spreadsheet shows it, saved into a CSV as
 * text ("#NAME?"): never what staff meant to show. */
static bool error_value(const char *raw)
{
    static const char *const errs[] = {"#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!",
                                       "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"};
    char *t = cell_trimmed(raw);
    bool found = false;
    for (size_t i = 0; i < ARRAY_LEN(errs) && !found; i++)
        found = !strcmp(t, errs[i]);
    free(t);
    return found;
}

bool cell_read(const struct kind_col *col, const struct table_cell *cell,
               const struct bundle_media *m, union kind_value *v, char **msg)
{
    *msg = NULL;
    memset(v, 0, sizeof *v);
    const char *raw = cell ? cell->text : "";
    enum cell_type ct = cell ? (enum cell_type)cell->type : CELL_TEXT;
    if (ct == CELL_ERROR || error_value(raw)) {
        char *s = cell_shown(raw);
        set_why(msg, "%s是公式出错的结果“%s”，不是内容。请在表格里改好这一格的公式，或直接填写内容", col->zh, s);
        free(s);
        return false;
    }
    char *t = cell_text(col, raw, col->type == VAL_PARAGRAPHS, msg);
    if (!t)
        return false;
    bool ok = true;
    char *s = NULL;
    int x = 0;
    bool has_time;
    switch (col->type) {
    case VAL_TEXT: case VAL_PARAGRAPHS:
        v->s = t;
        return true;
    case VAL_QR:
        /* The length a code holds is in bytes: 500 letters or ~160 汉字. */
        if (strlen(t) <= KIND_QR_MAX_BYTES) {
            v->s = t;
            return true;
        }
        ok = set_why(msg, "%s太长：二维码最多放 500 个字母或数字，约 160 个汉字。请缩短文字，或改放一个网址",
                  col->zh);
        break;
    case VAL_MEDIA:
        if (*t) {
            const char *f = find_media(m, t);
            if (f) {
                v->s = xstrdup(f);
            } else {
                s = cell_shown(t);
                ok = set_why(msg, "%s“%s”在 media 文件夹中找不到，请把这个文件放进 noticeboard/media 文件夹，"
                               "或检查文件名是否写对（包括 .jpg/.png 后缀）", col->zh, s);
            }
        }
        break;
    case VAL_START: case VAL_END:
        v->t = col->type == VAL_START ? WHEN_ALWAYS : WHEN_NEVER;
        if (!*t)
            break;
        if (!when_parse_datetime(t, &v->t, &has_time)) {
            s = cell_shown(t);
            if (month_day_only(t))
                ok = set_why(msg, "%s“%s”缺少年份，请写成 2026-12-05 这样带年份的日期"
                               "（在表格里可以把这一列设为“文本”格式再输入）", col->zh, s);
            else
                ok = set_why(msg, "%s“%s”无效，应为 %s 或 %s 这样的格式", col->zh, s,
                          col->type == VAL_START ? "2026-12-01" : "2026-12-31",
                          col->type == VAL_START ? "2026-12-01 09:30" : "2026-12-31 18:00");
        } else if (col->type == VAL_END && !has_time) {
            v->t += WHEN_MIN_PER_DAY;   /* a bare end date includes its day */
        }
        break;
    case VAL_DATE:
        if (*t && !when_parse_date(t, &v->t)) {
            s = cell_shown(t);
            if (month_day_only(t))
                ok = set_why(msg, "%s“%s”缺少年份，请写成 2026-12-05 这样带年份的日期"
                               "（在表格里可以把这一列设为“文本”格式再输入）", col->zh, s);
            else
                ok = set_why(msg, "%s“%s”无效，应为 2026-12-01 这样的格式", col->zh, s);
        }
        break;
    case VAL_COUNTDOWN: {
        /* A festival counts to its next day from the day of import, so a
         * countdown ends after that day like a dated one. */
        enum lunar_festival f;
        v->t = 0;
        if (!*t)
            break;
        if (lunar_festival_parse(t, &f)) {
            if (!lunar_next_festival(f, now_civil(NULL) / WHEN_MIN_PER_DAY, &v->t))
                ok = set_why(msg, "%s“%s”：设备的日期不在 1901—2100 年之间，算不出节日的日子", col->zh, t);
        } else if (!when_parse_date(t, &v->t) || v->t <= 0) {
            s = cell_shown(t);
            ok = set_why(msg, "%s“%s”无效，应写日期（如 2027-05-16）或节日名称（如 春节、中秋、国庆）",
                      col->zh, s);
        }
        break;
    }
    case VAL_CLOCK: case VAL_CLOCK_END:
        v->i = -1;
        if (*t) {
            if (when_parse_clock(t, col->type == VAL_CLOCK_END, &x)) {
                v->i = x;
            } else {
                s = cell_shown(t);
                ok = set_why(msg, "%s“%s”无效，应为 %s 这样的时间", col->zh, s,
                          col->type == VAL_CLOCK ? "09:30" : "11:30");
            }
        }
        break;
    case VAL_DAYS: {
        uint16_t mask = DAYS_ALL;
        /* WPS and Excel take 1-5 for the 5th of January, and a CSV saved
         * from them then says 1月5日. */
        bool dated = ct == CELL_DATE || ct == CELL_DATETIME;
        if (*t && (dated || !when_parse_days(t, &mask))) {
            s = cell_shown(t);
            if (dated || month_day_only(t))
                ok = set_why(msg, "%s“%s”被表格软件当成了日期（原来可能写的是 1-5 这样的数字）。请改写成 "
                               "周一至周五、工作日 或 周一,周三,周五 这样的文字", col->zh, s);
            else
                ok = set_why(msg, "%s“%s”无效，可以写 每天、工作日、周末、周一至周五 或 周一,周三,周五",
                          col->zh, s);
        }
        v->i = mask;
        break;
    }
    case VAL_HOURS: {
        int n = 0;
        if (!when_parse_hours(t, v->hours.w, &n)) {
            s = cell_shown(t);
            ok = set_why(msg, "%s“%s”无效，应为 08:00-18:00 这样的格式，几个时段用逗号分开，"
                           "例如 08:00-12:00,14:00-18:00", col->zh, s);
        }
        v->hours.n = (uint8_t)n;
        break;
    }
    case VAL_DURATION:
        if (!when_parse_duration(t, &v->i) || v->i < CELL_MIN_DURATION ||
            v->i > CELL_MAX_DURATION) {
            s = cell_shown(t);
            ok = set_why(msg, "%s“%s”无效，应为 %d 到 %d 之间的秒数，例如 15", col->zh, s,
                      CELL_MIN_DURATION, CELL_MAX_DURATION);
        }
        break;
    case VAL_PRIORITY: {
        enum priority p = PRIO_NORMAL;
        if (!when_parse_priority(t, &p)) {
            s = cell_shown(t);
            ok = set_why(msg, "%s“%s”无效，只能写 普通、重要 或 紧急（也可写 normal、high、urgent）",
                      col->zh, s);
        }
        v->i = (int)p;
        break;
    }
    case VAL_HOLIDAY: {
        static const char *const off[] = {"休", "off", "放假", "休息"};
        static const char *const work[] = {"班", "work", "上班", "补班"};
        bool found = false;
        for (size_t i = 0; i < ARRAY_LEN(off) && !found; i++)
            found = !strcasecmp(t, off[i]);
        for (size_t i = 0; i < ARRAY_LEN(work) && !found; i++)
            if (!strcasecmp(t, work[i]))
                found = true, v->i = 1;
        if (*t && !found) {
            s = cell_shown(t);
            ok = set_why(msg, "%s“%s”无效，只能写 休（放假）或 班（调休上班），也可写 off 或 work",
                      col->zh, s);
        }
        break;
    }
    }
    free(s);
    free(t);
    return ok;
}

/* ---------------------------------------------------------------- writing */

static char *days_words(int mask)
{
    if ((mask & DAYS_ALL) == DAYS_ALL || mask == 0)
        return xstrdup("每天");
    if (mask & DAYS_WORKDAY)
        return xstrdup("工作日");
    if (mask & DAYS_WEEKEND)
        return xstrdup("周末");
    static const char *const names[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    struct sbuf b = {0};
    for (int i = 0; i < 7; i++)
        if (mask & (1 << i)) {
            if (b.len)
                sbuf_adds(&b, "、");
            sbuf_adds(&b, names[i]);
        }
    return sbuf_take(&b);
}

char *cell_write(enum val_type t, const union kind_value *v)
{
    char buf[17];
    switch (t) {
    case VAL_TEXT: case VAL_PARAGRAPHS: case VAL_MEDIA: case VAL_QR:
        return xstrdup(v->s ? v->s : "");
    case VAL_START:
        if (v->t == WHEN_ALWAYS)
            return xstrdup("");
        if (v->t % WHEN_MIN_PER_DAY == 0)
            when_format_date(v->t / WHEN_MIN_PER_DAY, buf);
        else
            when_format(v->t, buf);
        return xstrdup(buf);
    case VAL_END:
        /* A bare end date includes its day: an end at midnight is the day
         * before, without a time. */
        if (v->t == WHEN_NEVER)
            return xstrdup("");
        if (v->t % WHEN_MIN_PER_DAY == 0)
            when_format_date(v->t / WHEN_MIN_PER_DAY - 1, buf);
        else
            when_format(v->t, buf);
        return xstrdup(buf);
    case VAL_DATE:
        when_format_date(v->t, buf);
        return xstrdup(buf);
    case VAL_COUNTDOWN:
        if (v->t <= 0)
            return xstrdup("");
        when_format_date(v->t, buf);
        return xstrdup(buf);
    case VAL_CLOCK: case VAL_CLOCK_END:
        when_format_clock(v->i, buf);
        return xstrdup(buf);
    case VAL_DAYS:
        return days_words(v->i);
    case VAL_HOURS:
        return when_format_hours(v->hours.w, v->hours.n);
    case VAL_DURATION:
        snprintf(buf, sizeof buf, "%d", v->i);
        return xstrdup(buf);
    case VAL_PRIORITY:
        return xstrdup(v->i == PRIO_URGENT ? "紧急" : v->i == PRIO_HIGH ? "重要" : "普通");
    case VAL_HOLIDAY:
        return xstrdup(v->i ? "班" : "休");
    }
    return xstrdup("");
}
