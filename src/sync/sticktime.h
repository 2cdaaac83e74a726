/* sticktime.h — the time a stick's workbooks say they were saved, for the
 * clock (core/timepolicy.h): WPS and Excel write "last saved" into the
 * workbook itself (docProps/core.xml, from the office PC's clock), and a
 * touched file time does not change it, so with the file's own time it
 * makes the pair the policy asks for even when a stick holds one workbook. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stage;

#define STICKTIME_MAX_CORE (64u << 10)  /* bytes of docProps/core.xml read */

/* The dcterms:modified time of the workbook at path, in unix seconds;
 * false when it has none or it is not a time (nothing logged: CSV files,
 * .xls and the workbooks init and export write have none). */
bool sticktime_workbook_saved(const char *path, int64_t *t);

/* The saved times of the staged workbooks (内容.xlsx and a kind's own
 * .xlsx) into out[0..max); returns how many. */
size_t sticktime_workbooks(const struct stage *st, int64_t *out, size_t max);
