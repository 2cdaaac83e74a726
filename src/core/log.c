/* log.c — one line per event on stderr; journald priorities when under
 * systemd; a small memory of recent messages so a condition that repeats
 * every slide is logged once (info-beamer de-duplicates the same way). */
#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *log_prog = "noticeboard";
static enum log_level log_min = LOG_LEVEL_INFO;
static bool log_journal;

void log_init(const char *prog, enum log_level min)
{
    log_prog = prog;
    log_min = min;
    log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(enum log_level min)
{
    log_min = min;
}

static void log_line(enum log_level lvl, const char *msg)
{
    static const char *const names[] = {"debug", "info", "warning", "error"};
    static const int prio[] = {7, 6, 4, 3};
    if (log_journal)
        fprintf(stderr, "<%d>%s\n", prio[lvl], msg);
    else if (lvl == LOG_LEVEL_INFO)
        fprintf(stderr, "%s: %s\n", log_prog, msg);
    else
        fprintf(stderr, "%s: %s: %s\n", log_prog, names[lvl], msg);
}

static void log_v(enum log_level lvl, const char *suffix, const char *fmt, va_list ap)
{
    struct sbuf b = {0};
    sbuf_vaddf(&b, fmt, ap);
    if (suffix)
        sbuf_addf(&b, ": %s", suffix);
    log_line(lvl, b.s ? b.s : "");
    sbuf_free(&b);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_min)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_v(lvl, NULL, fmt, ap);
    va_end(ap);
}

void log_msg_errno(enum log_level lvl, const char *fmt, ...)
{
    int e = errno;
    if (lvl < log_min)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_v(lvl, strerror(e), fmt, ap);
    va_end(ap);
    errno = e;
}

/* Remembers the hashes of the last few messages and when they were logged. */
#define ONCE_SLOTS 32
#define ONCE_WINDOW_S 3600
static struct { uint64_t hash; time_t at; } once[ONCE_SLOTS];

void log_msg_once(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_min)
        return;
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(&b, fmt, ap);
    va_end(ap);
    uint64_t h = 1469598103934665603ull;
    for (const char *p = b.s ? b.s : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    size_t oldest = 0;
    for (size_t i = 0; i < ONCE_SLOTS; i++) {
        if (once[i].hash == h && ts.tv_sec - once[i].at < ONCE_WINDOW_S) {
            sbuf_free(&b);
            return;
        }
        if (once[i].at < once[oldest].at)
            oldest = i;
    }
    once[oldest].hash = h;
    once[oldest].at = ts.tv_sec;
    log_line(lvl, b.s ? b.s : "");
    sbuf_free(&b);
}
