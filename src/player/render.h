/* render.h — `noticeboard render`: every slide page of the loop at a moment,
 * drawn by the real drawing code with the SDL software renderer into PNGs,
 * with no display needed.  Also the shared feed/plan loading of the CLI. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "core/config.h"
#include "core/content.h"
#include "core/schedule.h"

struct feed;

/* Schedule options from the config (quiet hours; clock trusted). */
void render_sched_opts(const struct config *cfg, struct sched_opts *o);

/* Opens DATA/feed.db and loads it.  With no feed or a broken one, logs one
 * line and returns empty content (never NULL), *feed = NULL.  The caller
 * frees with content_destroy and feed_close. */
struct feed_content *render_load_feed(const char *data_dir, struct feed **feed);

/* Renders the plan of content c (media from feed, may be NULL) at civil
 * minute `at` into out_dir/NN-KIND.png, w x h logical pixels, printing each
 * path on its own line to `paths`.  Returns false on a failure (logged). */
bool render_pages(const struct config *cfg, const struct feed_content *c, struct feed *feed,
                  int64_t at, int w, int h, const char *out_dir, FILE *paths);

/* The whole subcommand: loads the feed in data_dir, renders at `at` with
 * size w x h (swapped to portrait when the config rotates by 90/270).
 * Returns the exit status (0, or 1 on failure). */
int render_run(const struct config *cfg, const char *data_dir, int64_t at, int w, int h,
               const char *out_dir);
