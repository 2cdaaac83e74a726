/* table.c — building and freeing the cell tables that the CSV parser and
 * the workbook reader produce (table.h). */
#include "core/table.h"

#include <stdlib.h>
#include <string.h>

/* The public struct plus the two allocations every cell points into. */
struct table_priv {
    struct table pub;       /* first: table_destroy casts back */
    char *pool;             /* every cell's text, NUL-separated */
    struct table_cell *cells;
};

void table_begin_cell(struct table_builder *b)
{
    b->cell_start = b->text.len;
}

size_t table_end_cell(struct table_builder *b, uint32_t line, uint32_t col,
                      enum cell_type type, unsigned flags)
{
    size_t len = b->text.len - b->cell_start;
    sbuf_addc(&b->text, '\0');
    xgrow(&b->cells, &b->cap_cells, b->ncells + 1, sizeof(*b->cells));
    xgrow(&b->offs, &b->cap_offs, b->ncells + 1, sizeof(*b->offs));
    b->cells[b->ncells] = (struct table_cell){NULL, len, line, col, (uint8_t)type, (uint8_t)flags};
    b->offs[b->ncells++] = b->cell_start;
    return len;
}

void table_end_row(struct table_builder *b, uint32_t line, uint32_t sheet_row)
{
    xgrow(&b->rows, &b->cap_rows, b->nrows + 1, sizeof(*b->rows));
    xgrow(&b->row_first, &b->cap_first, b->nrows + 1, sizeof(*b->row_first));
    b->rows[b->nrows] = (struct table_row){NULL, (uint32_t)(b->ncells - b->row_start), line,
                                           sheet_row};
    b->row_first[b->nrows++] = b->row_start;
    b->row_start = b->ncells;
}

void table_drop_row(struct table_builder *b)
{
    if (b->ncells > b->row_start)
        b->text.len = b->offs[b->row_start];
    b->ncells = b->row_start;
}

struct table *table_finish(struct table_builder *b)
{
    struct table_priv *p = xcalloc(1, sizeof(*p));
    p->pool = sbuf_take(&b->text);
    p->cells = b->cells;
    for (size_t i = 0; i < b->ncells; i++)
        p->cells[i].text = p->pool + b->offs[i];
    p->pub.rows = b->rows;
    p->pub.nrows = b->nrows;
    for (size_t i = 0; i < b->nrows; i++)
        p->pub.rows[i].cells = p->cells + b->row_first[i];
    free(b->offs);
    free(b->row_first);
    *b = (struct table_builder){0};
    return &p->pub;
}

void table_builder_free(struct table_builder *b)
{
    sbuf_free(&b->text);
    free(b->cells);
    free(b->offs);
    free(b->rows);
    free(b->row_first);
    *b = (struct table_builder){0};
}

void table_destroy(struct table *t)
{
    if (!t)
        return;
    struct table_priv *p = (struct table_priv *)t;
    free(p->pool);
    free(p->cells);
    free(p->pub.rows);
    free(p);
}
