/* power.h — the panel's power in quiet hours: runs the installer's
 * [display] screen_off command on entering them and screen_on on leaving.
 * SDL holds the DRM master and offers no DPMS control, so a command is the
 * hook (vcgencmd, cec-ctl, xset: docs/deploy.md section 5). */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

struct power {
    char **argv[2];     /* [0] screen_off, [1] screen_on; NULL: nothing to run */
    pid_t pid;          /* the command running now, or 0 */
    double started_at;  /* its start, monotonic seconds */
    double timeout_s;   /* a command running longer is killed (30 s) */
    int running;        /* which one runs: 0 off, 1 on */
    int started;        /* state whose command was last started; -1 none yet */
    bool failing[2];    /* that command's failure is already logged */
};

/* Splits each command on spaces into argv (no shell).  NULL or blank: none,
 * the screen then only shows black.  Cannot fail; power_fini frees. */
void power_init(struct power *pw, const char *off_cmd, const char *on_cmd);

/* Call from the loop, at least once a second, with whether the screen
 * should be lit.  On a change of that wish (and on the first call: a
 * restart may find the panel off) starts the matching command, after the
 * previous one has finished; reaps a finished command and kills one that
 * hangs past timeout_s (a stuck CEC bus must not hold back every later
 * switch).  Never blocks.  A command that cannot start, exits non-zero or
 * hangs is logged once (warning) and not retried until the next change. */
void power_update(struct power *pw, bool on);

/* Frees the commands.  One still running is left to finish, not waited for
 * (its parent's exit hands it to init). */
void power_fini(struct power *pw);
