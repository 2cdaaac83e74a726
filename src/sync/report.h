/* report.h — the import report staff read: problems and warnings collected
 * during an import, rendered as plain Chinese text for the terminal, the
 * stick (reports/YYYYMMDD-HHMMSS.txt) and the screen (the sync state). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/content.h"
#include "core/kinds.h"
#include "core/util.h"

enum report_result {
    REPORT_OK,          /* activated */
    REPORT_DRY_RUN,     /* checked, not activated */
    REPORT_REJECTED,    /* content problems; exit 1 */
    REPORT_DENIED,      /* not authorized; exit 3 */
    REPORT_IO,          /* read/write failure; exit 4 */
};

/* Lines kept per list.  A stick can hold tens of thousands of problems
 * (every cell of every kind at its row cap), and held 757,700 before
 * unnamed cells were reported per column (284 MB, a 73 MB report); staff
 * fix the first ones and import again, so the rest are counted, per file,
 * and not kept. */
#define REPORT_MAX_LINES 200
#define REPORT_MORE_FILES 8     /* files named in the count of the rest */
#define REPORT_POSTERS_NAMED 5  /* skipped files named on the 海报 line */

/* Lines past REPORT_MAX_LINES: how many, and in which files (the text
 * before the first ':' of each line). */
struct report_more {
    size_t n;
    struct { char name[64]; size_t n; } files[REPORT_MORE_FILES];
    size_t nfiles;
};

struct report {
    char **problems;    size_t nproblems, cap_problems;    /* kept, at most REPORT_MAX_LINES */
    char **warnings;    size_t nwarnings, cap_warnings;
    struct report_more more_problems, more_warnings;       /* counted, not kept */
    /* Set by the importer before rendering. */
    enum report_result result;
    char *reason;       /* for DENIED / IO: one Chinese sentence, owned */
    int64_t old_version, new_version;
    const struct feed_content *content; /* borrowed; counts come from here */
    /* Per kind: where its sheet was read ("内容.xlsx 的「公告」表",
     * "announcements.csv"; owned, NULL when the stick had none: the kind
     * is kept as it was), and its rows before the import (with counted). */
    char *source[KIND_COUNT];
    char *workbook;     /* the workbook of every kind read (内容.xlsx), owned, or NULL */
    char *schedule;     /* what plays today and this week (plan_week_text), owned, or NULL */
    bool preview;       /* a picture of the pages goes beside the report */
    size_t before[KIND_COUNT];
    bool counted;
    char *plays;        /* the play summary (report_set_plays), owned, or NULL */
    char *clock_note;   /* "设备时间已校正为…（原为…）" when the import moved the
                         * clock (a sentence after the summary), owned */
    /* The 海报 folder (sync/posters.h), said on its own line after 公告. */
    char *posters_from;     /* its name on the stick, owned; NULL: the stick had none */
    size_t posters;         /* posters it added to 公告 (a PDF's pages each count); with
                             * posters_kept, the plain posters kept */
    bool posters_kept;      /* it held files but none usable: the posters were kept */
    size_t posters_before;  /* plain posters (posters_is_plain) before the import */
    char *posters_skipped[REPORT_POSTERS_NAMED];   /* files left out, the first ones, owned */
    size_t nposters_skipped;                        /* all files left out */
};

/* Adds one problem (rejects the import) or warning line.  Lines already in
 * `file:line:column: message` form; the report owns a copy of the first
 * REPORT_MAX_LINES of each list and counts the rest (memory and report
 * size stay bounded whatever the stick holds). */
void report_problem(struct report *r, const char *fmt, ...) NB_PRINTF(2, 3);
void report_warning(struct report *r, const char *fmt, ...) NB_PRINTF(2, 3);
/* Records where kind k's sheet was read (replacing what was recorded). */
void report_source(struct report *r, enum kind k, const char *fmt, ...) NB_PRINTF(3, 4);
/* Counts a file of the 海报 folder left out (the reason is a warning of its
 * own); the first REPORT_POSTERS_NAMED are named on the 海报 line. */
void report_poster_skipped(struct report *r, const char *name);
/* Records the rows of each kind in c before the import (the live content). */
void report_count_before(struct report *r, const struct feed_content *c);
/* All problems or warnings added, kept or not. */
size_t report_problems_total(const struct report *r);
size_t report_warnings_total(const struct report *r);
/* Frees what the report owns (not the content); the struct is zeroed. */
void report_free(struct report *r);

/* Counts the play log in folder dir over the 30 days up to today (a day
 * number) into r->plays, the section staff read at the end of the report:
 * how many times each item was shown, most shown first (at most
 * REPORT_MAX_PLAYS items, the rest counted).  Nothing when the log holds
 * no line in those days. */
#define REPORT_PLAY_DAYS 30
#define REPORT_MAX_PLAYS 30
void report_set_plays(struct report *r, const char *dir, int64_t today);

/* The one-line summary (result line), malloc'd, e.g.
 * "更新成功：12条公告、8项活动、36位表彰、5条滚动消息". */
char *report_summary(const struct report *r);
/* The whole report as UTF-8 with "\n" line ends, malloc'd.  now is the
 * civil minute shown as the time.  After an import (or a dry run) that
 * went through, one line per kind says what happened to it: 替换为 N 条
 * (and from which file and sheet), 已清空, or 没有文件，保持不变; and, when
 * the stick had a 海报 folder, a 海报 line after 公告 (posters_from). */
char *report_render(const struct report *r, int64_t now);

/* The stamp of a report written now (now_unix, local time): YYYYMMDD-HHMMSS,
 * as report_write_stick wants it.  Cannot fail. */
void report_stamp_now(char stamp[16]);

/* Writes text to reports/<stamp>.txt under the bundle folder fd, as UTF-8
 * with BOM and CRLF so Windows Notepad shows it right.  stamp is
 * YYYYMMDD-HHMMSS; a clash gets "-2", "-3"….  Never follows symlinks.
 * With png (optional), writes it as reports/<the same name>.png (a failure
 * there is logged, not returned).  Returns false (errno set, nothing
 * logged) when the report could not be written. */
bool report_write_stick(int bundle_fd, const char *stamp, const char *text, const void *png,
                        size_t png_len);
