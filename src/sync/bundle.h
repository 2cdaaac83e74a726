/* bundle.h — the CSV files of a staged bundle turned into validated
 * content.  Every cell is checked and every problem reported in one pass as
 * `file:line:column: message` in plain Chinese (docs/bundle.md). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include "core/content.h"
#include "sync/report.h"

enum bundle_kind {
    BUNDLE_ANNOUNCEMENTS, BUNDLE_EVENTS, BUNDLE_HONORS,
    BUNDLE_TICKER, BUNDLE_HOLIDAYS, BUNDLE_SETTINGS,
    BUNDLE_NKINDS
};

/* Limits enforced here (docs/bundle.md states them). */
#define BUNDLE_MIN_DURATION 3
#define BUNDLE_MAX_DURATION 600

/* "announcements.csv" etc. */
const char *bundle_file_name(enum bundle_kind k);

/* The image files staged in media/ (borrowed names, one level deep). */
struct bundle_media {
    const char *const *names;
    size_t n;
};

/* Parses one CSV file's bytes and, if it has no problems, replaces that
 * kind's content in c (freeing what was there; for settings: org_name,
 * logo and settings).  Media names in the result are names from m.
 * Returns false when the file had problems (all reported to r, c's kind
 * unchanged).  Warnings go to r as well and do not make it fail. */
bool bundle_parse(struct feed_content *c, enum bundle_kind k, const void *data,
                  size_t len, const struct bundle_media *m, struct report *r);

/* Parses every known CSV present in the staged folder dirfd into c (which
 * starts as the live content, so a kind whose file is absent is kept).
 * *parsed (optional) gets a bit (1u << kind) per file found.  Returns false
 * when any file had problems or could not be read (reported). */
bool bundle_load(int dirfd, struct feed_content *c, const struct bundle_media *m,
                 struct report *r, unsigned *parsed);

/* Frees the content of one kind in c and leaves it empty. */
void bundle_clear_kind(struct feed_content *c, enum bundle_kind k);
