/* content.h — what a feed holds, in memory.  Plain value structs: the sync
 * tool fills them from CSV and writes them with feed_write(); the player
 * reads them with feed_load() and hands them to the schedule.
 * All strings are valid UTF-8, owned by the struct; times are civil minutes
 * (when.h), WHEN_ALWAYS / WHEN_NEVER where the cell was empty. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "core/clock.h"
#include "core/when.h"

struct nb_announcement {
    int64_t id;             /* 1-based position in the feed (play order) */
    char *title;            /* never NULL, may be "" for an image-only poster */
    char *body;             /* never NULL; "\n" separates paragraphs */
    char *image;            /* media name or NULL */
    int64_t start, end;     /* [start, end); a bare end date was made end-of-day */
    uint16_t days;          /* DAYS_* mask, never 0 */
    uint8_t nhours;         /* 0 = all day */
    struct when_window hours[WHEN_MAX_WINDOWS];
    int duration;           /* seconds, already clamped */
    enum priority priority;
    char *qr;               /* 二维码: text or URL drawn as a QR code; never NULL, "" = none */
    int64_t countdown;      /* 倒计时: civil day counted down to (shown "还有 N 天", not
                             * played after it), 0 = none */
};

struct nb_event {
    int64_t id;
    int64_t day;            /* civil day */
    int16_t start, end;     /* minute of day, -1 when not given */
    char *title;            /* never NULL */
    char *place, *organizer, *note; /* never NULL, may be "" */
    char *qr;               /* 二维码, as for announcements; never NULL, "" = none */
};

struct nb_honor {
    char *name;             /* never NULL */
    char *honor, *unit, *year; /* never NULL, may be "" */
    char *photo;            /* media name or NULL */
};

struct nb_roll {
    int64_t id;
    char *name;             /* the roll's title, e.g. "2026年度社区好人榜" */
    int64_t start, end;
    struct nb_honor *entries;
    size_t nentries;
};

struct nb_ticker {
    int64_t id;
    char *text;
    int64_t start, end;
};

struct nb_holiday {
    int64_t day;
    bool workday;           /* true: 班 (make-up workday); false: 休 (day off) */
    char *name;             /* never NULL, may be "" */
};

struct nb_setting {
    char *key, *value;
};

struct feed_content {
    int64_t feed_version;   /* monotonic, from meta */
    int64_t created;        /* civil minutes when the feed was built, CLOCK_NONE if unknown */
    char *org_name;         /* from settings, never NULL ("" if unset) */
    char *logo;             /* media name or NULL */

    struct nb_announcement *ann;  size_t nann;
    struct nb_event *events;      size_t nevents;   /* sorted by day, start */
    struct nb_roll *rolls;        size_t nrolls;
    struct nb_ticker *ticker;     size_t nticker;
    struct nb_holiday *holidays;  size_t nholidays; /* sorted by day */
    struct nb_setting *settings;  size_t nsettings;
};

/* Empty content: no items, org_name "", no creation time (CLOCK_NONE).
 * Free with content_destroy. */
struct feed_content *content_create(void);
/* Frees everything the content owns, then the struct; NULL is a no-op. */
void content_destroy(struct feed_content *c);
/* Holiday lookup: returns 1 for a make-up workday, -1 for a day off, 0 for
 * an ordinary day (holidays must be sorted). */
int content_holiday(const struct feed_content *c, int64_t day);
/* Is `day` a working day, counting holidays and 调休? */
bool content_is_workday(const struct feed_content *c, int64_t day);
