/* plan.h — `noticeboard plan`: the schedule as text (docs/schedule.md), so
 * staff, installers and tests can see what plays when without a screen. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/content.h"
#include "core/schedule.h"

/* One line per slide of the loop at civil minute `at`, in play order:
 * "KIND\tID\tTITLE\n".  KIND is urgent, announcement, events or honors;
 * ID is the announcement id, "-" for events, the roll's name for honors;
 * TITLE is the announcement title ("近期活动" for events, the roll's name
 * for honors), with tabs and line breaks turned into spaces and other
 * control characters into U+FFFD.  During quiet
 * hours prints the single line "quiet".  Returns false on a write error. */
bool plan_print_at(FILE *f, const struct feed_content *c, const struct sched_opts *o, int64_t at);

/* One line per maximal interval of [from, to) in which the loop's slides do
 * not change: "FROM\tTO\tIDS\n", times as 'YYYY-MM-DD HH:MM' (TO exclusive),
 * IDS the slides' IDs in play order separated by single spaces, "quiet"
 * during quiet hours, empty when nothing plays.  Returns false on a write
 * error or when from >= to. */
bool plan_print_span(FILE *f, const struct feed_content *c, const struct sched_opts *o,
                     int64_t from, int64_t to);

/* How the week's text names a poster (an announcement with a picture and
 * no title): name(ctx, image) gives the file name staff gave the picture
 * (malloc'd; NULL when unknown), shown as 海报“1.jpg”.  Without it, or
 * when it gives NULL, a poster is 海报（第N条）, N its id. */
struct plan_names {
    char *(*name)(void *ctx, const char *image);
    void *ctx;
};

/* For staff (the import report), in Chinese: the loop at civil minute
 * `from` in play order ("现在的播放顺序", numbered), then for each day from
 * today to the days-th, each thing that plays with its times that day
 * ("  冬季消防安全提示：08:00–18:00", "全天", several ranges joined by "、",
 * 熄屏 in quiet hours), a day the same as the one before as one line.  Days
 * beyond max_lines lines in all are counted, not listed.  names may be
 * NULL.  malloc'd; never fails. */
char *plan_week_text(const struct feed_content *c, const struct sched_opts *o, int64_t from,
                     int days, size_t max_lines, const struct plan_names *names);
#define PLAN_ORDER_MAX 60       /* slides of the loop now listed; the rest counted */
#define PLAN_DAY_MAX 30         /* things listed a day; the rest counted */
/* The ID of slide r as `plan --at` prints it (malloc'd), and its title
 * (borrowed from c: the announcement's title, 近期活动, the roll's name). */
char *plan_slide_id(const struct feed_content *c, const struct slide_ref *r);
const char *plan_slide_title(const struct feed_content *c, const struct slide_ref *r);

/* The IDs text of a plan as plan_print_span prints it (malloc'd). */
char *plan_ids(const struct feed_content *c, const struct plan *p);
