/* cells.h — one cell as staff type it: read by the column's value type
 * (kinds.h) into a value, with a message in plain Chinese when it cannot
 * be read, and a value written back the way staff would type it (export,
 * templates).  What a sheet program did to a cell (cell_type in table.h:
 * 1-5 turned into 1月5日) is taken into account. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "core/kinds.h"
#include "core/table.h"

/* The image files staged in media/ (borrowed names, one level deep), and
 * the device's fonts that text is checked against (NULL: not checked). */
struct glyphs;
struct bundle_media {
    const char *const *names;
    size_t n;
    struct glyphs *glyphs;
};

/* Limits for the 时长 column (docs/bundle.md states them). */
#define CELL_MIN_DURATION 3
#define CELL_MAX_DURATION 600

/* The text of a cell, trimmed of spaces (also ideographic and no-break
 * ones); malloc'd. */
char *cell_trimmed(const char *s);
/* A value quoted in a message: one line, at most 30 characters; malloc'd. */
char *cell_shown(const char *s);

/* Reads cell (NULL: a short row, read as empty) for column col into *v.
 * Strings in *v are malloc'd (the caller frees them with kind_row_free or
 * hands them on).  Empty cells give the type's default (no media, always,
 * never, every day, all day, 10 s, 普通; "" for text) — whether an empty
 * required cell is allowed is the caller's rule.  On failure returns false
 * and *msg (malloc'd) says in Chinese what is wrong and how to write it. */
bool cell_read(const struct kind_col *col, const struct table_cell *cell,
               const struct bundle_media *m, union kind_value *v, char **msg);

/* v as staff would type it into a cell of type t: dates 2026-11-22, a
 * start at midnight as a bare date, an end at midnight as the day before
 * (a bare end date includes its day), 星期 in words (周一至周五 is
 * 周一、周二…), 级别 in Chinese.  Never NULL; malloc'd. */
char *cell_write(enum val_type t, const union kind_value *v);
