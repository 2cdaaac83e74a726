/* bundle.c — validation of the staff's sheets by the kinds table: header
 * mapping, every cell read by its column's type, the rules that span cells
 * (start before end, a roll's period, one row per holiday), and every
 * problem reported in one pass, in sheet order, with where it is. */
#include "sync/bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/glyphs.h"
#include "core/log.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/xlsx.h"
#include "sync/xlsxw.h"

/* The longest 备注 sure to show whole on an events page (a portrait screen
 * at the smallest size shows about 19 characters a line, and the page
 * keeps room for a two-line title and place): a longer one ends in "…"
 * on the screen, and the report says so. */
#define EVENT_NOTE_SHOWN 300

/* The longest event that runs past midnight, in minutes (22:00-02:00 is 240). */
#define EVENT_OVERNIGHT_MAX (12 * 60)

const char *bundle_file_name(enum kind k)
{
    static const char *const names[KIND_COUNT] = {
        "announcements.csv", "events.csv", "honors.csv", "ticker.csv", "holidays.csv",
        "settings.csv"};
    return names[k];
}

static const char *const book_exts[] = {".xlsx", ".xls", ".et"};

char *bundle_table_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return NULL;
    size_t stem = (size_t)(dot - name);
    const char *ext = NULL;
    if (!strcasecmp(dot, ".csv"))
        ext = ".csv";
    for (size_t i = 0; i < ARRAY_LEN(book_exts); i++)
        if (!strcasecmp(dot, book_exts[i]))
            ext = book_exts[i];
    if (!ext)
        return NULL;
    for (int k = 0; k < KIND_COUNT; k++) {
        const char *kn = kind_info((enum kind)k)->name;
        if (strlen(kn) == stem && !strncasecmp(name, kn, stem))
            return xasprintf("%s%s", kn, ext);
    }
    if (strcmp(ext, ".csv") && stem == strlen(BUNDLE_WORKBOOK_STEM) &&
        !strncmp(name, BUNDLE_WORKBOOK_STEM, stem))
        return xasprintf("%s%s", BUNDLE_WORKBOOK_STEM, ext);
    return NULL;
}

/* ---------------------------------------------------------------- problems */

/* A problem or warning held until the sheet is done, so that staff read
 * them in sheet order however the checks found them. */
struct note {
    uint32_t line, col;     /* col 0: the whole row or file */
    bool warning;
    char *text;             /* the whole line, with its place */
};

struct ctx {
    enum kind kind;
    const struct kind_info *ki;
    const struct sheet_src *src;
    const struct bundle_media *media;
    int pos[KIND_MAX_COLS];         /* kind column → 0-based sheet column, or -1 */
    const struct table_row *row;
    struct note *notes;
    size_t nnotes, cap, problems;
};

/* "C" for column 3, "AA" for 27: as a spreadsheet names columns. */
static void col_letters(uint32_t col, char out[8])
{
    char tmp[8];
    int n = 0;
    while (col && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* Adds a note at (line, col): `file:line:col: text` for CSV, `file 表!C5:
 * text` for a workbook.  sheet_row (CSV) is the row WPS/Excel shows when it
 * differs from the line, after a cell with line breaks. */
static void note(struct ctx *x, bool warning, uint32_t line, uint32_t col, uint32_t sheet_row,
                 const char *fmt, ...) NB_PRINTF(6, 7);
static void note(struct ctx *x, bool warning, uint32_t line, uint32_t col, uint32_t sheet_row,
                 const char *fmt, ...)
{
    struct sbuf b = {0};
    if (x->src->sheet) {
        char letters[8];
        col_letters(col, letters);
        if (col)
            sbuf_addf(&b, "%s %s!%s%u: ", x->src->file, x->src->sheet, letters, line);
        else
            sbuf_addf(&b, "%s %s!第%u行: ", x->src->file, x->src->sheet, line);
    } else if (col) {
        sbuf_addf(&b, "%s:%u:%u: ", x->src->file, line, col);
    } else {
        sbuf_addf(&b, "%s:%u: ", x->src->file, line);
    }
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(&b, fmt, ap);
    va_end(ap);
    /* Staff fix the file in WPS or Excel, whose row numbers count records:
     * after a cell with line breaks, the line number is not what they see. */
    if (!x->src->sheet && sheet_row && sheet_row != line)
        sbuf_addf(&b, "（在 WPS 或 Excel 中是第%u行）", sheet_row);
    xgrow(&x->notes, &x->cap, x->nnotes + 1, sizeof *x->notes);
    x->notes[x->nnotes++] = (struct note){line, col, warning, sbuf_take(&b)};
    if (!warning)
        x->problems++;
}

/* The cell of kind column c in the current row, NULL when the row is short. */
static const struct table_cell *cell_of(const struct ctx *x, int c)
{
    int p = x->pos[c];
    return p >= 0 && (uint32_t)p < x->row->ncells ? &x->row->cells[p] : NULL;
}

/* A problem at kind column c of the current row. */
static void problem(struct ctx *x, int c, const char *fmt, ...) NB_PRINTF(3, 4);
static void problem(struct ctx *x, int c, const char *fmt, ...)
{
    const struct table_cell *cell = cell_of(x, c);
    uint32_t line = cell ? cell->line : x->row->line;
    uint32_t col = cell ? cell->col : x->pos[c] >= 0 ? (uint32_t)x->pos[c] + 1 : 1;
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(&b, fmt, ap);
    va_end(ap);
    note(x, false, line, col, x->row->sheet_row, "%s", b.s);
    sbuf_free(&b);
}

static int cmp_note(const void *a, const void *b)
{
    const struct note *p = a, *q = b;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1;
    if (p->col != q->col)
        return p->col < q->col ? -1 : 1;
    return p < q ? -1 : p > q;  /* stable: the order they were found in */
}

/* Hands the notes to the report in sheet order. */
static void flush_notes(struct ctx *x, struct report *r)
{
    /* qsort is not stable; the address tie-break needs the original
     * order, which a copy of the pointers keeps. */
    if (x->nnotes > 1) {
        struct note *copy = xmalloc(x->nnotes * sizeof *copy);
        memcpy(copy, x->notes, x->nnotes * sizeof *copy);
        qsort(copy, x->nnotes, sizeof *copy, cmp_note);
        memcpy(x->notes, copy, x->nnotes * sizeof *copy);
        free(copy);
    }
    for (size_t i = 0; i < x->nnotes; i++) {
        if (x->notes[i].warning)
            report_warning(r, "%s", x->notes[i].text);
        else
            report_problem(r, "%s", x->notes[i].text);
        free(x->notes[i].text);
    }
    free(x->notes);
    x->notes = NULL;
    x->nnotes = x->cap = 0;
}

/* ---------------------------------------------------------------- header */

/* A header cell as the column name it means: spaces trimmed, and the notes
 * a template or a careful colleague adds ignored — 标题*, 标题（必填）,
 * 开始（日期）, 时长(秒), 时段 (可选) — so a note never drops a column. */
static char *header_name(const char *raw)
{
    char *h = cell_trimmed(raw);
    for (bool again = true; again;) {
        again = false;
        size_t n = strlen(h);
        static const char *const stars[] = {"*", "＊"};
        for (size_t i = 0; i < ARRAY_LEN(stars); i++) {
            size_t l = strlen(stars[i]);
            if (n > l && !strcmp(h + n - l, stars[i])) {
                h[n - l] = '\0';
                again = true;
            }
        }
        n = strlen(h);
        static const char *const closes[][2] = {{"）", "（"}, {")", "("}, {"）", "("}, {")", "（"},
                                                 {"】", "【"}, {"]", "["}};
        for (size_t i = 0; i < ARRAY_LEN(closes) && !again; i++) {
            size_t l = strlen(closes[i][0]);
            if (n <= l || strcmp(h + n - l, closes[i][0]))
                continue;
            char *open = NULL;
            for (char *p = strstr(h, closes[i][1]); p; p = strstr(p + 1, closes[i][1]))
                open = p;
            if (open && open > h) {
                *open = '\0';
                again = true;
            }
        }
        char *t = cell_trimmed(h);
        free(h);
        h = t;
    }
    return h;
}

/* The kind column a header cell names, or -1. */
static int match_header(const struct kind_info *ki, const char *name)
{
    for (size_t i = 0; i < ki->ncols; i++)
        if (!strcasecmp(name, ki->cols[i].en) || !strcmp(name, ki->cols[i].zh))
            return (int)i;
    return -1;
}

/* "标题、内容、图片…": the kind's column names, for messages. */
static char *col_list(const struct kind_info *ki)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < ki->ncols; i++)
        sbuf_addf(&b, "%s%s", i ? "、" : "", ki->cols[i].zh);
    return sbuf_take(&b);
}

/* How many kind columns row names (a header row, or one staff put lower). */
static size_t names_in(const struct kind_info *ki, const struct table_row *row)
{
    size_t n = 0;
    for (uint32_t i = 0; i < row->ncells; i++) {
        char *h = header_name(row->cells[i].text);
        n += *h && match_header(ki, h) >= 0;
        free(h);
    }
    return n;
}

/* Maps the header row.  Returns false after reporting a problem that
 * makes the rows unreadable (no header, a required column missing, a
 * column twice).  unknown[i] is set for sheet columns to be checked for
 * data: unknown names (1), no name (2), a name under a merged cell (3). */
static bool map_header(struct ctx *x, const struct table *t, uint8_t *unknown)
{
    const struct kind_info *ki = x->ki;
    const struct table_row *hdr = &t->rows[0];
    for (size_t i = 0; i < KIND_MAX_COLS; i++)
        x->pos[i] = -1;
    if (names_in(ki, hdr) == 0) {
        /* A banner ("2026年12月公告") above the header, or no header at all. */
        char *cols = col_list(ki);
        for (size_t r = 1; r < t->nrows && r < 6; r++)
            if (names_in(ki, &t->rows[r]) > 0) {
                note(x, false, hdr->line, 0, hdr->sheet_row,
                     "第一行应该是列名，但列名在第%u行。请删掉列名上面的%s行，让列名（%s）成为第一行",
                     t->rows[r].sheet_row ? t->rows[r].sheet_row : t->rows[r].line,
                     r == 1 ? "那一" : "几", cols);
                free(cols);
                return false;
            }
        note(x, false, hdr->line, 0, hdr->sheet_row,
             "第一行应该是列名（%s），这里没有找到认识的列名。请在第一行写上列名，例如 %s,%s",
             cols, ki->cols[0].zh, ki->cols[1 % ki->ncols].zh);
        free(cols);
        return false;
    }
    bool ok = true;
    for (uint32_t i = 0; i < hdr->ncells; i++) {
        const struct table_cell *cell = &hdr->cells[i];
        char *h = header_name(cell->text);
        int c = *h ? match_header(ki, h) : -1;
        if (c >= 0 && x->pos[c] >= 0) {
            note(x, false, cell->line, cell->col, 0,
                 "列名“%s”重复出现（第%d列已经有了），请删除多余的一列", ki->cols[c].zh,
                 x->pos[c] + 1);
            ok = false;
        } else if (c >= 0) {
            x->pos[c] = (int)i;
        } else if (i < t->rows[0].ncells) {
            /* "#备注": the staff's own column, never shown. */
            unknown[i] = *h == '#' ? 0 : *h ? 1 : cell->flags & CELL_MERGED ? 3 : 2;
        }
        free(h);
    }
    for (size_t i = 0; i < ki->ncols; i++)
        if (ki->cols[i].required && x->pos[i] < 0) {
            note(x, false, hdr->line, 0, 0, "缺少必填列“%s”（%s）", ki->cols[i].zh,
                 ki->cols[i].en);
            ok = false;
        }
    return ok;
}

/* Data in a column the sheet cannot place would be lost without a word:
 * each such column is a problem, once, at its first filled cell.  An
 * unknown column with no data only gets a warning. */
static void check_unplaced(struct ctx *x, const struct table *t, const uint8_t *unknown,
                           uint32_t nhdr)
{
    const struct kind_info *ki = x->ki;
    const struct table_row *hdr = &t->rows[0];
    uint32_t widest = 0;
    for (size_t r = 1; r < t->nrows; r++)
        if (t->rows[r].ncells > widest)
            widest = t->rows[r].ncells;
    for (uint32_t c = 0; c < widest || c < nhdr; c++) {
        if (c < nhdr && !unknown[c])
            continue;
        const struct table_cell *first = NULL;
        for (size_t r = 1; r < t->nrows && !first; r++) {
            const struct table_row *row = &t->rows[r];
            if (c < row->ncells) {
                char *v = cell_trimmed(row->cells[c].text);
                if (*v)
                    first = &row->cells[c];
                free(v);
            }
        }
        int kind = c < nhdr ? unknown[c] : 2;
        char *name = c < nhdr ? header_name(hdr->cells[c].text) : xstrdup("");
        char *cols = col_list(ki);
        if (!first && kind == 1) {
            note(x, true, hdr->cells[c].line, hdr->cells[c].col, 0,
                 "不认识的列名“%s”，这一列没有内容，不影响更新", name);
        } else if (first) {
            char *v = cell_shown(first->text);
            uint32_t srow = 0;
            for (size_t r = 1; r < t->nrows; r++)
                if (first >= t->rows[r].cells && first < t->rows[r].cells + t->rows[r].ncells)
                    srow = t->rows[r].sheet_row;
            if (kind == 1)
                note(x, false, first->line, first->col, srow,
                     "这一列的列名“%s”不认识，它的内容（如“%s”）不会显示。请把列名改成 %s 中的一个；"
                     "如果这一列只是自己的记录、不需要显示，请把列名改成以 # 开头（例如 #%s）",
                     name, v, cols, name);
            else if (kind == 3)
                note(x, false, first->line, first->col, srow,
                     "这一格“%s”所在的列没有列名（第一行的格被合并了）。请取消合并，给这一列写上列名，"
                     "或删掉这一列的内容", v);
            else
                note(x, false, first->line, first->col, srow,
                     "这一格“%s”没有列名，请删掉它，或在第一行补上列名", v);
            free(v);
        }
        free(name);
        free(cols);
    }
}

/* ---------------------------------------------------------------- rows */

/* Is the current row the template's untouched example?  Every text column
 * that has a fixed example holds exactly it (dates differ by the day init
 * ran, so they do not count). */
static bool is_example(const struct ctx *x, const union kind_value *v)
{
    size_t compared = 0;
    for (size_t i = 0; i < x->ki->ncols; i++) {
        const struct kind_col *kc = &x->ki->cols[i];
        if ((kc->type != VAL_TEXT && kc->type != VAL_PARAGRAPHS) || !*kc->example ||
            *kc->example == '@' || x->kind == KIND_SETTINGS || x->kind == KIND_HOLIDAYS)
            continue;
        if (!v[i].s || strcmp(v[i].s, kc->example))
            return false;
        compared++;
    }
    return compared > 0;
}

/* Where each roll's start and end came from, to point at a disagreeing row. */
struct roll_src {
    char *name;
    uint32_t start_line, end_line;
    char *start_text, *end_text;
    int64_t start, end;
    bool period_reported;
    size_t people;          /* rows read so far */
};

struct rows {
    struct roll_src *rolls;
    size_t nrolls, cap;
    uint32_t *hol_lines;    /* holidays: the line of each accepted date */
    int64_t *hol_days;
    size_t nhol, hcap, dcap;
};

/* Honors: a roll's period may be written on any one of its rows; rows that
 * give one must agree, or staff would not know which plays. */
static void check_roll(struct ctx *x, struct rows *rs, union kind_value *v)
{
    enum { H_ROLL = 0, H_START = 6, H_END = 7 };
    const char *roll = v[H_ROLL].s;
    size_t i = 0;
    while (i < rs->nrolls && strcmp(rs->rolls[i].name, roll))
        i++;
    if (i == rs->nrolls) {
        xgrow(&rs->rolls, &rs->cap, rs->nrolls + 1, sizeof *rs->rolls);
        rs->rolls[rs->nrolls++] = (struct roll_src){.name = xstrdup(roll), .start = WHEN_ALWAYS,
                                                    .end = WHEN_NEVER};
    }
    struct roll_src *r = &rs->rolls[i];
    if (++r->people == HONORS_ROLL_MAX + 1)
        problem(x, H_ROLL, "榜单“%s”超过%d人（这是第%d人），屏幕上一个榜单最多显示%d人。"
                "请把它分成几个榜单，例如在榜单名后面加“（一）”“（二）”",
                r->name, HONORS_ROLL_MAX, HONORS_ROLL_MAX + 1, HONORS_ROLL_MAX);
    const struct table_cell *cs = cell_of(x, H_START), *ce = cell_of(x, H_END);
    char *st = cell_trimmed(cs ? cs->text : ""), *en = cell_trimmed(ce ? ce->text : "");
    if (*st) {
        if (!r->start_text) {
            r->start_text = xstrdup(st);
            r->start_line = x->row->line;
            r->start = v[H_START].t;
        } else if (r->start != v[H_START].t) {
            char *s = cell_shown(st);
            problem(x, H_START, "开始“%s”与同一榜单第%u行的开始“%s”不一致，同一榜单请写相同的开始时间",
                    s, r->start_line, r->start_text);
            free(s);
        }
    }
    if (*en) {
        if (!r->end_text) {
            r->end_text = xstrdup(en);
            r->end_line = x->row->line;
            r->end = v[H_END].t;
        } else if (r->end != v[H_END].t) {
            char *s = cell_shown(en);
            problem(x, H_END, "结束“%s”与同一榜单第%u行的结束“%s”不一致，同一榜单请写相同的结束时间",
                    s, r->end_line, r->end_text);
            free(s);
        }
    }
    if (r->start >= r->end && !r->period_reported) {
        r->period_reported = true; /* once per roll, not on every later row */
        problem(x, H_START, "榜单“%s”的开始时间（第%u行）晚于结束时间（第%u行），开始时间应早于结束时间",
                r->name, r->start_line, r->end_line);
    }
    free(st);
    free(en);
}

/* Settings rows: 项目 names the setting, and 值 is read as that setting's
 * type (the logo is a media file). */
static bool read_setting(struct ctx *x, struct feed_content *n, union kind_value *v)
{
    char *key = v[0].s;
    const char *canon = !strcasecmp(key, "org_name") || !strcmp(key, "单位名称") ? "org_name"
                      : !strcasecmp(key, "logo") || !strcmp(key, "标志") ? "logo" : NULL;
    if (!canon) {
        char *s = cell_shown(key);
        if (*key)
            problem(x, 0, "设置项“%s”不认识，只能写 单位名称 或 标志", s);
        else if (*v[1].s)
            problem(x, 0, "项目不能为空，请填写 单位名称 或 标志");
        free(s);
        return false;
    }
    for (size_t i = 0; i < n->nsettings; i++)
        if (!strcmp(n->settings[i].key, canon)) {
            char *s = cell_shown(key);
            problem(x, 0, "设置项“%s”重复出现，请只保留一行", s);
            free(s);
            return false;
        }
    if (!strcmp(canon, "org_name") && !strcmp(v[1].s, x->ki->cols[1].example)) {
        problem(x, 1, "单位名称还是模板里的示例“%s”，请改成本单位的名称", v[1].s);
        return false;
    }
    if (!strcmp(canon, "logo") && *v[1].s) {
        struct kind_col logo = x->ki->cols[1];
        logo.type = VAL_MEDIA;
        union kind_value mv;
        char *msg;
        struct table_cell c = {.text = v[1].s, .len = strlen(v[1].s)};
        if (!cell_read(&logo, &c, x->media, &mv, &msg)) {
            problem(x, 1, "%s", msg);
            free(msg);
            return false;
        }
        free(v[1].s);
        v[1].s = mv.s;
    }
    free(v[0].s);
    v[0].s = xstrdup(canon);
    return true;
}

/* Start before end, for the start and end columns s and e; false (after
 * reporting) when they are the wrong way round. */
static bool check_order(struct ctx *x, const union kind_value *v, const bool *bad, int s, int e)
{
    if (bad[s] || bad[e] || v[s].t == WHEN_ALWAYS || v[e].t == WHEN_NEVER || v[s].t < v[e].t)
        return true;
    char *a = cell_shown(cell_of(x, s)->text), *b = cell_shown(cell_of(x, e)->text);
    problem(x, s, "%s“%s”晚于%s“%s”，开始时间应早于结束时间", x->ki->cols[s].zh, a,
            x->ki->cols[e].zh, b);
    free(a);
    free(b);
    return false;
}

/* A 提醒 for each text cell of the row with a character that no font on
 * this device can draw (an emoji newer than the emoji font, a rare
 * character): the board leaves it out rather than show □, so staff hear
 * of it here, with the cell named (issue 18). */
static void check_glyphs(struct ctx *x, const union kind_value *v)
{
    if (!x->media || !x->media->glyphs)
        return;
    for (size_t i = 0; i < x->ki->ncols; i++) {
        enum val_type t = x->kind == KIND_SETTINGS ? VAL_TEXT : x->ki->cols[i].type;
        if ((t != VAL_TEXT && t != VAL_PARAGRAPHS) || !v[i].s)
            continue;
        size_t at = 0;
        uint32_t cp = glyphs_missing(x->media->glyphs, v[i].s, &at);
        if (!cp)
            continue;
        const struct table_cell *cell = cell_of(x, (int)i);
        struct sbuf ch = {0};
        utf8_encode(&ch, cp);
        note(x, true, cell ? cell->line : x->row->line, cell ? cell->col : 0, x->row->sheet_row,
             "%s的第%zu个字“%s”在屏幕上显示不出来（设备上没有能显示它的字体），显示时会被略去。"
             "请删掉它或换成文字", x->ki->cols[i].zh, at, ch.s);
        sbuf_free(&ch);
    }
}

/* Reads the current row into n.  Problems go to x. */
static void read_row(struct ctx *x, struct feed_content *n, struct rows *rs, int64_t id)
{
    const struct kind_info *ki = x->ki;
    union kind_value v[KIND_MAX_COLS] = {0};
    bool bad[KIND_MAX_COLS] = {0};      /* the cell could not be read */
    size_t before = x->problems;
    for (size_t i = 0; i < ki->ncols; i++) {
        const struct kind_col *kc = &ki->cols[i];
        /* 设置的值 is read by its key below. */
        struct kind_col as = *kc;
        if (x->kind == KIND_SETTINGS)
            as.type = VAL_TEXT;
        char *msg = NULL;
        if (!cell_read(&as, cell_of(x, (int)i), x->media, &v[i], &msg)) {
            problem(x, (int)i, "%s", msg);
            free(msg);
            bad[i] = true;
            continue;
        }
        /* An image-only poster may leave its title empty (checked below);
         * settings are checked by their key. */
        if (kc->required && !(x->kind == KIND_ANNOUNCEMENTS && i == 0) &&
            x->kind != KIND_SETTINGS) {
            char *t = cell_trimmed(cell_of(x, (int)i) ? cell_of(x, (int)i)->text : "");
            if (!*t)
                problem(x, (int)i, "%s不能为空，请填写%s", kc->zh, kc->zh);
            free(t);
        }
    }
    /* Rules across cells, where those cells could be read. */
    switch (x->kind) {
    case KIND_ANNOUNCEMENTS:
        /* An image-only poster may leave the title empty. */
        if (x->problems == before && !*v[0].s && !v[2].s)
            problem(x, 0, "标题不能为空，请填写公告的标题，或在“图片”列填写一张海报图片");
        check_order(x, v, bad, 3, 4);
        break;
    case KIND_TICKER:
        check_order(x, v, bad, 1, 2);
        break;
    case KIND_EVENTS:
        /* An end before the start runs past midnight (22:00-02:00,
         * docs/schedule.md), up to EVENT_OVERNIGHT_MAX minutes: a longer
         * "overnight" event (9:00-8:00) is a slip of the keyboard. */
        if (!bad[2] && !bad[3] && v[2].i >= 0 && v[3].i >= 0 &&
            (v[3].i == v[2].i ||
             (v[3].i < v[2].i && v[3].i + WHEN_MIN_PER_DAY - v[2].i > EVENT_OVERNIGHT_MAX))) {
            char *a = cell_shown(cell_of(x, 2)->text), *b = cell_shown(cell_of(x, 3)->text);
            problem(x, 2, "开始时间“%s”不早于结束时间“%s”，开始时间应早于结束时间"
                          "（跨过半夜的活动，如 22:00 到 02:00，最长%d小时）",
                    a, b, EVENT_OVERNIGHT_MAX / 60);
            free(a);
            free(b);
        }
        if (!bad[6] && v[6].s && utf8_len(v[6].s) > EVENT_NOTE_SHOWN) {
            const struct table_cell *cell = cell_of(x, 6);
            note(x, true, cell ? cell->line : x->row->line, cell ? cell->col : 0,
                 x->row->sheet_row,
                 "备注有%zu个字，屏幕上一页只能保证显示前%d个字左右，多出的部分不显示（末尾显示“…”）。"
                 "详细内容可以另写一条公告", utf8_len(v[6].s), EVENT_NOTE_SHOWN);
        }
        break;
    case KIND_HONORS:
        if (check_order(x, v, bad, 6, 7) && x->problems == before)
            check_roll(x, rs, v);
        break;
    case KIND_HOLIDAYS:
        for (size_t i = 0; x->problems == before && i < rs->nhol; i++)
            if (rs->hol_days[i] == v[0].t) {
                char *s = cell_shown(cell_of(x, 0)->text);
                problem(x, 0, "日期“%s”重复（第%u行已经写过），每个日期只写一行", s,
                        rs->hol_lines[i]);
                free(s);
                break;
            }
        break;
    case KIND_SETTINGS:
        if (x->problems == before)
            read_setting(x, n, v);
        break;
    case KIND_COUNT:
        break;
    }
    if (x->problems == before && is_example(x, v)) {
        const struct kind_col *first = NULL;
        for (size_t i = 0; i < ki->ncols && !first; i++)
            if (ki->cols[i].type == VAL_TEXT && *ki->cols[i].example && *ki->cols[i].example != '@')
                first = &ki->cols[i];
        problem(x, 0, "这一行是模板里的示例（%s“%s”），不是真实内容。请改成自己的内容，或删掉这一行",
                first ? first->zh : "", first ? first->example : "");
    }
    if (x->problems != before) {
        kind_row_free(x->kind, v);
        return;
    }
    check_glyphs(x, v);
    if (x->kind == KIND_HOLIDAYS) {
        xgrow(&rs->hol_days, &rs->dcap, rs->nhol + 1, sizeof *rs->hol_days);
        xgrow(&rs->hol_lines, &rs->hcap, rs->nhol + 1, sizeof *rs->hol_lines);
        rs->hol_days[rs->nhol] = v[0].t;
        rs->hol_lines[rs->nhol++] = x->row->line;
    }
    kind_row_add(n, x->kind, id, v);
}

/* ---------------------------------------------------------------- sheets */

bool bundle_validate(struct feed_content *c, enum kind k, const struct table *t,
                     const struct sheet_src *src, const struct bundle_media *m,
                     struct report *r)
{
    struct ctx x = {.kind = k, .ki = kind_info(k), .src = src, .media = m};
    const struct kind_info *ki = x.ki;
    if (t->nrows == 0) {
        note(&x, false, 1, 0, 0, "文件是空的。第一行应为列名，例如 %s,%s", ki->cols[0].zh,
             ki->cols[1].zh);
        flush_notes(&x, r);
        return false;
    }
    uint32_t nhdr = t->rows[0].ncells;
    uint8_t *unknown = xcalloc(nhdr + 1, 1);
    bool ok = map_header(&x, t, unknown);
    if (ok && t->nrows - 1 > ki->max_rows) {
        note(&x, false, t->rows[ki->max_rows + 1].line, 0, 0,
             "行数太多（共%zu行），最多%zu行，请删掉过期的内容", t->nrows - 1, ki->max_rows);
        ok = false;
    }
    if (!ok) {
        free(unknown);
        flush_notes(&x, r);
        return false;
    }
    check_unplaced(&x, t, unknown, nhdr);
    free(unknown);

    /* Rows, into a fresh content of this kind; swapped in only when clean. */
    struct feed_content *n = content_create();
    struct rows rs = {0};
    for (size_t i = 1; i < t->nrows; i++) {
        x.row = &t->rows[i];
        read_row(&x, n, &rs, (int64_t)i);
    }
    /* A roll's period is the one its rows agree on, from whichever row. */
    for (size_t i = 0; i < n->nrolls; i++)
        for (size_t j = 0; j < rs.nrolls; j++)
            if (!strcmp(n->rolls[i].name, rs.rolls[j].name)) {
                n->rolls[i].start = rs.rolls[j].start;
                n->rolls[i].end = rs.rolls[j].end;
            }
    for (size_t i = 0; i < rs.nrolls; i++) {
        free(rs.rolls[i].name);
        free(rs.rolls[i].start_text);
        free(rs.rolls[i].end_text);
    }
    free(rs.rolls);
    free(rs.hol_days);
    free(rs.hol_lines);
    ok = x.problems == 0;
    flush_notes(&x, r);
    if (!ok) {
        content_destroy(n);
        return false;
    }
    content_sort(n);
    /* Swap the kind in: what c held goes to n and is freed with it. */
    struct feed_content tmp = *c;
    switch (k) {
    case KIND_ANNOUNCEMENTS:
        c->ann = n->ann, c->nann = n->nann;
        n->ann = tmp.ann, n->nann = tmp.nann;
        break;
    case KIND_EVENTS:
        c->events = n->events, c->nevents = n->nevents;
        n->events = tmp.events, n->nevents = tmp.nevents;
        break;
    case KIND_HONORS:
        c->rolls = n->rolls, c->nrolls = n->nrolls;
        n->rolls = tmp.rolls, n->nrolls = tmp.nrolls;
        break;
    case KIND_TICKER:
        c->ticker = n->ticker, c->nticker = n->nticker;
        n->ticker = tmp.ticker, n->nticker = tmp.nticker;
        break;
    case KIND_HOLIDAYS:
        c->holidays = n->holidays, c->nholidays = n->nholidays;
        n->holidays = tmp.holidays, n->nholidays = tmp.nholidays;
        break;
    case KIND_SETTINGS:
        c->settings = n->settings, c->nsettings = n->nsettings;
        c->org_name = n->org_name, c->logo = n->logo;
        n->settings = tmp.settings, n->nsettings = tmp.nsettings;
        n->org_name = tmp.org_name, n->logo = tmp.logo;
        break;
    case KIND_COUNT:
        break;
    }
    content_destroy(n);
    return true;
}

/* The media names content refers to, for bundle_validate_content. */
static void referred_media(const struct feed_content *c, const char ***names, size_t *n)
{
    size_t cap = 0;
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        for (size_t row = 0; row < kind_rows(c, (enum kind)k); row++) {
            union kind_value v[KIND_MAX_COLS];
            kind_row_get(c, (enum kind)k, row, v);
            for (size_t i = 0; i < ki->ncols; i++) {
                const char *name = ki->cols[i].type == VAL_MEDIA ? v[i].s
                                 : k == KIND_SETTINGS && i == 1 && !strcmp(v[0].s, "logo")
                                     ? v[i].s : NULL;
                if (name && *name) {
                    xgrow(names, &cap, *n + 1, sizeof **names);
                    (*names)[(*n)++] = name;
                }
            }
        }
    }
}

bool bundle_validate_content(struct feed_content *out, const struct feed_content *in,
                             const char *file, struct glyphs *glyphs, struct report *r)
{
    const char **names = NULL;
    size_t nnames = 0;
    referred_media(in, &names, &nnames);
    struct bundle_media m = {names, nnames, glyphs};
    bool ok = true;
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        struct table_builder b = {0};
        for (size_t i = 0; i < ki->ncols; i++) {
            table_begin_cell(&b);
            sbuf_adds(&b.text, ki->cols[i].zh);
            table_end_cell(&b, 1, (uint32_t)i + 1, CELL_TEXT, 0);
        }
        table_end_row(&b, 1, 1);
        size_t n = kind_rows(in, (enum kind)k);
        uint32_t line = 1;
        for (size_t row = 0; row < n; row++) {
            char *cells[KIND_MAX_COLS];
            if (!xlsxw_row_text(in, (enum kind)k, row, NULL, cells))
                continue;
            line++;
            for (size_t i = 0; i < ki->ncols; i++) {
                table_begin_cell(&b);
                sbuf_adds(&b.text, cells[i]);
                table_end_cell(&b, line, (uint32_t)i + 1, CELL_TEXT, 0);
                free(cells[i]);
            }
            table_end_row(&b, line, line);
        }
        struct table *t = table_finish(&b);
        struct sheet_src src = {file, ki->sheet};
        if (!bundle_validate(out, (enum kind)k, t, &src, &m, r))
            ok = false;
        table_destroy(t);
    }
    free(names);
    return ok;
}

bool bundle_parse(struct feed_content *c, enum kind k, const void *data, size_t len,
                  const struct bundle_media *m, struct report *r)
{
    struct sheet_src src = {bundle_file_name(k), NULL};
    struct csv_error err = {0};
    struct table *t = csv_parse(data, len, NULL, &err);
    if (!t) {
        if (err.col)
            report_problem(r, "%s:%u:%u: %s", src.file, err.line, err.col, err.msg);
        else
            report_problem(r, "%s:%u: %s", src.file, err.line ? err.line : 1, err.msg);
        return false;
    }
    bool ok = bundle_validate(c, k, t, &src, m, r);
    table_destroy(t);
    return ok;
}

/* ---------------------------------------------------------------- files */

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

/* Reads a kind's staged CSV file. */
static bool load_csv(int dirfd, enum kind k, struct feed_content *c, const struct bundle_media *m,
                     struct report *r)
{
    size_t len = 0;
    bool absent;
    const char *name = bundle_file_name(k);
    char *data = read_at(dirfd, name, CSV_MAX_BYTES, &len, &absent);
    if (!data) {
        log_errno("reading staged %s", name);
        report_problem(r, "%s: 无法读取这个文件（可能太大，最大 %u MB）", name, CSV_MAX_BYTES >> 20);
        return false;
    }
    report_source(r, k, "%s", name);
    bool ok = bundle_parse(c, k, data, len, m, r);
    free(data);
    return ok;
}

/* ---------------------------------------------------------------- workbooks */

/* Is name a regular file in the staged folder? */
static bool staged(int dirfd, const char *name)
{
    struct stat st;
    return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* A reader failure, where staff find it: "内容.xlsx 公告!C5: …". */
static void book_problem(struct report *r, const char *file, const struct xlsx_error *e)
{
    if (*e->detail)
        log_warn("reading staged %s: %s", file, e->detail);
    if (*e->where)
        report_problem(r, "%s %s: %s", file, e->where, e->msg);
    else
        report_problem(r, "%s: %s", file, e->msg);
}

/* An open staged workbook. */
struct book {
    const char *file;       /* as staged: "内容.xlsx", "announcements.xls" */
    int fd;
    struct xlsx *x;
};

static bool book_open(int dirfd, const char *file, struct book *b, struct report *r)
{
    *b = (struct book){.file = file, .fd = -1};
    b->fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (b->fd < 0) {
        log_errno("reading staged %s", file);
        report_problem(r, "%s: 无法读取这个文件", file);
        return false;
    }
    struct xlsx_error e = {0};
    b->x = xlsx_open_fd(b->fd, &e);
    if (!b->x) {
        book_problem(r, file, &e);
        close(b->fd);
        b->fd = -1;
        return false;
    }
    return true;
}

static void book_close(struct book *b)
{
    xlsx_close(b->x);
    if (b->fd >= 0)
        close(b->fd);
    *b = (struct book){.fd = -1};
}

/* The kind a sheet's tab names (公告, announcements; spaces ignored), or -1;
 * -2 for the guide sheet (使用说明), which is never read. */
static int sheet_kind(const char *name)
{
    char *t = cell_trimmed(name);
    int k = strcmp(t, "使用说明") ? -1 : -2;
    for (int i = 0; i < KIND_COUNT && k == -1; i++)
        if (!strcmp(t, kind_info((enum kind)i)->sheet) || !strcasecmp(t, kind_info((enum kind)i)->name))
            k = i;
    free(t);
    return k;
}

static bool readable(const struct xlsx_sheet *s)
{
    return s->worksheet && !s->hidden;
}

/* Validates sheet i of b as kind k. */
static bool book_sheet(struct book *b, size_t i, enum kind k, struct feed_content *c,
                       const struct bundle_media *m, struct report *r)
{
    struct xlsx_error e = {0};
    struct table *t = xlsx_read_sheet(b->x, i, &e);
    if (!t) {
        book_problem(r, b->file, &e);
        return false;
    }
    struct sheet_src src = {b->file, xlsx_sheet(b->x, i)->name};
    report_source(r, k, "%s 的「%s」表", b->file, src.sheet);
    bool ok = bundle_validate(c, k, t, &src, m, r);
    table_destroy(t);
    return ok;
}

/* A kind's own workbook: the sheet named after the kind, else the first
 * visible one (other visible sheets are not read: said in a warning). */
static bool kind_book(int dirfd, const char *file, enum kind k, struct feed_content *c,
                      const struct bundle_media *m, struct report *r)
{
    struct book b;
    if (!book_open(dirfd, file, &b, r))
        return false;
    size_t n = xlsx_nsheets(b.x), pick = n, first = n, visible = 0;
    for (size_t i = 0; i < n; i++) {
        const struct xlsx_sheet *s = xlsx_sheet(b.x, i);
        if (!readable(s) || sheet_kind(s->name) == -2)
            continue;
        visible++;
        if (first == n)
            first = i;
        if (pick == n && sheet_kind(s->name) == (int)k)
            pick = i;
    }
    if (pick == n)
        pick = first;
    bool ok;
    if (pick == n) {
        report_problem(r, "%s: 没有可以读的工作表（都被隐藏了，或是空的）", file);
        ok = false;
    } else {
        if (visible > 1)
            report_warning(r, "%s: 只读了工作表“%s”，这个文件里的其他工作表没有导入", file,
                           xlsx_sheet(b.x, pick)->name);
        ok = book_sheet(&b, pick, k, c, m, r);
    }
    book_close(&b);
    return ok;
}

/* Where a kind's sheet is on the stick: its CSV, its own workbook, its
 * sheet in 内容.xlsx — at most one. */
struct where {
    const char *file[2 + ARRAY_LEN(book_exts)];
    char *owned[ARRAY_LEN(book_exts)];
    size_t n;
    int sheet;              /* its sheet in the workbook of every kind, or -1 */
};

bool bundle_load(int dirfd, struct feed_content *c, const struct bundle_media *m,
                 struct report *r, unsigned *parsed)
{
    bool ok = true;
    if (parsed)
        *parsed = 0;
    /* The workbook of every kind, and which of its sheets is which kind. */
    struct book all = {.fd = -1};
    int sheet_of[KIND_COUNT];
    for (int k = 0; k < KIND_COUNT; k++)
        sheet_of[k] = -1;
    const char *books[ARRAY_LEN(book_exts)];
    char *book_names[ARRAY_LEN(book_exts)];
    size_t nbooks = 0;
    for (size_t i = 0; i < ARRAY_LEN(book_exts); i++) {
        book_names[i] = xasprintf("%s%s", BUNDLE_WORKBOOK_STEM, book_exts[i]);
        if (staged(dirfd, book_names[i]))
            books[nbooks++] = book_names[i];
    }
    if (nbooks > 1) {
        report_problem(r, "%s 和 %s: 只能有一个内容工作簿，请删掉其中一个", books[0], books[1]);
        ok = false;
    } else if (nbooks == 1 && !book_open(dirfd, books[0], &all, r)) {
        ok = false;
    } else if (nbooks == 1) {
        free(r->workbook);
        r->workbook = xstrdup(all.file);
        size_t known = 0;
        for (size_t i = 0; i < xlsx_nsheets(all.x); i++) {
            const struct xlsx_sheet *s = xlsx_sheet(all.x, i);
            int k = readable(s) ? sheet_kind(s->name) : -2;
            if (k >= 0 && sheet_of[k] >= 0) {
                report_problem(r, "%s: 工作表“%s”和“%s”都是%s，请删掉其中一张", all.file,
                               xlsx_sheet(all.x, (size_t)sheet_of[k])->name, s->name,
                               kind_info((enum kind)k)->sheet);
                ok = false;
            } else if (k >= 0) {
                sheet_of[k] = (int)i;
                known++;
            } else if (k == -1) {
                report_warning(r, "%s: 不认识工作表“%s”，它没有导入。工作表名应为 公告、活动、"
                                  "表彰、滚动消息、放假调休 或 设置", all.file, s->name);
            }
        }
        if (!known && ok) {
            report_problem(r, "%s: 里面没有要导入的工作表。工作表名应为 公告、活动、表彰、滚动消息、"
                              "放假调休 或 设置（在窗口下方的标签上）", all.file);
            ok = false;
        }
    }
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        struct where w = {.sheet = sheet_of[k]};
        if (staged(dirfd, bundle_file_name((enum kind)k)))
            w.file[w.n++] = bundle_file_name((enum kind)k);
        for (size_t i = 0; i < ARRAY_LEN(book_exts); i++) {
            w.owned[i] = xasprintf("%s%s", ki->name, book_exts[i]);
            if (staged(dirfd, w.owned[i]))
                w.file[w.n++] = w.owned[i];
        }
        size_t sources = w.n + (w.sheet >= 0);
        if (sources > 1) {
            /* Which one staff meant cannot be guessed; the older one
             * imported with 更新成功 would be the worst outcome. */
            char *sheet = w.sheet >= 0 ? xasprintf("%s 里的工作表“%s”", all.file,
                                                   xlsx_sheet(all.x, (size_t)w.sheet)->name) : NULL;
            report_problem(r, "%s: %s 和 %s 都是%s，不知道该用哪一个。请只保留其中一个（不用的删掉或改名）",
                           ki->sheet, w.n ? w.file[0] : sheet, w.n > 1 ? w.file[1] : sheet, ki->sheet);
            free(sheet);
            ok = false;
        } else if (sources == 1) {
            if (parsed)
                *parsed |= 1u << k;
            bool done;
            if (w.sheet >= 0)
                done = book_sheet(&all, (size_t)w.sheet, (enum kind)k, c, m, r);
            else if (!strcmp(w.file[0], bundle_file_name((enum kind)k)))
                done = load_csv(dirfd, (enum kind)k, c, m, r);
            else
                done = kind_book(dirfd, w.file[0], (enum kind)k, c, m, r);
            ok = done && ok;
        }
        for (size_t i = 0; i < ARRAY_LEN(book_exts); i++)
            free(w.owned[i]);
    }
    book_close(&all);
    for (size_t i = 0; i < ARRAY_LEN(book_exts); i++)
        free(book_names[i]);
    return ok;
}
