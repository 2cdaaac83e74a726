/* stickclock.h — what the time a stick brings does to the box's clock:
 * the evidence gathered from the staged stick (time.txt, the signed packing
 * time, the tables' times and a workbook's own "last saved"), the decision
 * of the time policy (core/timepolicy.h), and the move itself with what
 * staff are told (docs/schedule.md, 设备时间). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timepolicy.h"

struct config;
struct manifest;
struct report;
struct stage;
struct store;

#define STICKCLOCK_MAX_CORE (64u << 10)  /* bytes of a workbook's docProps/core.xml read */

struct stickclock {
    struct timepolicy_decision d;
    int64_t explicit_time;          /* time.txt's time, 0 if none or unusable */
};

/* Decides, once the staged content is valid: nothing with set_clock = no
 * or under open trust; a time.txt that is no time and a stick's time beyond
 * belief are warnings in r.  Under key trust the evidence is the staged
 * tables' times, the bundle folder's (bundle_fd) and the workbooks' own;
 * under signed trust (m) the packing time.  Reads the box's last good and
 * last explicit times from st. */
void stickclock_decide(const struct config *cfg, const struct store *st,
                       const struct stage *stage, const struct manifest *m, int bundle_fd,
                       struct report *r, struct stickclock *out);

/* Applies c (never in a dry run): records an explicit time as applied,
 * moves the clock (now_set), saves the new time as the last good one and
 * sets r->clock_note to 「设备时间已校正为…（原为…）」; a move that fails
 * (no CAP_SYS_TIME) is a warning in r. */
void stickclock_apply(const struct store *st, const struct stickclock *c, struct report *r);

/* The dcterms:modified time of the workbook at path (WPS and Excel write
 * it from the office PC's clock; a touched file time does not change it),
 * read from at most STICKCLOCK_MAX_CORE bytes of docProps/core.xml; false
 * when there is none or it is not a time (nothing logged: CSV files, .xls
 * and the workbooks init and export write have none). */
bool stickclock_workbook_saved(const char *path, int64_t *t);

/* The saved times of the staged workbooks (内容.xlsx and a kind's own
 * .xlsx) into out[0..max); returns how many. */
size_t stickclock_workbooks(const struct stage *st, int64_t *out, size_t max);
