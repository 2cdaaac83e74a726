/* xlsxw.h — the staff's workbook (内容.xlsx) written with libxlsxwriter: a
 * 使用说明 sheet, then one sheet per kind laid out by the kinds table,
 * either as a template to fill in (init) or holding content (export).
 * Both carry the same help: header notes, dropdowns, formats that keep
 * typed text as typed, a locked header row.  Every cell is written as a
 * string or a date, never as a formula, whatever its text. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/content.h"
#include "core/kinds.h"

/* How export names media: the file name the cells give for a media name of
 * the content (NULL: the name itself). */
struct xlsxw_media {
    const char *(*file)(void *ctx, const char *name);
    void *ctx;
};

/* The template: headers, one example row per kind (the kinds table's
 * examples, their dates resolved against `today`, a civil day), the guide.
 * Returns the .xlsx file's bytes (malloc'd, *len set), or NULL with a
 * malloc'd English reason in *why.  Works in a private temporary file
 * ($TMPDIR or /tmp), removed before returning. */
void *xlsxw_template(int64_t today, size_t *len, char **why);

/* Row `row` of kind k of c (row < kind_rows(c, k)) as the texts export
 * writes, one per column of the kind (each malloc'd): cell_write's forms,
 * media as m (optional) names them, settings keys as staff know them
 * (单位名称, 标志).  Returns false, cells untouched, for a setting staff
 * cannot set, which export leaves out.  CSV export writes these. */
bool xlsxw_row_text(const struct feed_content *c, enum kind k, size_t row,
                    const struct xlsxw_media *m, char **cells);

/* The content c as the same workbook, each kind's rows in the order
 * kind_row_get gives them, each cell as cell_write gives it (dates of
 * date columns as date cells formatted yyyy-mm-dd), media cells named by
 * m (optional); settings as the two rows staff can set (单位名称, 标志).
 * today dates the examples in the header notes.  Returns as
 * xlsxw_template. */
void *xlsxw_content(const struct feed_content *c, const struct xlsxw_media *m, int64_t today,
                    size_t *len, char **why);
