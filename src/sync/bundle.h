/* bundle.h — the staff's sheets in a staged bundle turned into validated
 * content.  Each sheet is read by the kinds table (core/kinds.h): headers
 * in English or Chinese in any order, every cell checked (cells.h), every
 * problem reported in one pass in sheet order, with where it is —
 * `file:line:column` for CSV — in words a non-technical person can act on. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include "core/content.h"
#include "core/kinds.h"
#include "core/table.h"
#include "sync/cells.h"
#include "sync/report.h"

/* Where a table came from, for messages. */
struct sheet_src {
    const char *file;       /* "announcements.csv" */
    const char *sheet;      /* its sheet in a workbook, NULL for a CSV file */
};

/* "announcements.csv" etc. */
const char *bundle_file_name(enum kind k);

/* The name a table file is staged under when name (as on the stick) is
 * one the importer reads, else NULL: a kind's CSV or workbook
 * (announcements.csv, announcements.xlsx/.xls/.et) or the workbook of
 * every kind (内容.xlsx/.xls/.et), the extension in lower case, the rest
 * as the kinds table spells it (Events.CSV → events.csv).  malloc'd. */
char *bundle_table_name(const char *name);
/* 内容, the name of the workbook of every kind without its extension. */
#define BUNDLE_WORKBOOK_STEM "内容"

/* Validates table t as kind k and, if it has no problems, replaces that
 * kind's content in c (settings: also org_name and logo).  Media names in
 * the result are names from m.  Returns false when the table had problems
 * (all reported to r in sheet order, c's kind unchanged).  Warnings go to
 * r as well and do not make it fail. */
bool bundle_validate(struct feed_content *c, enum kind k, const struct table *t,
                     const struct sheet_src *src, const struct bundle_media *m,
                     struct report *r);

/* Content that came whole (a feed.db on the stick) checked by the same
 * rules as a sheet: every kind of `in`, as export would write its cells,
 * through bundle_validate into out (which starts empty), with problems
 * named "FILE 公告!第N行" (row N as export would write it).  Media names
 * are those `in` refers to: whether each can be used is the importer's
 * check, as for a sheet.  glyphs (NULL: not checked) as in bundle_media.  Returns false when any kind had problems. */
bool bundle_validate_content(struct feed_content *out, const struct feed_content *in,
                             const char *file, struct glyphs *glyphs, struct report *r);

/* bundle_validate of a CSV file's bytes (named by bundle_file_name). */
bool bundle_parse(struct feed_content *c, enum kind k, const void *data, size_t len,
                  const struct bundle_media *m, struct report *r);

/* Reads every known sheet present in the staged folder dirfd into c (which
 * starts as the live content, so a kind without a sheet is kept): a kind's
 * CSV file, its own workbook (announcements.xlsx: the sheet named after
 * the kind, else the first visible one) or its sheet in 内容.xlsx (named
 * 公告 or announcements; hidden sheets and 使用说明 are not read).  Two of
 * these for one kind is a problem naming both, never a choice.  *parsed
 * (optional) gets a bit (1u << kind) per sheet found.  Returns false when
 * any sheet had problems or could not be read (reported). */
bool bundle_load(int dirfd, struct feed_content *c, const struct bundle_media *m,
                 struct report *r, unsigned *parsed);
