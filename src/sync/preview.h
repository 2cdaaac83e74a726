/* preview.h — the picture of what will play, beside the import report: the
 * player's own `noticeboard sheet` (the same drawing code as the screen),
 * run from the folder this program is in, bounded in time and size. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PREVIEW_TIMEOUT_MS 60000            /* a sheet of the demo takes ~2 s */
#define PREVIEW_MAX_BYTES (16u << 20)

/* Runs `noticeboard sheet --data data [--config config] --at AT --out
 * tmpdir/preview.png` (NB_PLAYER names the player instead, for tests and
 * unusual installs), kills it after PREVIEW_TIMEOUT_MS, and returns the
 * PNG's bytes (malloc'd, *len set), or NULL (logged in English: the import
 * goes on without a picture).  config is passed only when readable. */
void *preview_sheet(const char *data, const char *config, const char *tmpdir, int64_t at,
                    size_t *len);
