/* xlsxw.c — the staff's workbook, template or content (xlsxw.h), written
 * with libxlsxwriter into a private temporary file and handed back as
 * bytes, so that the caller writes the stick its own careful way. */
#include "sync/xlsxw.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/clock.h"
#include "core/kinds.h"
#include "core/log.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/cells.h"
#include "sync/guide.h"

#define MAX_WORKBOOK (256u << 20)   /* far above 50,000 rows of every kind */

/* Colours: the header of a required column, of an optional one, and the
 * example row while it still holds the example. */
#define COLOR_REQUIRED 0xF8CBAD
#define COLOR_OPTIONAL 0xDDEBF7
#define COLOR_EXAMPLE  0xFFF2CC

struct w {
    lxw_workbook *wb;
    lxw_format *head_req, *head_opt;    /* header cells: locked */
    lxw_format *text, *para, *date;     /* data columns: unlocked */
    lxw_format *free_col;               /* columns right of the kind's: unlocked */
    lxw_format *example;                /* the example row's fill */
    lxw_format *g_title, *g_head, *g_line;
    bool failed;
    lxw_error err;
    const char *what;
};

/* Records the first libxlsxwriter failure (the rest are skipped). */
static void check(struct w *w, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && !w->failed) {
        w->failed = true;
        w->err = e;
        w->what = what;
    }
}

/* ---------------------------------------------------------------- formats */

/* Which cells keep what staff type.  WPS and Excel turn typed text into
 * numbers and dates where they can: 1-5 becomes 1月5日, 08:00-18:00 may
 * become a time, 2026 a number, a long digit string loses its tail.  So
 * every column is formatted as text ("@"), and a cell holds exactly what
 * was typed, which the importer reads as it would read a CSV cell.  The
 * one exception is a pure date column (日期: VAL_DATE): there a real date
 * cell is what staff expect (a date picker, "12/5" completed with the
 * year and shown as 2026-12-05), and the reader turns a date cell into
 * the same "2026-12-05".  开始 and 结束 stay text although they hold
 * dates: they may carry a time, and a date format would either hide a
 * typed 09:30 or show a bare end date as 00:00 — and a bare end date
 * includes its whole day, so the difference matters.  开始时间 and 结束时间
 * stay text too: "09:30" typed is "09:30" read, with no time format to
 * round or to show as 9:30:00. */
static void make_formats(struct w *w)
{
    lxw_workbook *wb = w->wb;
    lxw_format *f;
    for (int req = 0; req < 2; req++) {
        f = workbook_add_format(wb);
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bg_color(f, req ? COLOR_REQUIRED : COLOR_OPTIONAL);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_num_format(f, "@");
        if (req)
            w->head_req = f;
        else
            w->head_opt = f;
    }
    w->text = f = workbook_add_format(wb);
    format_set_num_format(f, "@");
    format_set_unlocked(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    w->para = f = workbook_add_format(wb);
    format_set_num_format(f, "@");
    format_set_unlocked(f);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    w->date = f = workbook_add_format(wb);
    format_set_num_format(f, "yyyy-mm-dd");
    format_set_unlocked(f);
    format_set_align(f, LXW_ALIGN_LEFT);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    w->free_col = f = workbook_add_format(wb);
    format_set_unlocked(f);
    w->example = f = workbook_add_format(wb);
    format_set_bg_color(f, COLOR_EXAMPLE);
    format_set_font_color(f, 0x7F6000);
    w->g_title = f = workbook_add_format(wb);
    format_set_bold(f);
    format_set_font_size(f, 16);
    w->g_head = f = workbook_add_format(wb);
    format_set_bold(f);
    format_set_font_size(f, 12);
    w->g_line = f = workbook_add_format(wb);
    format_set_num_format(f, "@");
}

static lxw_format *col_format(const struct w *w, enum val_type t)
{
    return t == VAL_DATE ? w->date : t == VAL_PARAGRAPHS ? w->para : w->text;
}

/* A column wide enough for its usual content, in Excel's character units. */
static double col_width(const struct kind_col *c, enum kind k)
{
    double wd;
    switch (c->type) {
    case VAL_PARAGRAPHS: wd = 44; break;
    case VAL_TEXT:       wd = k == KIND_SETTINGS ? 40 : c->max_chars > 150 ? 28 : 18; break;
    case VAL_MEDIA:      wd = 18; break;
    case VAL_QR:         wd = 28; break;
    case VAL_COUNTDOWN:  wd = 14; break;
    case VAL_START: case VAL_END: wd = 17; break;
    case VAL_DATE:       wd = 12; break;
    case VAL_HOURS:      wd = 16; break;
    case VAL_DAYS:       wd = 14; break;
    default:             wd = 10; break;
    }
    double head = (double)guide_width(c->zh) + 6;
    return wd > head ? wd : head;
}

/* ---------------------------------------------------------------- help */

/* The header's note: 必填 or 可以不填, what to type, an example. */
static char *header_note(const struct kind_col *c, int64_t today)
{
    struct sbuf b = {0};
    sbuf_adds(&b, c->required ? "【必填】" : "【可以不填】");
    if (*c->hint)
        sbuf_addf(&b, "\n%s", c->hint);
    char *ex = guide_example(c, today);
    if (*ex)
        sbuf_addf(&b, "\n例如：%s", ex);
    free(ex);
    return sbuf_take(&b);
}

/* A comment box tall enough for its text (about 18 CJK characters a line
 * at the default 9 pt in a box 280 px wide). */
static void comment_size(const char *text, lxw_comment_options *o)
{
    unsigned lines = 0;
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
        lines += 1 + (unsigned)(guide_width(line) / 38);
        free(line);
        if (!nl)
            break;
        p = nl + 1;
    }
    o->width = 280;
    o->height = (uint16_t)(14 + 15 * lines);
}

/* The strings of a list validation (NULL-terminated), or NULL. */
static const char *const *choices(const struct kind_col *c, enum kind k, bool *free_text)
{
    static const char *const prio[] = {"普通", "重要", "紧急", NULL};
    static const char *const hol[] = {"休", "班", NULL};
    static const char *const days[] = {"每天", "工作日", "周末", "周一至周五", "周六、周日", NULL};
    static const char *const keys[] = {"单位名称", "标志", NULL};
    *free_text = false;
    switch (c->type) {
    case VAL_PRIORITY: return prio;
    case VAL_HOLIDAY:  return hol;
    case VAL_DAYS:     *free_text = true; return days;
    default:           break;
    }
    if (k == KIND_SETTINGS && c == &kind_info(k)->cols[0])
        return keys;
    return NULL;
}

/* Excel's limits: a prompt's title 32 characters, its text 255. */
static char *clip(const char *s, size_t max_chars)
{
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n && chars < max_chars) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
        chars++;
    }
    return xstrndup(s, i);
}

/* The prompt shown when a cell of column i is selected, and what the
 * spreadsheet may check there: a dropdown (级别, 类型, 设置的项目 warn on
 * anything else; 星期 only informs, since many forms are valid), a date
 * on date columns (a warning: "下周三" is still the staff's call, and the
 * importer explains what it refuses).  Nothing blocks: the importer is the
 * judge and says what is wrong in words. */
static void validation(struct w *w, lxw_worksheet *ws, enum kind k, lxw_col_t i,
                       const char *note)
{
    const struct kind_col *c = &kind_info(k)->cols[i];
    lxw_data_validation v = {0};
    char *title = clip(c->zh, 32), *msg = clip(note, 250);
    char *err = NULL;
    v.input_title = title;
    v.input_message = msg;
    v.error_title = title;
    bool free_text;
    const char *const *list = choices(c, k, &free_text);
    if (list) {
        v.validate = LXW_VALIDATION_TYPE_LIST;
        v.value_list = (char **)list;
        v.error_type = free_text ? LXW_VALIDATION_ERROR_TYPE_INFORMATION
                                 : LXW_VALIDATION_ERROR_TYPE_WARNING;
        struct sbuf b = {0};
        sbuf_adds(&b, free_text ? "也可以写其他写法，例如 周一,周三,周五。" : "请从下拉列表里选：");
        for (size_t j = 0; !free_text && list[j]; j++)
            sbuf_addf(&b, "%s%s", j ? "、" : "", list[j]);
        err = sbuf_take(&b);
    } else if (c->type == VAL_DATE) {
        v.validate = LXW_VALIDATION_TYPE_DATE;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_datetime = (lxw_datetime){2000, 1, 1, 0, 0, 0};
        v.maximum_datetime = (lxw_datetime){2199, 12, 31, 0, 0, 0};
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        err = xstrdup("这里要填一个带年份的日期，例如 2026-12-05。");
    } else {
        v.validate = LXW_VALIDATION_TYPE_ANY;
    }
    v.error_message = err;
    check(w, worksheet_data_validation_range(ws, 1, i, LXW_ROW_MAX - 1, i, &v),
          "data validation");
    free(title);
    free(msg);
    free(err);
}

/* A formula string literal: "" doubled, line breaks as CHAR(10). */
static void formula_string(struct sbuf *b, const char *s)
{
    sbuf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            sbuf_adds(b, "\"\"");
        else if (*s == '\n')
            sbuf_adds(b, "\"&CHAR(10)&\"");
        else
            sbuf_addc(b, *s);
    }
    sbuf_addc(b, '"');
}

/* Colours any row that still holds the kind's example text (every text
 * column with a fixed example, as the importer's check compares), so the
 * colour goes as soon as staff change it. */
static void example_colour(struct w *w, lxw_worksheet *ws, enum kind k)
{
    const struct kind_info *ki = kind_info(k);
    struct sbuf b = {0};
    size_t n = 0;
    for (size_t i = 0; i < ki->ncols; i++) {
        const struct kind_col *c = &ki->cols[i];
        if ((c->type != VAL_TEXT && c->type != VAL_PARAGRAPHS) || !*c->example ||
            *c->example == '@')
            continue;
        char col[16];
        lxw_col_to_name(col, (lxw_col_t)i, 1);
        sbuf_addf(&b, "%s%s2=", n++ ? "," : "AND(", col);
        formula_string(&b, c->example);
    }
    if (!n)
        return;
    sbuf_adds(&b, ")");
    lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = b.s,
                                 .format = w->example};
    check(w, worksheet_conditional_format_range(ws, 1, 0, (lxw_row_t)ki->max_rows,
                                                (lxw_col_t)(ki->ncols - 1), &cf),
          "conditional format");
    sbuf_free(&b);
}

/* ---------------------------------------------------------------- sheets */

/* A kind's sheet with its header, help and protection; rows come after. */
static lxw_worksheet *kind_sheet(struct w *w, enum kind k, int64_t today)
{
    const struct kind_info *ki = kind_info(k);
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, ki->sheet);
    if (!ws) {
        check(w, LXW_ERROR_MEMORY_MALLOC_FAILED, "add worksheet");
        return NULL;
    }
    for (size_t i = 0; i < ki->ncols; i++) {
        const struct kind_col *c = &ki->cols[i];
        check(w, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, col_width(c, k),
                                      col_format(w, c->type)), "set column");
    }
    /* Every cell of a row must be unlocked for a protected sheet to let
     * staff delete the row, so the columns right of the kind's are too. */
    check(w, worksheet_set_column(ws, (lxw_col_t)ki->ncols, LXW_COL_MAX - 1, 9, w->free_col),
          "set column");
    /* The header row's own format stays the columns' (unlocked): staff may
     * name a column of their own right of ours (#备注); ours are locked. */
    check(w, worksheet_set_row(ws, 0, 24, NULL), "set row");
    lxw_comment_options co = {.author = "信息屏"};
    for (size_t i = 0; i < ki->ncols; i++) {
        const struct kind_col *c = &ki->cols[i];
        lxw_col_t col = (lxw_col_t)i;
        check(w, worksheet_write_string(ws, 0, col, c->zh, c->required ? w->head_req : w->head_opt),
              "header");
        char *note = header_note(c, today);
        comment_size(note, &co);
        check(w, worksheet_write_comment_opt(ws, 0, col, note, &co), "header note");
        validation(w, ws, k, col, note);
        free(note);
    }
    worksheet_freeze_panes(ws, 1, 0);
    /* Printed: A4 across, one page wide, the header on every page. */
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    check(w, worksheet_repeat_rows(ws, 0, 0), "repeat rows");
    /* Text-formatted digits ("15", "2026") are what we mean, not a mistake. */
    check(w, worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"),
          "ignore errors");
    /* The header is locked (it is how the importer finds the columns);
     * rows below stay free to type, insert, delete, sort and resize.  No
     * password: 审阅 → 撤销工作表保护 lifts it when really needed.  This is
     * OOXML's sheetProtection (insertRows/deleteRows allowed), which Excel,
     * WPS and LibreOffice all read; LibreOffice keeps it when it saves
     * (checked), WPS was not at hand.  A row inserted right under the
     * header takes the header's format, locked included, in Excel and
     * LibreOffice alike: the guide says to insert from row 3 down. */
    lxw_protection p = {.insert_rows = 1, .delete_rows = 1, .format_columns = 1,
                        .format_rows = 1, .sort = 1, .autofilter = 1};
    worksheet_protect(ws, NULL, &p);
    return ws;
}

/* Lines a wrapped cell of column c needs to show s whole. */
static unsigned lines_of(const struct kind_col *c, enum kind k, const char *s)
{
    if (c->type != VAL_PARAGRAPHS)
        return 1;
    size_t per = (size_t)col_width(c, k) - 2;
    unsigned n = 0;
    for (const char *p = s;;) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
        n += 1 + (unsigned)(guide_width(line) / per);
        free(line);
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}

/* A cell of column c (row r) holding text s, as a string: never a formula,
 * whatever s starts with (=, +, -, @).  *lines grows to what s needs
 * (libxlsxwriter cannot size rows, and Excel does not on opening). */
static void put_text(struct w *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, enum kind k,
                     const char *s, unsigned *lines)
{
    const struct kind_col *c = &kind_info(k)->cols[col];
    if (!*s)
        return;
    check(w, worksheet_write_string(ws, r, col, s, col_format(w, c->type)), "write cell");
    unsigned n = lines_of(c, k, s);
    if (n > *lines)
        *lines = n;
}

/* Sets row r's height for `lines` lines of text (at most Excel's 409 pt). */
static void size_row(struct w *w, lxw_worksheet *ws, lxw_row_t r, unsigned lines)
{
    if (lines > 1)
        check(w, worksheet_set_row(ws, r, lines > 27 ? 409 : 15.0 * lines, NULL), "set row");
}

/* A day of a date column as a date cell (the feed's range, 1970–2199, is
 * within what a workbook holds). */
static void put_date(struct w *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, int64_t day)
{
    int y, m, d;
    when_civil_from_days(day, &y, &m, &d);
    lxw_datetime dt = {y, m, d, 0, 0, 0};
    check(w, worksheet_write_datetime(ws, r, col, &dt, w->date), "write date");
}

/* A guide line "  名称   说明" split where its indented first word ends at
 * two or more spaces, so that the sheet shows names and explanations in
 * two columns ("" when the line has no such gap); *first gets the name.
 * A line of a deep indent alone goes to the second column too. */
static const char *guide_split(const char *line, char **first)
{
    const char *p = line;
    while (*p == ' ')
        p++;
    size_t indent = (size_t)(p - line);
    *first = NULL;
    if (indent >= 8 && *p) {
        *first = xstrdup("");
        return p;
    }
    if (indent == 0)
        return "";
    const char *gap = strstr(p, "  ");
    if (!gap)
        return "";
    const char *rest = gap;
    while (*rest == ' ')
        rest++;
    if (!*rest)
        return "";
    *first = xstrndup(line, (size_t)(gap - line));
    return rest;
}

/* The first sheet: the guide, one line a row (names and explanations in
 * two columns), the numbered sections in bold. */
static void guide_sheet(struct w *w)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, "使用说明");
    if (!ws) {
        check(w, LXW_ERROR_MEMORY_MALLOC_FAILED, "add worksheet");
        return;
    }
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    worksheet_set_paper(ws, 9);                 /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    check(w, worksheet_set_column(ws, 0, 0, 16, w->g_line), "set column");
    check(w, worksheet_set_column(ws, 1, 1, 100, w->g_line), "set column");
    char *text = guide_text();
    lxw_row_t r = 0;
    for (char *p = text, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p) - 1;     /* the last line has no "\n" */
        else
            *nl = '\0';
        if (!strncmp(p, "==", 2))       /* the title's underline: the sheet has bold */
            continue;
        bool section = strstr(p, "、") == p + 3 && *p != ' ';
        lxw_format *f = r == 0 ? w->g_title : section ? w->g_head : w->g_line;
        char *first;
        const char *rest = guide_split(p, &first);
        if (first) {
            check(w, worksheet_write_string(ws, r, 0, first, f), "guide");
            check(w, worksheet_write_string(ws, r, 1, rest, f), "guide");
            free(first);
        } else if (*p) {
            check(w, worksheet_write_string(ws, r, 0, p, f), "guide");
        }
        if (r == 0 || section)
            check(w, worksheet_set_row(ws, r, r == 0 ? 28 : 20, NULL), "set row");
        r++;
    }
    free(text);
}

/* ---------------------------------------------------------------- files */

/* Creates the workbook in a private temporary file.  Its creation time
 * (a civil day) is stated rather than read from the clock, so the same
 * content makes the same bytes. */
static bool begin(struct w *w, int64_t day, char **path, char **why)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    *path = xasprintf("%s/nb-xlsxw-XXXXXX", tmp);
    int fd = mkstemp(*path);
    if (fd < 0) {
        *why = xasprintf("cannot create a temporary file in %s: %s", tmp, strerror(errno));
        free(*path);
        *path = NULL;
        return false;
    }
    close(fd);
    lxw_workbook_options o = {.tmpdir = (char *)tmp};
    w->wb = workbook_new_opt(*path, &o);
    if (!w->wb) {
        *why = xasprintf("libxlsxwriter could not start a workbook in %s", tmp);
        unlink(*path);
        free(*path);
        *path = NULL;
        return false;
    }
    lxw_doc_properties props = {.title = "信息屏内容", .author = "信息屏",
                                .comments = "noticeboard-sync",
                                .created = (time_t)(day > 0 ? day : 1) * 86400};
    workbook_set_properties(w->wb, &props);
    make_formats(w);
    return true;
}

/* Closes the workbook and reads its bytes back; removes the file. */
static void *finish(struct w *w, char *path, size_t *len, char **why)
{
    lxw_error e = workbook_close(w->wb);
    void *data = NULL;
    if (w->failed)
        *why = xasprintf("writing the workbook failed at %s: %s", w->what, lxw_strerror(w->err));
    else if (e != LXW_NO_ERROR)
        *why = xasprintf("writing the workbook failed: %s", lxw_strerror(e));
    else if (!(data = read_file(path, MAX_WORKBOOK, len)))
        *why = xasprintf("cannot read back %s: %s", path, strerror(errno));
    unlink(path);
    free(path);
    return data;
}

void *xlsxw_template(int64_t today, size_t *len, char **why)
{
    struct w w = {0};
    char *path;
    *why = NULL;
    if (!begin(&w, today, &path, why))
        return NULL;
    guide_sheet(&w);
    for (int k = 0; k < KIND_COUNT && !w.failed; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        lxw_worksheet *ws = kind_sheet(&w, (enum kind)k, today);
        if (!ws)
            break;
        unsigned lines = 1;
        for (size_t i = 0; i < ki->ncols; i++) {
            const struct kind_col *c = &ki->cols[i];
            char *ex = guide_example(c, today);
            int64_t day;
            if (c->type == VAL_DATE && when_parse_date(ex, &day))
                put_date(&w, ws, 1, (lxw_col_t)i, day);
            else
                put_text(&w, ws, 1, (lxw_col_t)i, (enum kind)k, ex, &lines);
            free(ex);
        }
        size_row(&w, ws, 1, lines);
        lxw_comment_options co = {.author = "信息屏"};
        comment_size(guide_example_note((enum kind)k), &co);
        check(&w, worksheet_write_comment_opt(ws, 1, 0, guide_example_note((enum kind)k), &co),
              "example note");
        example_colour(&w, ws, (enum kind)k);
    }
    return finish(&w, path, len, why);
}

/* The words staff use for the settings export writes; NULL for a key staff
 * cannot set (a feed may hold others, kept and ignored: writing them would
 * only make the export refuse to import). */
static const char *setting_word(const char *key)
{
    return !strcmp(key, "org_name") ? "单位名称" : !strcmp(key, "logo") ? "标志" : NULL;
}

bool xlsxw_row_text(const struct feed_content *c, enum kind k, size_t row,
                    const struct xlsxw_media *m, char **cells)
{
    const struct kind_info *ki = kind_info(k);
    union kind_value v[KIND_MAX_COLS];
    kind_row_get(c, k, row, v);
    if (k == KIND_SETTINGS) {
        const char *word = setting_word(v[0].s);
        if (!word) {
            log_info("export: setting '%s' is not one staff can set; not written", v[0].s);
            return false;
        }
        const char *val = v[1].s;
        if (!strcmp(v[0].s, "logo") && m && m->file && m->file(m->ctx, val))
            val = m->file(m->ctx, val);
        cells[0] = xstrdup(word);
        cells[1] = xstrdup(val);
        return true;
    }
    for (size_t i = 0; i < ki->ncols; i++) {
        const struct kind_col *kc = &ki->cols[i];
        const char *f = kc->type == VAL_MEDIA && v[i].s && m && m->file
                            ? m->file(m->ctx, v[i].s) : NULL;
        cells[i] = f ? xstrdup(f) : cell_write(kc->type, &v[i]);
    }
    return true;
}

void *xlsxw_content(const struct feed_content *c, const struct xlsxw_media *m, int64_t today,
                    size_t *len, char **why)
{
    struct w w = {0};
    char *path;
    *why = NULL;
    /* Dated by the content, not by the day of the export. */
    if (!begin(&w, c->created != CLOCK_NONE ? c->created / WHEN_MIN_PER_DAY : today, &path, why))
        return NULL;
    guide_sheet(&w);
    for (int k = 0; k < KIND_COUNT && !w.failed; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        lxw_worksheet *ws = kind_sheet(&w, (enum kind)k, today);
        if (!ws)
            break;
        size_t n = kind_rows(c, (enum kind)k);
        lxw_row_t r = 1;
        for (size_t row = 0; row < n && !w.failed; row++) {
            char *cells[KIND_MAX_COLS];
            if (!xlsxw_row_text(c, (enum kind)k, row, m, cells))
                continue;
            unsigned lines = 1;
            for (size_t i = 0; i < ki->ncols; i++) {
                int64_t day;
                if (ki->cols[i].type == VAL_DATE && when_parse_date(cells[i], &day))
                    put_date(&w, ws, r, (lxw_col_t)i, day);
                else
                    put_text(&w, ws, r, (lxw_col_t)i, (enum kind)k, cells[i], &lines);
                free(cells[i]);
            }
            size_row(&w, ws, r++, lines);
        }
    }
    return finish(&w, path, len, why);
}
