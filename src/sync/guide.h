/* guide.h — what init hands staff besides the sheets: the staff guide (one
 * text, written as 使用说明.txt and as the workbook's 使用说明 sheet) and
 * the template's example values, both made from the kinds table. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/kinds.h"

/* The workbook init writes and export fills. */
#define GUIDE_WORKBOOK "内容.xlsx"

/* The guide in Chinese, lines ending in "\n" (callers add CR or split it);
 * malloc'd. */
char *guide_text(void);

/* Column col's example as staff would type it, its date tokens resolved
 * against today (a civil day, as now_civil() / WHEN_MIN_PER_DAY): "@+N" is
 * N days from today, "@year" this year, "@roll" this year's roll name,
 * "@newyear" next 1 January.  "" when the column has no example; malloc'd. */
char *guide_example(const struct kind_col *col, int64_t today);

/* The width of s in a fixed-width font, CJK and full-width forms taking
 * two columns: what aligns the guide and sizes the workbook's cells. */
size_t guide_width(const char *s);

/* The note staff read on the example row of kind k. */
const char *guide_example_note(enum kind k);
