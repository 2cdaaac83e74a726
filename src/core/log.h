/* log.h — one line per event, to stderr (journald under systemd).
 * Log once, where it fails, with context; callers pass the failure up. */
#pragma once
#include <stdbool.h>
#include "core/util.h"

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* prog prefixes every line ("noticeboard: …").  Under journald
 * (JOURNAL_STREAM set) lines carry <N> priority prefixes instead. */
void log_init(const char *prog, enum log_level min);
void log_set_level(enum log_level min);
void log_msg(enum log_level lvl, const char *fmt, ...) NB_PRINTF(2, 3);
/* As log_msg, with ": strerror(errno)" appended. */
void log_msg_errno(enum log_level lvl, const char *fmt, ...) NB_PRINTF(2, 3);
/* Logs only if this exact message was not logged in the last `window_s`
 * seconds (monotonic): for conditions that repeat every frame or slide. */
void log_msg_once(enum log_level lvl, const char *fmt, ...) NB_PRINTF(2, 3);

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_errno(...) log_msg_errno(LOG_LEVEL_ERROR, __VA_ARGS__)
