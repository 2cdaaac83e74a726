/* xlsx.h — reading the workbooks staff save in WPS or Excel (.xlsx) into
 * the same cell tables the CSV reader makes (core/table.h), one per sheet,
 * streaming each sheet through libzip and expat with the limits below. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/table.h"

/* What a file is, by its first bytes (never by its name). */
enum xlsx_format {
    XLSX_FORMAT_XLSX,       /* a zip archive: .xlsx (or another zip, found out on open) */
    XLSX_FORMAT_ODS,        /* a zip archive that says it is OpenDocument (.ods) */
    XLSX_FORMAT_OLE2,       /* an OLE2 compound file: .xls, WPS .et, or a
                             * password-protected .xlsx (Office encrypts that way) */
    XLSX_FORMAT_MARKUP,     /* HTML or XML (a "web page" or "XML spreadsheet" save) */
    XLSX_FORMAT_TEXT,       /* no NUL bytes near the start, or a UTF-16 BOM: CSV or text */
    XLSX_FORMAT_OTHER,      /* anything else (a picture, a PDF, …), or empty */
};

/* Which of these a file is, from its first bytes (len may be the whole
 * file or just its start; 4096 bytes are plenty).  A CSV saved under an
 * .xlsx name gives TEXT; a workbook saved under a .csv name gives XLSX. */
enum xlsx_format xlsx_sniff(const void *data, size_t len);

/* Limits (docs/bundle.md states them).  Rows, columns per row and bytes
 * per cell are the CSV reader's (CSV_MAX_ROWS, CSV_MAX_CELLS, CSV_MAX_CELL):
 * a cell past column 64 is an error only when it holds something. */
#define XLSX_MAX_BYTES    (64u << 20)   /* the workbook file itself */
#define XLSX_MAX_ENTRIES  10000u        /* files inside the archive */
#define XLSX_MAX_PART     (128u << 20)  /* uncompressed bytes of one part read */
#define XLSX_MAX_TOTAL    (256u << 20)  /* uncompressed bytes read over the handle's life */
#define XLSX_MAX_RATIO    100u          /* uncompressed / compressed, past the first MB */
#define XLSX_MAX_SHEETS   256u
#define XLSX_MAX_STRINGS  2000000u      /* shared strings */
#define XLSX_MAX_TEXT     (64u << 20)   /* bytes of cell text in one sheet (as a CSV file) */
#define XLSX_MAX_MERGES   20000u        /* merged ranges per sheet */
#define XLSX_MAX_DEPTH    64u           /* XML element nesting */
#define XLSX_MAX_TOKEN    (4u << 20)    /* bytes between two '>' (one XML tag) */
#define XLSX_MAX_XML_MEMORY (32u << 20) /* what expat may allocate for one part */

/* Why a read failed (the message says it to staff). */
enum xlsx_fail {
    XLSX_OK,
    XLSX_DAMAGED,           /* not a readable workbook: truncated, malformed XML, bad references */
    XLSX_PASSWORD,          /* password-protected (encrypted) */
    XLSX_OLD_FORMAT,        /* .xls / .et: staff are told to save as .xlsx */
    XLSX_NOT_WORKBOOK,      /* .ods, a Word file, text, a picture … */
    XLSX_LIMIT,             /* a limit above (or a CSV limit) exceeded */
    XLSX_IO,                /* the file could not be read */
};

struct xlsx_error {
    enum xlsx_fail fail;
    int sheet;              /* index of the sheet, -1 when about the whole file */
    uint32_t row, col;      /* the cell (1-based, A = 1); 0 when not about one */
    char where[160];        /* "公告!C5", "公告" or "" — as staff find it in WPS/Excel */
    char msg[512];          /* in Chinese, for the staff report */
    char detail[160];       /* in English, for the installer's log ("" if none) */
};

/* A sheet, in the order of the workbook's tabs. */
struct xlsx_sheet {
    const char *name;       /* as on its tab, UTF-8 */
    bool hidden;            /* hidden or "very hidden": callers ignore it */
    bool worksheet;         /* false for chart sheets and the like (no cells) */
};

struct xlsx;

/* Opens a workbook from memory: data[0..len) must stay valid and unchanged
 * until xlsx_close.  Reads the archive's directory and the sheet list
 * (xl/workbook.xml and its relationships); every entry name is checked (no
 * "..", absolute paths, backslashes, duplicates or encrypted entries).
 * Returns the handle, or NULL with *err filled (optional). */
struct xlsx *xlsx_open_mem(const void *data, size_t len, struct xlsx_error *err);

/* The same from an open regular file (the staged copy); fd stays the
 * caller's, but its file offset moves.  The archive is read on demand, not
 * loaded. */
struct xlsx *xlsx_open_fd(int fd, struct xlsx_error *err);

/* Frees the handle; NULL is a no-op. */
void xlsx_close(struct xlsx *x);

size_t xlsx_nsheets(const struct xlsx *x);
/* Sheet i < xlsx_nsheets(x); borrowed until xlsx_close. */
const struct xlsx_sheet *xlsx_sheet(const struct xlsx *x, size_t i);
/* Whether the workbook counts dates from 1904 (old Mac Excel). */
bool xlsx_date1904(const struct xlsx *x);

/* Reads sheet i into a table (core/table.h), streaming its XML (loads the
 * shared strings and styles on first use).  Cells:
 *   text "as staff read it", in the forms the bundle validator parses:
 *   CELL_TEXT as typed (rich-text runs joined; line breaks "\n");
 *   CELL_NUMBER shortest decimal rounded to 15 significant digits ("15", "3.5");
 *   CELL_DATE "2026-11-22", CELL_TIME "09:30" (to the minute; "[h]:mm" formats
 *   give total hours), CELL_DATETIME "2026-11-22 09:30" — numbers whose
 *   number format is a date/time one, 1900 (with its 1900-02-29) or 1904 system;
 *   CELL_BOOL "TRUE"/"FALSE"; CELL_ERROR "#NAME?" …;
 *   flags CELL_FORMULA (the formula's cached value; empty if never
 *   calculated) and CELL_MERGED (covered by a merged range: empty, the value
 *   is in the range's top-left cell).
 * line = sheet_row = the row number WPS/Excel shows, col = column (A = 1);
 * rows are dense from column 1 to their last non-empty (or covered) cell;
 * empty rows are dropped; rows[0] is the first non-empty row.
 * Returns the table (free with table_destroy), or NULL with *err filled
 * (naming the sheet and, where known, the cell).  A chart sheet gives an
 * empty table. */
struct table *xlsx_read_sheet(struct xlsx *x, size_t i, struct xlsx_error *err);

/* Writes the column letters of col (1 → "A", 28 → "AB"; at most 3 letters
 * for col <= 16384) into out.  Returns out. */
char *xlsx_col_name(uint32_t col, char out[4]);

/* Formats a position as staff see it into buf (always NUL-terminated, cut
 * if too small): "公告!C5"; without a sheet "C5"; col 0 gives the row alone
 * ("公告!第5行"); row 0 the sheet alone ("公告").  Returns buf. */
char *xlsx_cell_name(char *buf, size_t size, const char *sheet, uint32_t row, uint32_t col);
