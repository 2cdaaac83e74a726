/* csv.c — what WPS and Excel write as CSV: encoding detection (UTF-8, BOMs,
 * UTF-16, GB18030 with code page 936's lone €), then a lossless RFC 4180
 * tokenizer that records the physical line and field of every cell. */
#include "core/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static void set_err(struct csv_error *err, uint32_t line, uint32_t col, const char *fmt, ...)
    NB_PRINTF(4, 5);
static void set_err(struct csv_error *err, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (!err)
        return;
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

#define MSG_ENCODING "文字编码无法识别，请在 WPS 或 Excel 中“另存为”CSV UTF-8 格式"

/* ---------------------------------------------------------- tokenizer */

struct tok {
    const char *t;          /* UTF-8 text */
    size_t n, i;
    char sep;
    uint32_t line;          /* physical line at t[i] */
    uint32_t record;        /* spreadsheet row at t[i]: records, blank ones too */
    struct table_builder out;
};

/* Consumes one line break (CR, LF or CRLF) at t[i]. */
static void eat_break(struct tok *k)
{
    if (k->t[k->i] == '\r' && k->i + 1 < k->n && k->t[k->i + 1] == '\n')
        k->i++;
    k->i++;
    k->line++;
}

static bool is_end(const struct tok *k, char c)
{
    return c == k->sep || c == '\r' || c == '\n';
}

/* Reads cell text up to the separator, a line break or the end, appending
 * it literally: a quote inside an unquoted cell is kept (as Excel does). */
static void read_plain(struct tok *k)
{
    size_t a = k->i;
    while (k->i < k->n && !is_end(k, k->t[k->i]))
        k->i++;
    sbuf_add(&k->out.text, k->t + a, k->i - a);
}

/* Reads a quoted cell starting at the opening quote.  Returns false at the
 * end of input without a closing quote. */
static bool read_quoted(struct tok *k)
{
    k->i++;
    for (;;) {
        size_t a = k->i;
        while (k->i < k->n && k->t[k->i] != '"' && k->t[k->i] != '\r' && k->t[k->i] != '\n')
            k->i++;
        sbuf_add(&k->out.text, k->t + a, k->i - a);
        if (k->i >= k->n)
            return false;
        char c = k->t[k->i];
        if (c == '"') {
            if (k->i + 1 < k->n && k->t[k->i + 1] == '"') {
                sbuf_addc(&k->out.text, '"');
                k->i += 2;
                continue;
            }
            k->i++;
            /* Text after the closing quote ("ab"cd) is kept, like Excel. */
            read_plain(k);
            return true;
        }
        /* A line break inside quotes is a paragraph break: always "\n". */
        sbuf_addc(&k->out.text, '\n');
        eat_break(k);
    }
}

/* Tokenizes all of k->t.  On failure fills err and returns false.  With
 * locate, stops quietly at the end and leaves *line / *col at the field
 * being read there (used to place an encoding error). */
static bool tokenize(struct tok *k, struct csv_error *err, bool locate, uint32_t *line,
                     uint32_t *col)
{
    while (k->i < k->n) {
        uint32_t row_line = k->line, row_record = ++k->record, ncol = 0;
        bool blank = true;
        for (;;) {
            uint32_t cell_line = k->line;
            ncol++;
            if (locate) {
                *line = cell_line;
                *col = ncol;
            }
            table_begin_cell(&k->out);
            if (k->i < k->n && k->t[k->i] == '"') {
                if (!read_quoted(k)) {
                    if (locate)
                        return true;
                    set_err(err, cell_line, ncol, "引号没有配对，这个单元格的引号一直到文件末尾都没有结束");
                    return false;
                }
            } else {
                read_plain(k);
            }
            size_t len = table_end_cell(&k->out, cell_line, ncol, CELL_TEXT, 0);
            if (len > CSV_MAX_CELL) {
                set_err(err, cell_line, ncol, "单元格内容过长（超过%u KB），请把内容缩短",
                        CSV_MAX_CELL >> 10);
                return false;
            }
            if (ncol > CSV_MAX_CELLS) {
                set_err(err, cell_line, ncol, "这一行的列数超过上限%u列", CSV_MAX_CELLS);
                return false;
            }
            if (len)
                blank = false;
            if (k->i < k->n && k->t[k->i] == k->sep) {
                k->i++;
                continue;
            }
            if (k->i < k->n)
                eat_break(k);
            break;
        }
        if (locate && k->i >= k->n && k->t[k->n - 1] != '\r' && k->t[k->n - 1] != '\n')
            return true;
        if (blank) {
            /* A row of empty cells (",,,") is how spreadsheets pad. */
            table_drop_row(&k->out);
            continue;
        }
        if (k->out.nrows > CSV_MAX_ROWS) { /* header + CSV_MAX_ROWS data rows */
            set_err(err, row_line, 0, "行数超过上限%u行，请删去不再需要的行", CSV_MAX_ROWS);
            return false;
        }
        table_end_row(&k->out, row_line, row_record);
    }
    if (locate) {
        *line = k->line;
        *col = 1;
    }
    return true;
}

/* Tab for UTF-16; else tab only when the first non-blank line has tabs and
 * no commas (a "text (tab-delimited)" save from Excel). */
static char pick_sep(const char *t, size_t n, enum csv_encoding e)
{
    if (e == CSV_UTF16LE || e == CSV_UTF16BE)
        return '\t';
    size_t i = 0;
    while (i < n && (t[i] == '\r' || t[i] == '\n'))
        i++;
    bool tab = false;
    for (; i < n && t[i] != '\r' && t[i] != '\n'; i++) {
        if (t[i] == ',')
            return ',';
        if (t[i] == '\t')
            tab = true;
    }
    return tab ? '\t' : ',';
}

/* Where is byte `off` of text t[0..n)?  Tokenizes the prefix before it:
 * the field is that of the cell in progress, the line is the byte's own
 * physical line (a quoted cell may have started lines earlier). */
static void locate(const char *t, size_t off, char sep, uint32_t *line, uint32_t *col)
{
    struct tok k = {.t = t, .n = off, .sep = sep, .line = 1};
    *line = 1;
    *col = 1;
    tokenize(&k, NULL, true, line, col);
    *line = k.line;
    table_builder_free(&k.out);
}

/* ---------------------------------------------------------- encodings */

/* Converts src[0..n) from `from` to UTF-8 into *out.  GB18030 maps a lone
 * 0x80 to € as code page 936 does (glibc rejects it).  On failure returns
 * false with *bad = offset of the first byte that does not convert. */
static bool convert(const char *from, const char *src, size_t n, struct sbuf *out, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *bad = 0;
        return false;
    }
    char *in = (char *)src;
    size_t inleft = n;
    bool gb = strcmp(from, "GB18030") == 0, ok = true;
    while (inleft) {
        /* UTF-8 is at most 1.5x GB18030 or UTF-16 (2 bytes → 3); E2BIG
         * grows the buffer in the rare case of many € bytes. */
        size_t room = inleft + inleft / 2 + 16;
        xgrow(&out->s, &out->cap, out->len + room + 1, 1);
        char *o = out->s + out->len;
        size_t oleft = room;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->s);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EILSEQ && gb && (unsigned char)*in == 0x80) {
            sbuf_add(out, "\xe2\x82\xac", 3); /* € */
            in++;
            inleft--;
            continue;
        }
        *bad = (size_t)(in - src);
        ok = false;
        break;
    }
    iconv_close(cd);
    if (out->s)
        out->s[out->len] = '\0';
    return ok;
}

/* A file that is UTF-8 for this many multi-byte characters before its first
 * bad byte is a damaged UTF-8 file, not GB18030: decoding it as GB18030
 * would import mojibake without complaint. */
#define UTF8_EVIDENCE 8

static size_t utf8_multibyte_before(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) == 0xc0)
            count++;
    return count;
}

/* Fills *text (owned by conv or borrowed from data) with the UTF-8 text. */
static bool decode(const char *data, size_t len, enum csv_encoding *enc, struct sbuf *conv,
                   const char **text, size_t *n, struct csv_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t bad = 0;
    uint32_t line, col;
    if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
        *enc = CSV_UTF8_BOM;
        *text = data + 3;
        *n = len - 3;
        if (utf8_valid(*text, *n, &bad))
            return true;
        locate(*text, bad, pick_sep(*text, bad, *enc), &line, &col);
        set_err(err, line, col, MSG_ENCODING);
        return false;
    }
    if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        *enc = u[0] == 0xff ? CSV_UTF16LE : CSV_UTF16BE;
        if (!convert(*enc == CSV_UTF16LE ? "UTF-16LE" : "UTF-16BE", data + 2, len - 2, conv,
                     &bad)) {
            /* conv holds exactly what converted before the bad unit. */
            locate(conv->s ? conv->s : "", conv->len, '\t', &line, &col);
            set_err(err, line, col, MSG_ENCODING);
            return false;
        }
        *text = conv->s ? conv->s : "";
        *n = conv->len;
        return true;
    }
    if (utf8_valid(data, len, &bad)) {
        *enc = CSV_UTF8;
        *text = data;
        *n = len;
        return true;
    }
    if (utf8_multibyte_before(data, bad) >= UTF8_EVIDENCE) {
        *enc = CSV_UTF8;
        locate(data, bad, pick_sep(data, bad, CSV_UTF8), &line, &col);
        set_err(err, line, col, MSG_ENCODING);
        return false;
    }
    *enc = CSV_GB18030;
    if (!convert("GB18030", data, len, conv, &bad)) {
        locate(conv->s ? conv->s : "", conv->len, pick_sep(data, len, *enc), &line, &col);
        set_err(err, line, col, MSG_ENCODING);
        return false;
    }
    *text = conv->s ? conv->s : "";
    *n = conv->len;
    return true;
}

/* ---------------------------------------------------------- public */

struct table *csv_parse(const void *data, size_t len, struct csv_info *info,
                        struct csv_error *err)
{
    if (err)
        *err = (struct csv_error){0};
    if (len > CSV_MAX_BYTES) {
        set_err(err, 0, 0, "文件太大（超过%u MB），请删去不用的内容或拆分后再导入",
                CSV_MAX_BYTES >> 20);
        return NULL;
    }
    enum csv_encoding enc;
    struct sbuf conv = {0};
    const char *text;
    size_t n;
    if (!decode(data ? data : "", len, &enc, &conv, &text, &n, err)) {
        sbuf_free(&conv);
        return NULL;
    }
    struct tok k = {.t = text, .n = n, .line = 1, .sep = pick_sep(text, n, enc)};
    /* A NUL is a control character like the rest (the validator refuses
     * those by column), but C strings end at it: 测\0试 would be stored as
     * 测 without a word.  Refused here, where the cell is still whole. */
    const char *nul = memchr(text, '\0', n);
    if (nul) {
        uint32_t line, col;
        locate(text, (size_t)(nul - text), k.sep, &line, &col);
        set_err(err, line, col, "这一格含有看不见的控制字符（空字符），请删掉这一格重新输入");
        sbuf_free(&conv);
        return NULL;
    }
    if (!tokenize(&k, err, false, NULL, NULL)) {
        table_builder_free(&k.out);
        sbuf_free(&conv);
        return NULL;
    }
    sbuf_free(&conv);

    if (info)
        *info = (struct csv_info){enc, k.sep};
    return table_finish(&k.out);
}

const char *csv_encoding_name(enum csv_encoding e)
{
    switch (e) {
    case CSV_UTF8: return "UTF-8";
    case CSV_UTF8_BOM: return "UTF-8 (BOM)";
    case CSV_UTF16LE: return "UTF-16LE";
    case CSV_UTF16BE: return "UTF-16BE";
    case CSV_GB18030: return "GB18030";
    }
    return "?";
}

/* Quotes only where a reader would otherwise misread the cell: separators,
 * quotes, line breaks, and edge spaces (which some importers trim). */
static bool needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t'))
        return true;
    return strpbrk(s, ",\"\r\n") != NULL;
}

bool csv_formula_like(const char *s)
{
    static const char *const wide[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                       "\xEF\xBC\xA0"}; /* ＝＋－＠ */
    if (*s && strchr("=+-@\t\r\n", *s))     /* \n: a CR as the parser reads it */
        return true;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (!strncmp(s, wide[i], 3))
            return true;
    return false;
}

size_t csv_unescape(const char *s)
{
    return s[0] == '\'' && csv_formula_like(s + 1);
}

void csv_write_row(struct sbuf *out, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addc(out, ',');
        const char *s = cells[i] ? cells[i] : "";
        /* The apostrophe makes a spreadsheet take the cell as text. */
        bool formula = csv_formula_like(s);
        if (!formula && !needs_quotes(s)) {
            sbuf_adds(out, s);
            continue;
        }
        sbuf_addc(out, '"');
        if (formula)
            sbuf_addc(out, '\'');
        for (const char *q; (q = strchr(s, '"')); s = q + 1) {
            sbuf_add(out, s, (size_t)(q - s + 1));
            sbuf_addc(out, '"');
        }
        sbuf_adds(out, s);
        sbuf_addc(out, '"');
    }
    sbuf_add(out, "\r\n", 2);
}
