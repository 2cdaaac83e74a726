/* table.h — a sheet as staff typed it, whichever program saved it: rows of
 * cells that each remember where they came from.  The CSV parser (csv.c)
 * and the workbook reader (xlsx) both produce one; the bundle validator
 * reads it without knowing which. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

/* How the spreadsheet stored a cell.  CSV cells are all CELL_TEXT; a
 * workbook says more, and the validator uses it to explain surprises
 * (星期 "1-5" that Excel turned into 1月5日). */
enum cell_type {
    CELL_TEXT,              /* text as typed */
    CELL_NUMBER,            /* a number: text is its shortest decimal form ("15", "3.5") */
    CELL_DATE,              /* a date-formatted number: text "2026-11-22" */
    CELL_TIME,              /* a time-formatted fraction: text "09:30" */
    CELL_DATETIME,          /* both: text "2026-11-22 09:30" */
    CELL_BOOL,              /* text "TRUE" or "FALSE" */
    CELL_ERROR,             /* a formula's error value: text as shown ("#NAME?") */
};

/* Cell flags. */
#define CELL_MERGED 0x01    /* covered by a merged range whose value is in another cell */
#define CELL_FORMULA 0x02   /* the value is a formula's cached result */

struct table_cell {
    const char *text;       /* UTF-8, NUL-terminated, owned by the table */
    size_t len;
    uint32_t line;          /* CSV: physical line where the cell starts; workbook: row */
    uint32_t col;           /* 1-based column (CSV: field number; workbook: A = 1) */
    uint8_t type;           /* enum cell_type */
    uint8_t flags;          /* CELL_* flags */
};

struct table_row {
    struct table_cell *cells;   /* cells[i].col == i + 1: columns are dense */
    uint32_t ncells;
    uint32_t line;          /* CSV: physical line where the row starts; workbook: row */
    uint32_t sheet_row;     /* the row number WPS/Excel shows (records, not lines:
                             * a CSV cell with line breaks is one row) */
};

struct table {
    struct table_row *rows; /* rows[0] is the header; empty rows dropped */
    size_t nrows;
};

/* Frees the table; NULL is a no-op. */
void table_destroy(struct table *t);

/* Building a table, for the readers: cells are appended to the current row,
 * rows to the table.  Three allocations in all, however many cells, so a
 * 100,000-row file costs three mallocs rather than millions.
 *
 *   table_begin_cell(b); sbuf_add(&b->text, …) …; table_end_cell(b, …);
 *   … table_end_row(b, line, sheet_row) or table_drop_row(b);
 *   struct table *t = table_finish(b);     (or table_builder_free(b)) */
struct table_builder {
    struct sbuf text;       /* the cell being read is appended here */
    struct table_cell *cells;
    size_t *offs;           /* each cell's offset in text until table_finish */
    size_t ncells, cap_cells, cap_offs;
    struct table_row *rows;
    size_t *row_first;      /* index of each row's first cell */
    size_t nrows, cap_rows, cap_first;
    size_t row_start;       /* first cell of the row being read */
    size_t cell_start;      /* offset in text of the cell being read */
};

void table_begin_cell(struct table_builder *b);
/* Ends the cell begun last (its text is what was appended since) and
 * returns its length in bytes. */
size_t table_end_cell(struct table_builder *b, uint32_t line, uint32_t col,
                      enum cell_type type, unsigned flags);
/* Ends the current row (its cells are those ended since the last row). */
void table_end_row(struct table_builder *b, uint32_t line, uint32_t sheet_row);
/* Forgets the cells of the current row. */
void table_drop_row(struct table_builder *b);
/* Cells in the row being read so far. */
static inline size_t table_row_cells(const struct table_builder *b)
{
    return b->ncells - b->row_start;
}
/* Hands over the table (free with table_destroy) and empties the builder. */
struct table *table_finish(struct table_builder *b);
/* Frees what the builder holds (after a failure). */
void table_builder_free(struct table_builder *b);
