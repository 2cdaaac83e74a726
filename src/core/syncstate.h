/* syncstate.h — the sync state: what the sync tool tells the screen about
 * the import that runs or last ended (STORE_LAST_SYNC, store.h).  One
 * writer, one strict reader; the file's format is known to syncstate.c only. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct store;
struct feed_content;

enum syncstate_result {
    SYNCSTATE_BUSY,             /* an import runs: percent and stage */
    SYNCSTATE_OK,               /* the new content plays */
    SYNCSTATE_OK_WARNINGS,      /* it plays, and the report has 提醒 (warnings) */
    SYNCSTATE_CHECKED,          /* a dry run passed: nothing changed */
    SYNCSTATE_REJECTED,         /* content problems: nothing changed */
    SYNCSTATE_NOT_AUTHORISED,   /* the stick may not change this board */
    SYNCSTATE_IO_ERROR,         /* the stick was pulled, the disk is full, the
                                 * stick is read-only…: nothing changed */
};

/* Where a running import is (busy only); in this order. */
enum syncstate_stage {
    SYNCSTATE_STAGE_NONE,       /* not busy */
    SYNCSTATE_STAGE_AUTHORISE,  /* checking the stick's key or signature */
    SYNCSTATE_STAGE_COPY,       /* copying the stick: it must stay in */
    SYNCSTATE_STAGE_CHECK,      /* checking the content */
    SYNCSTATE_STAGE_IMAGES,     /* preparing the images */
    SYNCSTATE_STAGE_BUILD,      /* building the new feed */
    SYNCSTATE_STAGE_ACTIVATE,   /* making it live */
    SYNCSTATE_STAGE_DONE,       /* finishing */
};

/* Whether the import's report reached the stick (not for busy).  The
 * report carries the schedule of the week, and the contact-sheet picture
 * goes beside it: when the report is missing, so are they. */
enum syncstate_report {
    SYNCSTATE_REPORT_SAVED,     /* written, or there was no stick folder to write to */
    SYNCSTATE_REPORT_READ_ONLY, /* the stick refused the write: write-protect
                                 * switch, a FAT mounted read-only (EROFS, EACCES, EPERM) */
    SYNCSTATE_REPORT_FULL,      /* the stick is full (ENOSPC, EDQUOT) */
    SYNCSTATE_REPORT_FAILED,    /* any other write error */
};

#define SYNCSTATE_SUMMARY_MAX 512

struct syncstate {
    enum syncstate_result result;
    int percent;                    /* busy: 0..100, else 0 */
    enum syncstate_stage stage;     /* busy: not NONE; else NONE */
    /* OK, OK_WARNINGS, CHECKED: what (now) plays; else 0.  honors counts
     * people, not rolls. */
    size_t announcements, events, honors, ticker;
    size_t warnings;                /* 提醒 in the report (not for busy) */
    size_t problems;                /* problems that rejected it (not for busy) */
    enum syncstate_report report;   /* busy: SAVED */
    /* One line of Chinese for staff, NUL-terminated, valid UTF-8, no line
     * breaks ("更新成功：12条公告…"); may be empty. */
    char summary[SYNCSTATE_SUMMARY_MAX];
};

/* Fills the four counts from c (NULL: zeros). */
void syncstate_set_counts(struct syncstate *st, const struct feed_content *c);

/* Sets st->summary from text: line breaks become spaces, invalid UTF-8
 * becomes U+FFFD, and it is cut at a character boundary to fit. */
void syncstate_set_summary(struct syncstate *st, const char *text);

/* Writes st atomically to the state file (STORE_LAST_SYNC).  st must be
 * consistent (fields set only for its result, as above; assert).  false
 * on a write error (logged). */
bool syncstate_write(const struct store *s, const struct syncstate *st);

/* Reads the state file into *out.  false when the file is absent,
 * unreadable, or in any way not what syncstate_write writes (an unknown
 * result, a missing or extra field, a number out of range): that is no
 * news, and *out is zeroed.  Never crashes on any file content. */
bool syncstate_read(const struct store *s, struct syncstate *out);

/* Parses the file's text as syncstate_read does (text need not be
 * NUL-terminated; len bytes).  For tests and fuzzing. */
bool syncstate_parse(const char *text, size_t len, struct syncstate *out);

/* After a power cut or a kill during an import: when no import runs (the
 * sync lock is free) but staging/ holds leftovers or the state still says
 * busy, removes the leftovers (store_clean_staging) and replaces the busy
 * state with an I/O error whose summary tells staff the update was
 * interrupted.  Touches nothing (not even the lock) when there is nothing
 * to recover, or while an import holds the lock.  true when it recovered
 * something (logged); false otherwise, or on a failure (logged). */
bool syncstate_recover(struct store *s);

/* The first line of the file ("busy 40", "ok", "fail"): what `status`
 * prints as last_sync.  Into buf (at least 16 bytes). */
void syncstate_word(const struct syncstate *st, char buf[16]);
/* "busy", "ok", "ok-warnings", "checked", "rejected", "not-authorised",
 * "io-error". */
const char *syncstate_result_name(enum syncstate_result r);
/* "saved", "read-only", "full", "failed" (`status` prints last_sync_report). */
const char *syncstate_report_name(enum syncstate_report r);
/* For staff, when the report is not on the stick: why ("U盘不能写入（可能
 * 打开了写保护开关）", "U盘已满"…) and what to do ("请检查U盘的写保护开关"…),
 * each without a final 。; NULL for SAVED. */
const char *syncstate_report_cn(enum syncstate_report r);
const char *syncstate_report_todo_cn(enum syncstate_report r);
/* The report kind for the errno of a failed write to the stick. */
enum syncstate_report syncstate_report_of_errno(int err);
/* "none", "authorise", "copy", "check", "images", "build", "activate", "done". */
const char *syncstate_stage_name(enum syncstate_stage s);
/* The stage in words for staff: "正在复制U盘上的文件", … ("马上就好" when done). */
const char *syncstate_stage_cn(enum syncstate_stage s);
