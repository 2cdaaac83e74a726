/* csv.h — reading what staff make in WPS or Excel: encoding detection and
 * an RFC 4180 parser that remembers where every cell came from.
 *
 * Encodings: UTF-8 with or without BOM; UTF-16LE/BE with BOM (Excel's
 * "Unicode text", tab-separated); anything else is GB18030 (what Chinese
 * Excel writes as "CSV"), converted with iconv, byte 0x80 read as €.
 * Separator: tab for UTF-16; otherwise comma, or tab when the header row
 * has tabs and no commas.  Line breaks: CR, LF or CRLF; quoted cells may
 * hold them (kept as "\n"). */
#pragma once
#include <stddef.h>
#include <stdint.h>

enum csv_encoding { CSV_UTF8, CSV_UTF8_BOM, CSV_UTF16LE, CSV_UTF16BE, CSV_GB18030 };

struct csv_cell {
    const char *text;       /* UTF-8, NUL-terminated, owned by the csv */
    size_t len;
    uint32_t line;          /* physical line (1-based) where the cell starts */
    uint32_t col;           /* 1-based field number in its row */
};

struct csv_row {
    struct csv_cell *cells;
    uint32_t ncells;
    uint32_t line;          /* physical line where the row starts */
    uint32_t sheet_row;     /* the row number WPS/Excel shows: records, not lines
                             * (a cell with line breaks is one row), blank rows
                             * counted; differs from line after such a cell */
};

struct csv {
    enum csv_encoding encoding;
    char sep;
    struct csv_row *rows;   /* rows[0] is the header; blank lines skipped */
    size_t nrows;
};

/* Limits enforced by the parser (docs/bundle.md states them). */
#define CSV_MAX_BYTES  (64u << 20)   /* per file, before conversion */
#define CSV_MAX_ROWS   100000u
#define CSV_MAX_CELLS  64u           /* per row */
#define CSV_MAX_CELL   (64u << 10)   /* bytes per cell, after conversion */

struct csv_error {
    uint32_t line, col;     /* where; col 0 when it is the whole file */
    char msg[256];          /* in Chinese, for the staff report */
};

/* Parses data[0..len).  Returns the table (free with csv_destroy) or NULL
 * with *err filled (invalid encoding, unterminated quote, limits).  Rows
 * that are entirely empty are dropped. */
struct csv *csv_parse(const void *data, size_t len, struct csv_error *err);
void csv_destroy(struct csv *csv);
const char *csv_encoding_name(enum csv_encoding e);

/* Writing (for export and init): appends one row, quoting where needed,
 * terminated by CRLF as Excel expects. */
struct sbuf;
void csv_write_row(struct sbuf *out, const char *const *cells, size_t n);
