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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/table.h"

enum csv_encoding { CSV_UTF8, CSV_UTF8_BOM, CSV_UTF16LE, CSV_UTF16BE, CSV_GB18030 };

/* What the parser found out about a file. */
struct csv_info {
    enum csv_encoding encoding;
    char sep;               /* ',' or tab */
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

/* Parses data[0..len) into a table of CELL_TEXT cells (table.h): line is
 * the physical line where a cell starts, col its field number, sheet_row
 * the record number a spreadsheet shows.  Returns the table (free with
 * table_destroy) and fills *info (optional), or NULL with *err filled
 * (invalid encoding, a NUL character, unterminated quote, limits): cells
 * never hold a NUL, so their text is whole as a C string.  Rows that are entirely
 * empty are dropped. */
struct table *csv_parse(const void *data, size_t len, struct csv_info *info,
                        struct csv_error *err);
const char *csv_encoding_name(enum csv_encoding e);

/* Writing (for export and init): appends one row, quoting where needed,
 * terminated by CRLF as Excel expects.  A cell a spreadsheet would take
 * for a formula (csv_formula_like) is written after an apostrophe,
 * '=HYPERLINK(…), so that opening the file shows the text instead of
 * running it; the importer drops that apostrophe (csv_unescape), so what
 * is written reads back as it was. */
struct sbuf;
void csv_write_row(struct sbuf *out, const char *const *cells, size_t n);

/* Does s start as a spreadsheet formula would: =, +, -, @, a tab, CR or LF,
 * or the full-width ＝＋－＠ an input method may type? */
bool csv_formula_like(const char *s);
/* The length of the escape csv_write_row put before s: 1 when s is an
 * apostrophe followed by something csv_formula_like, else 0. */
size_t csv_unescape(const char *s);
