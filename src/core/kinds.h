/* kinds.h — what staff fill in: the six kinds of content and their columns,
 * in one table.  The validator reads a sheet by it, the feed stores and
 * checks its columns by it, export and init write sheets by it, so adding
 * a column is one line here, one field in content.h and its drawing.
 *
 * A row of a kind is an array of values, one per column (union kind_value);
 * kind_row_get and kind_row_add move rows between that form and the
 * content structs.  Honors are rows of a sheet (one per person) but rolls
 * with entries in content and feed: the roll columns are marked. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/content.h"
#include "core/when.h"

enum kind {
    KIND_ANNOUNCEMENTS, KIND_EVENTS, KIND_HONORS, KIND_TICKER, KIND_HOLIDAYS, KIND_SETTINGS,
    KIND_COUNT
};

/* How a cell is read from a sheet, written to one, and stored in the feed. */
enum val_type {
    VAL_TEXT,           /* one line of text (line breaks in a cell become spaces) */
    VAL_PARAGRAPHS,     /* text; line breaks in a cell separate paragraphs */
    VAL_MEDIA,          /* a file name in media/, NULL when empty */
    VAL_START,          /* date or date and time; empty: always (WHEN_ALWAYS) */
    VAL_END,            /* date or date and time, a bare date includes its whole
                         * day (stored as the next midnight); empty: WHEN_NEVER */
    VAL_DATE,           /* a date, as a civil day */
    VAL_CLOCK,          /* HH:MM, minute of the day; -1 when empty */
    VAL_CLOCK_END,      /* as VAL_CLOCK, 24:00 allowed */
    VAL_DAYS,           /* 星期: DAYS_* mask, never 0 */
    VAL_HOURS,          /* 时段: daily windows, none = all day */
    VAL_DURATION,       /* 时长 in seconds */
    VAL_PRIORITY,       /* 级别: enum priority */
    VAL_HOLIDAY,        /* 类型: 休 (false) or 班 (true, a make-up workday) */
    VAL_QR,             /* 二维码: as VAL_TEXT, "" when empty, at most
                         * KIND_QR_MAX_BYTES bytes */
    VAL_COUNTDOWN,      /* 倒计时: a date, or a festival (春节, 中秋 …) read as
                         * its next day on or after the day of import; a
                         * civil day, 0 when empty (zeroed content has none;
                         * no countdown ends on 1970-01-01) */
};

/* One column of a kind. */
struct kind_col {
    const char *en, *zh;    /* header names: English (any case) or Chinese */
    enum val_type type;
    bool required;
    unsigned max_chars;     /* characters a cell may hold */
    const char *feed;       /* its column in the feed */
    bool roll;              /* honors: a column of the roll, not of the person */
    int since;              /* the feed schema version that added it */
    const char *hint;       /* what to type, for the template's notes */
    const char *example;    /* the template's example cell */
};

struct kind_info {
    const char *name;       /* file base name: "announcements" (+ .csv, .xlsx) */
    const char *sheet;      /* its sheet in a workbook, and its word for staff: "公告" */
    const char *unit;       /* counter for the report: "条", "项", "位", "天" */
    const char *feed;       /* its table in the feed ("honor_entries" for honors) */
    size_t max_rows;        /* data rows, header excluded */
    const struct kind_col *cols;
    size_t ncols;
};

/* People in one honor roll at most.  The import refuses a longer roll (split
 * it, 分成几个榜单), so the player can show every name it is given: the
 * honors slide lays out this many people and never cuts a roll. */
#define HONORS_ROLL_MAX 300

const struct kind_info *kind_info(enum kind k);
/* What staff call what a page of the plan (or a line of the play log)
 * shows, by the page's kind name (slide_kind_name): "announcement",
 * "events" and "honors" by their kind's sheet ("公告", "活动", "表彰"),
 * "urgent" as "紧急公告" (an announcement of 级别 紧急).  NULL for "idle"
 * (the name and the clock, not content) and for a name not known. */
const char *kind_page_word(const char *page);
/* The column of kind k named en (English name), or -1. */
int kind_col_index(enum kind k, const char *en);

/* One cell's value.  Strings are owned by whoever holds the row: rows from
 * kind_row_get borrow from the content, rows given to kind_row_add are
 * taken over. */
union kind_value {
    char *s;                        /* TEXT, PARAGRAPHS, MEDIA (may be NULL) */
    int64_t t;                      /* START, END (civil minutes), DATE (civil day) */
    int i;                          /* CLOCK, CLOCK_END, DAYS, DURATION, PRIORITY, HOLIDAY */
    struct {
        uint8_t n;
        struct when_window w[WHEN_MAX_WINDOWS];
    } hours;                        /* HOURS */
};

/* Bytes of UTF-8 a 二维码 cell may hold (VAL_QR): what the player encodes
 * (QR_MAX_BYTES in player/qr.h, checked there), so a cell the sheet
 * accepts always becomes a code — 500 letters, or about 160 汉字. */
#define KIND_QR_MAX_BYTES 500

/* The longest row of any kind. */
#define KIND_MAX_COLS 12

/* Rows of kind k in c: for honors the people (entries of every roll). */
size_t kind_rows(const struct feed_content *c, enum kind k);
/* Row `row` of kind k as values (strings borrowed from c); for settings the
 * keys as stored ("org_name", "logo"). */
void kind_row_get(const struct feed_content *c, enum kind k, size_t row, union kind_value *v);
/* Appends a row of kind k, taking over its strings.  id is the row's id
 * (its place in the sheet, 1-based) where the kind keeps one.  Honors: the
 * person joins the roll of that name, made at its first row with that
 * row's period; settings: org_name and logo also fill c->org_name/c->logo. */
void kind_row_add(struct feed_content *c, enum kind k, int64_t id, union kind_value *v);
/* Frees the strings a row of kind k holds (for a row never added). */
void kind_row_free(enum kind k, union kind_value *v);
/* Empties kind k of c (settings: also org_name and logo). */
void content_clear_kind(struct feed_content *c, enum kind k);
/* Sorts what the schedule expects sorted: events by day and start, holidays
 * by day. */
void content_sort(struct feed_content *c);
