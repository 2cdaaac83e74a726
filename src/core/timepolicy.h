/* timepolicy.h — may the box's clock move to the time a stick brings, and
 * how far?  Most boxes have no working clock and no network: the stick is
 * the only source of time, and a wrong stick must not break a right clock.
 * Pure: what the stick says and what the box knows in, a decision out
 * (docs/schedule.md, "设备时间").
 *
 * Sources, most trusted first:
 *   explicit  a time staff set on purpose (设置时间.bat writes the office
 *             PC's time to noticeboard/time.txt); may move the clock back,
 *             by at most TIMEPOLICY_MAX_MOVE, and only once per value;
 *   signed    the packing time in a signed MANIFEST: the real time is at
 *             least that, so it only moves the clock forward;
 *   files     under key trust, the times of the stick's table files and of
 *             its noticeboard folder: forward only, never on one time alone
 *             (the second newest counts, so one touched file cannot move
 *             the box to 2099), and at most TIMEPOLICY_MAX_MOVE ahead of
 *             what the box knew.
 * Photos' times never count: cameras keep their own clocks. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMEPOLICY_SLACK 120                    /* s: closer than this is right */
#define TIMEPOLICY_MAX_MOVE (366LL * 86400)     /* s: further is a wrong clock elsewhere */
#define TIMEPOLICY_PLAUSIBLE 1704067200LL       /* 2024-01-01: older stamps are junk */
#define TIMEPOLICY_JUNK 3786912000LL            /* 2090-01-01: so are later ones */
#define TIMEPOLICY_MAX_FILES 16

enum timepolicy_source { TIMEPOLICY_NONE, TIMEPOLICY_FILES, TIMEPOLICY_SIGNED,
                         TIMEPOLICY_EXPLICIT };

/* What a stick says about the time (unix seconds; 0 when absent). */
struct timepolicy_evidence {
    int64_t explicit_time;          /* time.txt, parsed with its UTC offset */
    int64_t signed_time;            /* the signed MANIFEST's version (packing time) */
    int64_t files[TIMEPOLICY_MAX_FILES]; /* mtimes: table files and the bundle folder */
    size_t nfiles;
};

/* What the box knows (unix seconds; 0 when unknown). */
struct timepolicy_box {
    int64_t now;                    /* its clock */
    int64_t last_good;              /* the last time its clock was judged right */
    int64_t last_explicit;          /* the explicit time it applied last */
};

struct timepolicy_decision {
    bool move;                      /* set the clock to `to` */
    int64_t to;
    enum timepolicy_source source;  /* where `to` comes from */
    bool doubtful;                  /* the stick's time disagrees beyond what is
                                     * believable: the clock was not moved, and
                                     * staff should be told */
};

/* Decides.  Never moves backwards but for an explicit time newer than the
 * last one applied; never further than TIMEPOLICY_MAX_MOVE from what the
 * box knew (its clock, or its last good time when that is later). */
void timepolicy_decide(const struct timepolicy_evidence *e, const struct timepolicy_box *b,
                       struct timepolicy_decision *out);

/* Reads time.txt as 设置时间.bat writes it: "2026-12-03 14:30:05 +08:00"
 * (seconds and the offset optional; without an offset the box's own zone
 * is assumed).  false on anything else. */
bool timepolicy_parse_explicit(const char *text, int64_t *unix_seconds);
