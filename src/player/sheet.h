/* sheet.h — `noticeboard sheet`: one PNG with every slide page of the loop
 * at a moment, small and numbered in play order, drawn by the real scene
 * code: what the sync tool leaves beside its report so that staff see on
 * the office PC what will play. */
#pragma once
#include <stdint.h>
#include "core/config.h"

/* Pages drawn at most; past them the sheet says how many more there are. */
#define SHEET_MAX_PAGES 36

/* Loads the feed in data_dir and writes the sheet of the loop at civil
 * minute `at` to out_png: a heading (organisation, date and time, pages),
 * then each page at 640x360 (360x640 when the config rotates the screen to
 * portrait) under its number and kind, 3 (portrait 5) to a row.  Returns
 * the exit status (0, or 1 on a failure, logged). */
int sheet_run(const struct config *cfg, const char *data_dir, int64_t at, const char *out_png);
