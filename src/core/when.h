/* when.h — civil (wall-clock) time as staff type it, and its parsers.
 *
 * The feed stores local wall-clock times exactly as typed; the schedule works
 * in "civil minutes": minutes since 1970-01-01 00:00 of the proleptic
 * Gregorian calendar, with no time zone and no DST.  A day is a "civil day"
 * number (days since 1970-01-01).  Nothing here reads the clock: now.h does. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define WHEN_MIN_PER_DAY 1440
#define WHEN_NEVER INT64_MAX  /* an open end */
#define WHEN_ALWAYS INT64_MIN /* an open start */

/* Day-of-week bits for `days` masks: bit 0 Monday … bit 6 Sunday. */
#define DAYS_MON 0x01
#define DAYS_SUN 0x40
#define DAYS_ALL 0x7f
/* 工作日 / 周末: decided per date with holidays.csv (调休 included). */
#define DAYS_WORKDAY 0x80
#define DAYS_WEEKEND 0x100

/* One daily window in minutes of the day, [from, to).  to may be <= from
 * for an overnight window (20:00-02:00), which belongs to the day it starts
 * on.  to is 1..1440 (24:00 allowed). */
struct when_window {
    int16_t from, to;
};
#define WHEN_MAX_WINDOWS 8

int64_t when_days_from_civil(int y, int m, int d);
void when_civil_from_days(int64_t days, int *y, int *m, int *d);
/* 0 = Monday … 6 = Sunday. */
int when_weekday(int64_t days);
bool when_valid_date(int y, int m, int d);

/* Dates: 2026-11-22, 2026/11/22, 2026/1/5, 2026.11.22, 2026年11月22日
 * (surrounding spaces ignored, full-width digits accepted).  Returns false
 * on anything else, including impossible dates like 2026-02-30. */
bool when_parse_date(const char *s, int64_t *days);

/* A date with an optional time: "2026-11-22" or "2026-11-22 09:30" (also
 * "2026年11月22日 9:30", full-width colon).  *has_time tells which. */
bool when_parse_datetime(const char *s, int64_t *minutes, bool *has_time);

/* "9:30", "09:30", "9：30", "24:00" (only if allow_24) → minute of day. */
bool when_parse_clock(const char *s, bool allow_24, int *minute);

/* days: "" or 每天 → DAYS_ALL; "1-5", "一至五", "周一至周五", "星期一到星期五",
 * lists "周一,周三,周五" / "1,3,5" (comma 、，; or space separated),
 * 工作日 → DAYS_WORKDAY, 周末 → DAYS_WEEKEND. */
bool when_parse_days(const char *s, uint16_t *mask);

/* hours: "" → one window 00:00-24:00 (*n = 0 means all day);
 * "08:00-18:00", "20:00-02:00", several separated by , ， 、 or ;.
 * Also "08:00~18:00" and "08:00至18:00".  At most WHEN_MAX_WINDOWS. */
bool when_parse_hours(const char *s, struct when_window *w, int *n);

/* duration in seconds: "" → 10; "15", "15秒", "15s".  Clamped by the
 * caller, not here; 0 and negatives are invalid. */
bool when_parse_duration(const char *s, int *seconds);

enum priority { PRIO_NORMAL = 0, PRIO_HIGH = 1, PRIO_URGENT = 2 };
/* "" / 普通 / normal, 重要 / high, 紧急 / urgent (case-insensitive). */
bool when_parse_priority(const char *s, enum priority *p);

/* The command-line moment 'YYYY-MM-DD HH:MM' (also accepts the date forms
 * above with a time). */
bool when_parse_moment(const char *s, int64_t *minutes);

/* The standard text, as the writers below make it and as the feed and the
 * state files store it, read back strictly: exactly 'YYYY-MM-DD',
 * 'HH:MM' (24:00 only when allow_24), 'YYYY-MM-DD HH:MM', and hours as
 * when_format_hours writes them ('' or 'HH:MM-HH:MM' joined by ',').
 * Anything looser is a hand-made or damaged file: false. */
bool when_read_date(const char *s, int64_t *day);
bool when_read_clock(const char *s, bool allow_24, int *minute);
bool when_read_moment(const char *s, int64_t *minutes);
bool when_read_hours(const char *s, struct when_window *w, uint8_t *n);

/* "2026-11-22 09:30" (buf of at least 17 bytes). */
void when_format(int64_t minutes, char buf[static 17]);
/* "09:30" for a minute of the day (1440 gives "24:00"); "" for a negative
 * minute (no time given). */
void when_format_clock(int minute, char buf[static 6]);
/* "08:00-18:00,20:00-02:00": the form when_parse_hours reads back, as the
 * feed stores it and export writes it; "" for n = 0.  Caller frees. */
char *when_format_hours(const struct when_window *w, int n);
/* "2026-11-22" (buf of at least 11 bytes). */
void when_format_date(int64_t days, char buf[static 11]);
/* "2026年11月22日 星期日" (buf of at least 64 bytes). */
void when_format_date_cn(int64_t days, char buf[static 64]);
/* "星期日" etc. for a weekday 0..6. */
const char *when_weekday_cn(int weekday);

/* Local wall clock of a time_t as civil minutes. */
int64_t when_from_time_t(int64_t t);
