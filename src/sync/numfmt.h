/* numfmt.h — spreadsheet number formats: which format codes show dates and
 * times, and cell values (serial numbers, ISO dates, numbers) as the
 * canonical text the bundle validator reads.  Used by the workbook reader. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/table.h"
#include "core/util.h"

/* What a number format shows. */
enum numfmt_class {
    NUMFMT_NONE,            /* a plain number (General, 0.00, 0%, …) */
    NUMFMT_DATE,            /* yyyy-mm-dd, yyyy"年"m"月"d"日", m/d, … */
    NUMFMT_TIME,            /* h:mm, h"时"mm"分", mm:ss, … */
    NUMFMT_DATETIME,        /* both */
    NUMFMT_ELAPSED,         /* [h]:mm — hours past 24 */
};

/* Classifies a format code (styles.xml formatCode): y d e aaa and 年 月 日
 * are dates; h s AM/PM 上午/下午 and 时 分 秒 times; m is a month unless the
 * format also has time parts.  Only the first section counts; quoted text,
 * \x escapes, _x and *x, and [..] sections ([Red], [$-804], [DBNum1]) are
 * skipped, but [h] [mm] [ss] make an elapsed time. */
enum numfmt_class numfmt_classify(const char *code);

/* Built-in formats by numFmtId: ECMA-376 §18.8.30 (14–22, 45–47) and the
 * zh-CN ones WPS and Excel write (27–36, 50–58). */
enum numfmt_class numfmt_builtin(uint32_t id);

/* Appends the shortest decimal that rounds to v at 15 significant digits
 * (Excel keeps 15): "15", "3.5", "0.3" for 0.1+0.2, "-0.5"; from 1E+15 and
 * below 1E-9 the exponent form Excel shows ("1.23456789012346E+17"). */
void numfmt_number(struct sbuf *b, double v);

/* Appends serial v as its class shows it and returns the cell type:
 * CELL_DATE "2026-11-22" (1900 system with its phantom 1900-02-29 at 60
 * and 1900-01-00 at 0, or the 1904 system), CELL_TIME "09:30" (rounded to
 * the minute; a time that rounds up to the next day is "24:00"; elapsed
 * formats give total hours "36:15"), CELL_DATETIME "2026-11-22 09:30".
 * NUMFMT_NONE, and values outside 1900-01-00 … 9999-12-31 (Excel shows
 * "#####"), give CELL_NUMBER as numfmt_number writes it. */
enum cell_type numfmt_serial(struct sbuf *b, double v, enum numfmt_class c, bool date1904);

/* Appends an ISO 8601 value (t="d" cells: "2026-11-22",
 * "2026-11-22T09:30:00[.fff][Z|+08:00]", "09:30:00") as its class shows it
 * (without a date class: a date, or a date-time when it has a time of day)
 * and returns the cell type, or -1 (nothing appended) when s is not one. */
int numfmt_iso(struct sbuf *b, const char *s, enum numfmt_class c);
