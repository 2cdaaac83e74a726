/* render.h — `noticeboard render`: every slide page of the loop at a moment,
 * drawn by the real drawing code with the SDL software renderer into PNGs,
 * with no display needed.  Also what `plan` and `render` both start from:
 * the live feed and the schedule options the player would use. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "core/config.h"
#include "core/content.h"
#include "core/schedule.h"
#include "core/store.h"

/* What `plan` and `render` work from, as the player would have it. */
struct render_src {
    struct store_live live;         /* the live feed, when there is a usable one */
    struct feed_content *content;   /* never NULL: live.content, or empty */
    struct sched_opts opts;         /* quiet hours, and the clock judged */
    bool unsure;                    /* the player would not believe its
                                     * clock at `from` (header: 时间未校准) */
};

/* Loads DATA/feed.db of data_dir (with none or a broken one: one log line,
 * and empty content) and sets src->opts as the player would at `from`
 * (schedule_opts_for, with the last good time kept in DATA).  When the
 * player would not believe its clock at `from` (or, with to > from, at
 * some moment before `to`), one English line on stderr says so and why.
 * Never fails; free with render_src_free. */
void render_src_load(const struct config *cfg, const char *data_dir, int64_t from, int64_t to,
                     struct render_src *src);
void render_src_free(struct render_src *src);

/* Renders the plan of src at civil minute `at` (src loaded for `at`) into
 * out_dir/NN-KIND.png, w x h logical pixels, printing each path on its own
 * line to `paths`.  Returns false on a failure (logged). */
bool render_pages(const struct config *cfg, const struct render_src *src, int64_t at, int w,
                  int h, const char *out_dir, FILE *paths);

/* The whole subcommand: loads the feed in data_dir, renders at `at` with
 * size w x h (swapped to portrait when the config rotates by 90/270).
 * Returns the exit status (0, or 1 on failure). */
int render_run(const struct config *cfg, const char *data_dir, int64_t at, int w, int h,
               const char *out_dir);
