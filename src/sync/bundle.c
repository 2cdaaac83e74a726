/* bundle.c — validation of the staff's CSV files: header mapping (English or
 * Chinese names, any order), every cell checked, every problem reported in
 * one pass with file, line and column, in words a non-technical person can act on. */
#include "sync/bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/log.h"
#include "core/util.h"
#include "core/when.h"

/* ---------------------------------------------------------------- columns */

struct col_spec {
    const char *en, *zh;
    bool required;
    unsigned max_chars;     /* cell length limit in characters */
};

#define MAXCOLS 10

struct kind_spec {
    const char *file;
    const char *what;       /* "公告" — used in messages */
    size_t max_rows;        /* data rows, header excluded */
    struct col_spec cols[MAXCOLS];
    size_t ncols;
};

/* Column indices per kind, in table order. */
enum { A_TITLE, A_BODY, A_IMAGE, A_START, A_END, A_DAYS, A_HOURS, A_DURATION, A_PRIORITY };
enum { E_DATE, E_TITLE, E_START, E_END, E_PLACE, E_ORGANIZER, E_NOTE };
enum { H_ROLL, H_NAME, H_HONOR, H_UNIT, H_YEAR, H_PHOTO, H_START, H_END };
enum { T_TEXT, T_START, T_END };
enum { D_DATE, D_KIND, D_NAME };
enum { S_KEY, S_VALUE };

static const struct kind_spec kinds[BUNDLE_NKINDS] = {
    [BUNDLE_ANNOUNCEMENTS] = {"announcements.csv", "公告", 1000, {
        {"title", "标题", true, 200}, {"body", "内容", false, 5000},
        {"image", "图片", false, 255}, {"start", "开始", false, 40},
        {"end", "结束", false, 40}, {"days", "星期", false, 60},
        {"hours", "时段", false, 120}, {"duration", "时长", false, 20},
        {"priority", "级别", false, 20}}, 9},
    [BUNDLE_EVENTS] = {"events.csv", "活动", 5000, {
        {"date", "日期", true, 40}, {"title", "活动", true, 200},
        {"start_time", "开始时间", false, 20}, {"end_time", "结束时间", false, 20},
        {"place", "地点", false, 200}, {"organizer", "主办", false, 200},
        {"note", "备注", false, 1000}}, 7},
    [BUNDLE_HONORS] = {"honors.csv", "表彰", 5000, {
        {"roll", "榜单", true, 100}, {"name", "姓名", true, 100},
        {"honor", "荣誉", false, 200}, {"unit", "单位", false, 200},
        {"year", "年度", false, 40}, {"photo", "照片", false, 255},
        {"start", "开始", false, 40}, {"end", "结束", false, 40}}, 8},
    [BUNDLE_TICKER] = {"ticker.csv", "滚动消息", 500, {
        {"text", "内容", true, 500}, {"start", "开始", false, 40},
        {"end", "结束", false, 40}}, 3},
    [BUNDLE_HOLIDAYS] = {"holidays.csv", "节假日", 1000, {
        {"date", "日期", true, 40}, {"kind", "类型", true, 20},
        {"name", "名称", false, 100}}, 3},
    [BUNDLE_SETTINGS] = {"settings.csv", "设置", 100, {
        {"key", "项目", true, 60}, {"value", "值", true, 255}}, 2},
};

const char *bundle_file_name(enum bundle_kind k)
{
    return kinds[k].file;
}

/* ---------------------------------------------------------------- context */

struct ctx {
    const struct kind_spec *spec;
    const struct bundle_media *media;
    struct report *r;
    int pos[MAXCOLS];               /* column index -> field number (0-based) or -1 */
    const struct table_row *row;
    size_t problems;
};

/* A cell's text (trimmed later), "" when the row is short. */
static const char *cell_raw(const struct ctx *x, int col)
{
    int p = x->pos[col];
    if (p < 0 || (uint32_t)p >= x->row->ncells)
        return "";
    return x->row->cells[p].text;
}

static void cell_where(const struct ctx *x, int col, uint32_t *line, uint32_t *fcol)
{
    int p = x->pos[col];
    if (p >= 0 && (uint32_t)p < x->row->ncells) {
        *line = x->row->cells[p].line;
        *fcol = x->row->cells[p].col;
    } else {
        *line = x->row->line;
        *fcol = p >= 0 ? (uint32_t)p + 1 : 1;
    }
}

static void problem(struct ctx *x, int col, const char *fmt, ...) NB_PRINTF(3, 4);
static void problem(struct ctx *x, int col, const char *fmt, ...)
{
    uint32_t line, fcol;
    cell_where(x, col, &line, &fcol);
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(&b, fmt, ap);
    va_end(ap);
    /* Staff fix the file in WPS or Excel, whose row numbers count records:
     * after a cell with line breaks, the line number is not what they see. */
    if (x->row->sheet_row && x->row->sheet_row != line)
        sbuf_addf(&b, "（在 WPS 或 Excel 中是第%u行）", x->row->sheet_row);
    report_problem(x->r, "%s:%u:%u: %s", x->spec->file, line, fcol, b.s);
    sbuf_free(&b);
    x->problems++;
}

/* A value as quoted in a message: one line, at most 30 characters. */
static char *shown(const char *s)
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

static bool is_space_at(const char *s, size_t n, size_t *len)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) {
        *len = 1;
        return true;
    }
    /* U+3000 ideographic space, U+00A0 no-break space, U+FEFF BOM */
    if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) { *len = 3; return true; }
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { *len = 3; return true; }
    if (n >= 2 && !memcmp(s, "\xC2\xA0", 2)) { *len = 2; return true; }
    return false;
}

/* Copy of s without leading and trailing white space. */
static char *trimmed(const char *s)
{
    size_t n = strlen(s), l;
    while (n && is_space_at(s, n, &l)) {
        s += l;
        n -= l;
    }
    for (;;) {
        if (n >= 1 && strchr(" \t\n\r", s[n - 1])) { n--; continue; }
        if (n >= 3 && (!memcmp(s + n - 3, "\xE3\x80\x80", 3) ||
                       !memcmp(s + n - 3, "\xEF\xBB\xBF", 3))) { n -= 3; continue; }
        if (n >= 2 && !memcmp(s + n - 2, "\xC2\xA0", 2)) { n -= 2; continue; }
        break;
    }
    return xstrndup(s, n);
}

/* The checked, trimmed text of a cell, or NULL after reporting a problem.
 * multiline keeps "\n" (paragraph breaks); otherwise line breaks become a
 * space, since a title cell with Alt+Enter is not worth a rejection. */
static char *cell_text(struct ctx *x, int col, bool multiline)
{
    const struct col_spec *cs = &x->spec->cols[col];
    char *t = trimmed(cell_raw(x, col));
    size_t n = strlen(t), bad;
    if (!utf8_valid(t, n, &bad)) {
        problem(x, col, "%s含有无法识别的字符（编码错误），请用 WPS 或 Excel 重新保存为 CSV 文件",
                cs->zh);
        free(t);
        return NULL;
    }
    size_t chars = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(t + i, n - i, &cp);
        if (cp == '\n' && !multiline)
            t[i] = ' ';
        else if (cp == '\t')
            t[i] = ' ';
        else if ((cp < 0x20 && cp != '\n') || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            char *v = shown(t);
            problem(x, col, "%s“%s”含有看不见的控制字符，请删掉这一格重新输入", cs->zh, v);
            free(v);
            free(t);
            return NULL;
        }
        i += l;
        chars++;
    }
    if (chars > cs->max_chars) {
        char *v = shown(t);
        problem(x, col, "%s“%s”太长（%zu个字），最多%u个字，请缩短", cs->zh, v, chars,
                cs->max_chars);
        free(v);
        free(t);
        return NULL;
    }
    return t;
}

/* A required cell: reported when empty. */
static char *cell_required(struct ctx *x, int col, bool multiline)
{
    char *t = cell_text(x, col, multiline);
    if (t && !*t) {
        const struct col_spec *cs = &x->spec->cols[col];
        problem(x, col, "%s不能为空，请填写%s", cs->zh, cs->zh);
        free(t);
        return NULL;
    }
    return t;
}

/* start/end pair: empty start = always, empty end = never, a bare end
 * date includes that whole day.  false after reporting. */
static bool cell_period(struct ctx *x, int cstart, int cend, int64_t *start, int64_t *end)
{
    bool ok = true;
    char *s = cell_text(x, cstart, false), *e = cell_text(x, cend, false);
    if (!s || !e) {
        ok = false;
        goto out;
    }
    bool has_time;
    *start = WHEN_ALWAYS;
    *end = WHEN_NEVER;
    if (*s && !when_parse_datetime(s, start, &has_time)) {
        char *v = shown(s);
        problem(x, cstart, "%s“%s”无效，应为 2026-12-01 或 2026-12-01 09:30 这样的格式",
                x->spec->cols[cstart].zh, v);
        free(v);
        ok = false;
    }
    if (*e) {
        if (!when_parse_datetime(e, end, &has_time)) {
            char *v = shown(e);
            problem(x, cend, "%s“%s”无效，应为 2026-12-31 或 2026-12-31 18:00 这样的格式",
                    x->spec->cols[cend].zh, v);
            free(v);
            ok = false;
        } else if (!has_time) {
            *end += WHEN_MIN_PER_DAY;
        }
    }
    if (ok && *s && *e && *start >= *end) {
        char *v1 = shown(s), *v2 = shown(e);
        problem(x, cstart, "%s“%s”晚于%s“%s”，开始时间应早于结束时间",
                x->spec->cols[cstart].zh, v1, x->spec->cols[cend].zh, v2);
        free(v1);
        free(v2);
        ok = false;
    }
out:
    free(s);
    free(e);
    return ok;
}

/* A media reference: "a.jpg", "media/a.jpg" or "media\a.jpg"; matched
 * exactly, then ignoring ASCII case (FAT sticks and Windows do).  *out is
 * NULL for an empty cell or the staged name.  false after reporting. */
static bool cell_media(struct ctx *x, int col, const char **out)
{
    *out = NULL;
    char *t = cell_text(x, col, false);
    if (!t)
        return false;
    if (!*t) {
        free(t);
        return true;
    }
    const char *n = t;
    if (!strncasecmp(n, "media/", 6) || !strncasecmp(n, "media\\", 6))
        n += 6;
    const struct bundle_media *m = x->media;
    for (size_t i = 0; m && i < m->n && !*out; i++)
        if (!strcmp(m->names[i], n))
            *out = m->names[i];
    for (size_t i = 0; m && i < m->n && !*out; i++)
        if (!strcasecmp(m->names[i], n))
            *out = m->names[i];
    if (!*out) {
        char *v = shown(t);
        problem(x, col, "%s“%s”在 media 文件夹中找不到，请把这个文件放进 noticeboard/media 文件夹，"
                        "或检查文件名是否写对（包括 .jpg/.png 后缀）",
                x->spec->cols[col].zh, v);
        free(v);
    }
    free(t);
    return *out != NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* ---------------------------------------------------------------- freeing */

static void free_ann(struct nb_announcement *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].title);
        free(a[i].body);
        free(a[i].image);
    }
    free(a);
}

static void free_events(struct nb_event *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].title);
        free(e[i].place);
        free(e[i].organizer);
        free(e[i].note);
    }
    free(e);
}

static void free_rolls(struct nb_roll *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < r[i].nentries; j++) {
            struct nb_honor *h = &r[i].entries[j];
            free(h->name);
            free(h->honor);
            free(h->unit);
            free(h->year);
            free(h->photo);
        }
        free(r[i].entries);
        free(r[i].name);
    }
    free(r);
}

static void free_ticker(struct nb_ticker *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].text);
    free(t);
}

static void free_holidays(struct nb_holiday *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(h[i].name);
    free(h);
}

static void free_settings(struct nb_setting *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].key);
        free(s[i].value);
    }
    free(s);
}

void bundle_clear_kind(struct feed_content *c, enum bundle_kind k)
{
    switch (k) {
    case BUNDLE_ANNOUNCEMENTS:
        free_ann(c->ann, c->nann);
        c->ann = NULL, c->nann = 0;
        break;
    case BUNDLE_EVENTS:
        free_events(c->events, c->nevents);
        c->events = NULL, c->nevents = 0;
        break;
    case BUNDLE_HONORS:
        free_rolls(c->rolls, c->nrolls);
        c->rolls = NULL, c->nrolls = 0;
        break;
    case BUNDLE_TICKER:
        free_ticker(c->ticker, c->nticker);
        c->ticker = NULL, c->nticker = 0;
        break;
    case BUNDLE_HOLIDAYS:
        free_holidays(c->holidays, c->nholidays);
        c->holidays = NULL, c->nholidays = 0;
        break;
    case BUNDLE_SETTINGS:
        free_settings(c->settings, c->nsettings);
        c->settings = NULL, c->nsettings = 0;
        free(c->org_name);
        c->org_name = xstrdup("");
        free(c->logo);
        c->logo = NULL;
        break;
    case BUNDLE_NKINDS:
        break;
    }
}

/* ---------------------------------------------------------------- rows */

static void row_announcement(struct ctx *x, struct feed_content *c, size_t id)
{
    struct nb_announcement a = {.id = (int64_t)id};
    size_t before = x->problems;
    char *title = cell_text(x, A_TITLE, false);
    char *body = cell_text(x, A_BODY, true);
    const char *image = NULL;
    cell_media(x, A_IMAGE, &image);
    cell_period(x, A_START, A_END, &a.start, &a.end);

    char *days = cell_text(x, A_DAYS, false);
    if (days && !when_parse_days(days, &a.days)) {
        char *v = shown(days);
        problem(x, A_DAYS, "星期“%s”无效，可以写 每天、工作日、周末、1-5、周一至周五 或 周一,周三,周五", v);
        free(v);
    }
    char *hours = cell_text(x, A_HOURS, false);
    int nh = 0;
    if (hours && !when_parse_hours(hours, a.hours, &nh)) {
        char *v = shown(hours);
        problem(x, A_HOURS, "时段“%s”无效，应为 08:00-18:00 这样的格式，几个时段用逗号分开，"
                            "例如 08:00-12:00,14:00-18:00", v);
        free(v);
    }
    a.nhours = (uint8_t)nh;
    char *dur = cell_text(x, A_DURATION, false);
    if (dur) {
        if (!when_parse_duration(dur, &a.duration) || a.duration < BUNDLE_MIN_DURATION ||
            a.duration > BUNDLE_MAX_DURATION) {
            char *v = shown(dur);
            problem(x, A_DURATION, "时长“%s”无效，应为 %d 到 %d 之间的秒数，例如 15", v,
                    BUNDLE_MIN_DURATION, BUNDLE_MAX_DURATION);
            free(v);
        }
    }
    char *prio = cell_text(x, A_PRIORITY, false);
    if (prio && !when_parse_priority(prio, &a.priority)) {
        char *v = shown(prio);
        problem(x, A_PRIORITY, "级别“%s”无效，只能写 普通、重要 或 紧急（也可写 normal、high、urgent）", v);
        free(v);
    }
    /* An image-only poster may leave the title empty (content.h). */
    if (title && !*title && !image && x->problems == before)
        problem(x, A_TITLE, "标题不能为空，请填写公告的标题，或在“图片”列填写一张海报图片");

    if (x->problems == before) {
        a.title = title;
        a.body = body;
        a.image = dup_or_null(image);
        xgrow(&c->ann, &(size_t){c->nann}, c->nann + 1, sizeof *c->ann);
        c->ann[c->nann++] = a;
    } else {
        free(title);
        free(body);
    }
    free(days);
    free(hours);
    free(dur);
    free(prio);
}

static void row_event(struct ctx *x, struct feed_content *c, size_t id)
{
    struct nb_event e = {.id = (int64_t)id, .start = -1, .end = -1};
    size_t before = x->problems;
    char *date = cell_required(x, E_DATE, false);
    if (date && !when_parse_date(date, &e.day)) {
        char *v = shown(date);
        problem(x, E_DATE, "日期“%s”无效，应为 2026-12-01 这样的格式", v);
        free(v);
    }
    char *title = cell_required(x, E_TITLE, false);
    char *st = cell_text(x, E_START, false), *en = cell_text(x, E_END, false);
    int m;
    if (st && *st) {
        if (when_parse_clock(st, false, &m)) {
            e.start = (int16_t)m;
        } else {
            char *v = shown(st);
            problem(x, E_START, "开始时间“%s”无效，应为 09:30 这样的时间", v);
            free(v);
        }
    }
    if (en && *en) {
        if (when_parse_clock(en, true, &m)) {
            e.end = (int16_t)m;
        } else {
            char *v = shown(en);
            problem(x, E_END, "结束时间“%s”无效，应为 11:30 这样的时间", v);
            free(v);
        }
    }
    if (e.start >= 0 && e.end >= 0 && e.end <= e.start) {
        char *v1 = shown(st), *v2 = shown(en);
        problem(x, E_START, "开始时间“%s”不早于结束时间“%s”，开始时间应早于结束时间", v1, v2);
        free(v1);
        free(v2);
    }
    char *place = cell_text(x, E_PLACE, false);
    char *org = cell_text(x, E_ORGANIZER, false);
    char *note = cell_text(x, E_NOTE, true);
    if (x->problems == before) {
        e.title = title;
        e.place = place;
        e.organizer = org;
        e.note = note;
        xgrow(&c->events, &(size_t){c->nevents}, c->nevents + 1, sizeof *c->events);
        c->events[c->nevents++] = e;
    } else {
        free(title);
        free(place);
        free(org);
        free(note);
    }
    free(date);
    free(st);
    free(en);
}

/* Where each roll's start/end came from, to point at a disagreeing row. */
struct roll_src {
    uint32_t start_line, end_line;
    char *start_text, *end_text;
    bool period_reported;
};

static void row_honor(struct ctx *x, struct feed_content *c, size_t *cap_rolls,
                      struct roll_src **src)
{
    size_t before = x->problems;
    char *roll = cell_required(x, H_ROLL, false);
    char *name = cell_required(x, H_NAME, false);
    char *honor = cell_text(x, H_HONOR, false);
    char *unit = cell_text(x, H_UNIT, false);
    char *year = cell_text(x, H_YEAR, false);
    const char *photo = NULL;
    cell_media(x, H_PHOTO, &photo);
    int64_t start = WHEN_ALWAYS, end = WHEN_NEVER;
    cell_period(x, H_START, H_END, &start, &end);
    char *st = trimmed(cell_raw(x, H_START)), *en = trimmed(cell_raw(x, H_END));

    if (x->problems == before) {
        size_t i = 0;
        while (i < c->nrolls && strcmp(c->rolls[i].name, roll))
            i++;
        if (i == c->nrolls) {
            size_t cap = c->nrolls; /* src holds exactly nrolls */
            xgrow(&c->rolls, cap_rolls, c->nrolls + 1, sizeof *c->rolls);
            xgrow(src, &cap, c->nrolls + 1, sizeof **src);
            c->rolls[i] = (struct nb_roll){.id = (int64_t)i + 1, .name = xstrdup(roll),
                                           .start = WHEN_ALWAYS, .end = WHEN_NEVER};
            (*src)[i] = (struct roll_src){0};
            c->nrolls++;
        }
        struct nb_roll *rl = &c->rolls[i];
        struct roll_src *rs = &(*src)[i];
        /* The roll's period may be written on any one row; rows that give
         * one must agree, or staff would not know which one plays. */
        if (*st) {
            if (!rs->start_text) {
                rs->start_text = xstrdup(st);
                rs->start_line = x->row->line;
                rl->start = start;
            } else if (rl->start != start) {
                char *v = shown(st);
                problem(x, H_START, "开始“%s”与同一榜单第%u行的开始“%s”不一致，同一榜单请写相同的开始时间",
                        v, rs->start_line, rs->start_text);
                free(v);
            }
        }
        if (*en) {
            if (!rs->end_text) {
                rs->end_text = xstrdup(en);
                rs->end_line = x->row->line;
                rl->end = end;
            } else if (rl->end != end) {
                char *v = shown(en);
                problem(x, H_END, "结束“%s”与同一榜单第%u行的结束“%s”不一致，同一榜单请写相同的结束时间",
                        v, rs->end_line, rs->end_text);
                free(v);
            }
        }
        if (rl->start >= rl->end && !rs->period_reported) {
            rs->period_reported = true; /* once per roll, not on every later row */
            problem(x, H_START, "榜单“%s”的开始时间（第%u行）晚于结束时间（第%u行），"
                                "开始时间应早于结束时间",
                    rl->name, rs->start_line, rs->end_line);
        }
    }
    if (x->problems == before) {
        struct nb_roll *rl = NULL;
        for (size_t i = 0; i < c->nrolls && !rl; i++)
            if (!strcmp(c->rolls[i].name, roll))
                rl = &c->rolls[i];
        rl->entries = xrealloc(rl->entries, (rl->nentries + 1) * sizeof *rl->entries);
        rl->entries[rl->nentries++] = (struct nb_honor){
            .name = name, .honor = honor, .unit = unit, .year = year,
            .photo = dup_or_null(photo)};
    } else {
        free(name);
        free(honor);
        free(unit);
        free(year);
    }
    free(roll);
    free(st);
    free(en);
}

static void row_ticker(struct ctx *x, struct feed_content *c, size_t id)
{
    struct nb_ticker t = {.id = (int64_t)id};
    size_t before = x->problems;
    char *text = cell_required(x, T_TEXT, false);
    cell_period(x, T_START, T_END, &t.start, &t.end);
    if (x->problems == before) {
        t.text = text;
        xgrow(&c->ticker, &(size_t){c->nticker}, c->nticker + 1, sizeof *c->ticker);
        c->ticker[c->nticker++] = t;
    } else {
        free(text);
    }
}

static bool parse_holiday_kind(const char *s, bool *workday)
{
    static const char *const off[] = {"休", "off", "放假", "休息"};
    static const char *const work[] = {"班", "work", "上班", "补班"};
    for (size_t i = 0; i < ARRAY_LEN(off); i++)
        if (!strcasecmp(s, off[i]))
            return *workday = false, true;
    for (size_t i = 0; i < ARRAY_LEN(work); i++)
        if (!strcasecmp(s, work[i]))
            return *workday = true, true;
    return false;
}

static void row_holiday(struct ctx *x, struct feed_content *c, uint32_t **lines)
{
    struct nb_holiday h = {0};
    size_t before = x->problems;
    char *date = cell_required(x, D_DATE, false);
    if (date && !when_parse_date(date, &h.day)) {
        char *v = shown(date);
        problem(x, D_DATE, "日期“%s”无效，应为 2026-10-01 这样的格式", v);
        free(v);
    }
    char *kind = cell_required(x, D_KIND, false);
    if (kind && !parse_holiday_kind(kind, &h.workday)) {
        char *v = shown(kind);
        problem(x, D_KIND, "类型“%s”无效，只能写 休（放假）或 班（调休上班），也可写 off 或 work", v);
        free(v);
    }
    char *name = cell_text(x, D_NAME, false);
    if (x->problems == before) {
        for (size_t i = 0; i < c->nholidays; i++)
            if (c->holidays[i].day == h.day) {
                char *v = shown(date);
                problem(x, D_DATE, "日期“%s”重复（第%u行已经写过），每个日期只写一行", v,
                        (*lines)[i]);
                free(v);
                break;
            }
    }
    if (x->problems == before) {
        h.name = name;
        size_t cap = c->nholidays;
        xgrow(&c->holidays, &cap, c->nholidays + 1, sizeof *c->holidays);
        cap = c->nholidays;
        xgrow(lines, &cap, c->nholidays + 1, sizeof **lines);
        (*lines)[c->nholidays] = x->row->line;
        c->holidays[c->nholidays++] = h;
    } else {
        free(name);
    }
    free(date);
    free(kind);
}

static void row_setting(struct ctx *x, struct feed_content *c)
{
    char *key = cell_text(x, S_KEY, false);
    if (!key)
        return;
    uint32_t line, col;
    cell_where(x, S_KEY, &line, &col);
    /* Two rows for one setting: which one shows would be a guess. */
    const char *canon = !strcasecmp(key, "org_name") || !strcmp(key, "单位名称") ? "org_name"
                      : !strcasecmp(key, "logo") || !strcmp(key, "标志") ? "logo" : NULL;
    for (size_t i = 0; canon && i < c->nsettings; i++)
        if (!strcmp(c->settings[i].key, canon)) {
            char *v = shown(key);
            problem(x, S_KEY, "设置项“%s”重复出现，请只保留一行", v);
            free(v);
            free(key);
            return;
        }
    if (!strcasecmp(key, "org_name") || !strcmp(key, "单位名称")) {
        char *v = cell_text(x, S_VALUE, false);
        if (v) {
            free(c->org_name);
            c->org_name = v;
            xgrow(&c->settings, &(size_t){c->nsettings}, c->nsettings + 1, sizeof *c->settings);
            c->settings[c->nsettings++] = (struct nb_setting){xstrdup("org_name"), xstrdup(v)};
        }
    } else if (!strcasecmp(key, "logo") || !strcmp(key, "标志")) {
        const char *logo = NULL;
        if (cell_media(x, S_VALUE, &logo)) {
            free(c->logo);
            c->logo = dup_or_null(logo);
            xgrow(&c->settings, &(size_t){c->nsettings}, c->nsettings + 1, sizeof *c->settings);
            c->settings[c->nsettings++] =
                (struct nb_setting){xstrdup("logo"), xstrdup(logo ? logo : "")};
        }
    } else if (*key) {
        char *v = shown(key);
        report_warning(x->r, "%s:%u:%u: 不认识的设置项“%s”，已忽略（可以用的有：单位名称、标志）",
                       x->spec->file, line, col, v);
        free(v);
    } else {
        char *val = trimmed(cell_raw(x, S_VALUE));
        if (*val)
            problem(x, S_KEY, "项目不能为空，请填写 单位名称 或 标志");
        free(val);
    }
    free(key);
}

/* ---------------------------------------------------------------- header */

/* Header names: English (any case) or Chinese; spaces and a BOM trimmed,
 * and a required-marker from templates ("标题*", "标题（必填）") ignored. */
static int match_header(const struct kind_spec *spec, const char *raw)
{
    char *h = trimmed(raw);
    size_t n = strlen(h);
    static const char *const marks[] = {"（必填）", "(必填)", "*", "＊"};
    for (size_t i = 0; i < ARRAY_LEN(marks); i++) {
        size_t l = strlen(marks[i]);
        if (n > l && !strcmp(h + n - l, marks[i])) {
            h[n - l] = '\0';
            char *t = trimmed(h);
            free(h);
            h = t;
            break;
        }
    }
    int found = -1;
    for (size_t i = 0; i < spec->ncols && found < 0; i++)
        if (!strcasecmp(h, spec->cols[i].en) || !strcmp(h, spec->cols[i].zh))
            found = (int)i;
    free(h);
    return found;
}

static int cmp_event(const void *a, const void *b)
{
    const struct nb_event *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_holiday(const void *a, const void *b)
{
    const struct nb_holiday *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* ---------------------------------------------------------------- files */

/* Problems are found field by field; staff read them best in sheet order. */
static void where_of(const char *s, unsigned long *line, unsigned long *col)
{
    const char *p = strchr(s, ':');
    char *end;
    *line = p ? strtoul(p + 1, &end, 10) : 0;
    *col = p && *end == ':' ? strtoul(end + 1, NULL, 10) : 0;
}

static int cmp_where(const void *a, const void *b)
{
    unsigned long la, ca, lb, cb;
    where_of(*(char *const *)a, &la, &ca);
    where_of(*(char *const *)b, &lb, &cb);
    if (la != lb)
        return la < lb ? -1 : 1;
    return ca < cb ? -1 : ca > cb;
}

/* Insertion sort: stable, and the slice is short. */
static void sort_problems(struct report *r, size_t first)
{
    for (size_t i = first + 1; i < r->nproblems; i++) {
        char *v = r->problems[i];
        size_t j = i;
        while (j > first && cmp_where(&r->problems[j - 1], &v) > 0) {
            r->problems[j] = r->problems[j - 1];
            j--;
        }
        r->problems[j] = v;
    }
}

bool bundle_parse(struct feed_content *c, enum bundle_kind k, const void *data,
                  size_t len, const struct bundle_media *m, struct report *r)
{
    const struct kind_spec *spec = &kinds[k];
    struct ctx x = {.spec = spec, .media = m, .r = r};
    size_t first = r->nproblems;
    struct csv_error err = {0};
    struct table *csv = csv_parse(data, len, NULL, &err);
    if (!csv) {
        if (err.col)
            report_problem(r, "%s:%u:%u: %s", spec->file, err.line, err.col, err.msg);
        else
            report_problem(r, "%s:%u: %s", spec->file, err.line ? err.line : 1, err.msg);
        return false;
    }
    if (csv->nrows == 0) {
        report_problem(r, "%s:1: 文件是空的。第一行应为列名，例如 %s,%s", spec->file,
                       spec->cols[0].zh, spec->cols[1].zh);
        table_destroy(csv);
        return false;
    }

    /* Header row. */
    const struct table_row *hdr = &csv->rows[0];
    for (size_t i = 0; i < MAXCOLS; i++)
        x.pos[i] = -1;
    size_t problems = 0;
    for (uint32_t i = 0; i < hdr->ncells; i++) {
        const struct table_cell *cell = &hdr->cells[i];
        int col = match_header(spec, cell->text);
        if (col < 0) {
            char *t = trimmed(cell->text);
            if (*t) {
                char *v = shown(t);
                report_warning(r, "%s:%u:%u: 不认识的列名“%s”，这一列的内容将被忽略", spec->file,
                               cell->line, cell->col, v);
                free(v);
            }
            free(t);
        } else if (x.pos[col] >= 0) {
            report_problem(r, "%s:%u:%u: 列名“%s”重复出现（第%d列已经有了），请删除多余的一列",
                           spec->file, cell->line, cell->col, spec->cols[col].zh, x.pos[col] + 1);
            problems++;
        } else {
            x.pos[col] = (int)i;
        }
    }
    for (size_t i = 0; i < spec->ncols; i++)
        if (spec->cols[i].required && x.pos[i] < 0) {
            report_problem(r, "%s:%u: 缺少必填列“%s”（%s）", spec->file, hdr->line,
                           spec->cols[i].zh, spec->cols[i].en);
            problems++;
        }
    if (problems) {
        table_destroy(csv);
        return false;
    }
    if (csv->nrows - 1 > spec->max_rows) {
        report_problem(r, "%s:%u: 行数太多（共%zu行），最多%zu行，请删掉过期的内容", spec->file,
                       csv->rows[spec->max_rows + 1].line, csv->nrows - 1, spec->max_rows);
        table_destroy(csv);
        return false;
    }

    /* Rows, into a fresh content of this kind; swapped in only when clean. */
    struct feed_content n = {.org_name = xstrdup("")};
    size_t cap_rolls = 0;
    struct roll_src *src = NULL;
    uint32_t *hol_lines = NULL;
    for (size_t i = 1; i < csv->nrows; i++) {
        x.row = &csv->rows[i];
        /* A cell beyond the named columns would be silently lost. */
        for (uint32_t j = 0; j < x.row->ncells; j++) {
            const struct table_cell *cell = &x.row->cells[j];
            if (j < hdr->ncells)
                continue;
            char *t = trimmed(cell->text);
            if (*t) {
                char *v = shown(t);
                report_problem(r, "%s:%u:%u: 这一格“%s”没有列名，请删掉它，或在第一行补上列名",
                               spec->file, cell->line, cell->col, v);
                x.problems++;
                free(v);
            }
            free(t);
        }
        switch (k) {
        case BUNDLE_ANNOUNCEMENTS: row_announcement(&x, &n, i); break;
        case BUNDLE_EVENTS:        row_event(&x, &n, i); break;
        case BUNDLE_HONORS:        row_honor(&x, &n, &cap_rolls, &src); break;
        case BUNDLE_TICKER:        row_ticker(&x, &n, i); break;
        case BUNDLE_HOLIDAYS:      row_holiday(&x, &n, &hol_lines); break;
        case BUNDLE_SETTINGS:      row_setting(&x, &n); break;
        case BUNDLE_NKINDS:        break;
        }
    }
    for (size_t i = 0; i < n.nrolls; i++) {
        free(src[i].start_text);
        free(src[i].end_text);
    }
    free(src);
    free(hol_lines);
    table_destroy(csv);
    sort_problems(r, first);

    if (x.problems) {
        bundle_clear_kind(&n, k);
        free(n.org_name);
        free(n.logo);
        return false;
    }
    if (n.nevents)
        qsort(n.events, n.nevents, sizeof *n.events, cmp_event);
    if (n.nholidays)
        qsort(n.holidays, n.nholidays, sizeof *n.holidays, cmp_holiday);

    bundle_clear_kind(c, k);
    switch (k) {
    case BUNDLE_ANNOUNCEMENTS: c->ann = n.ann, c->nann = n.nann; break;
    case BUNDLE_EVENTS:        c->events = n.events, c->nevents = n.nevents; break;
    case BUNDLE_HONORS:        c->rolls = n.rolls, c->nrolls = n.nrolls; break;
    case BUNDLE_TICKER:        c->ticker = n.ticker, c->nticker = n.nticker; break;
    case BUNDLE_HOLIDAYS:      c->holidays = n.holidays, c->nholidays = n.nholidays; break;
    case BUNDLE_SETTINGS:
        c->settings = n.settings, c->nsettings = n.nsettings;
        free(c->org_name);
        c->org_name = n.org_name;
        n.org_name = NULL;
        c->logo = n.logo;
        n.logo = NULL;
        break;
    case BUNDLE_NKINDS: break;
    }
    free(n.org_name);
    return true;
}

/* Reads a staged file (ours, in private staging) whole. */
static char *read_at(int dirfd, const char *name, size_t max, size_t *len, bool *absent)
{
    *absent = false;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *absent = errno == ENOENT;
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t n = 0;
    while (n < (size_t)st.st_size) {
        ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            int e = got < 0 ? errno : EIO;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool bundle_load(int dirfd, struct feed_content *c, const struct bundle_media *m,
                 struct report *r, unsigned *parsed)
{
    bool ok = true;
    if (parsed)
        *parsed = 0;
    for (int k = 0; k < BUNDLE_NKINDS; k++) {
        size_t len = 0;
        bool absent;
        char *data = read_at(dirfd, kinds[k].file, CSV_MAX_BYTES, &len, &absent);
        if (!data) {
            if (absent)
                continue;
            log_errno("reading staged %s", kinds[k].file);
            report_problem(r, "%s: 无法读取这个文件（可能太大，最大 %u MB）", kinds[k].file,
                           CSV_MAX_BYTES >> 20);
            ok = false;
            continue;
        }
        if (parsed)
            *parsed |= 1u << k;
        if (!bundle_parse(c, (enum bundle_kind)k, data, len, m, r))
            ok = false;
        free(data);
    }
    return ok;
}
