/* power.c — starts the screen_off / screen_on commands with posix_spawnp and
 * reaps them with waitpid(WNOHANG), so a slow CEC bus never stalls a frame;
 * see power.h. */
#include "player/power.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "core/log.h"
#include "core/util.h"

extern char **environ;

static const char *const what[2] = { "screen off", "screen on" };

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "cec-ctl --to 0 --standby" → {"cec-ctl", "--to", "0", "--standby", NULL};
 * NULL when there is no word. */
static char **split(const char *cmd)
{
    if (!cmd)
        return NULL;
    size_t n = 0, cap = 0;
    char **argv = NULL;
    for (const char *s = cmd;;) {
        s += strspn(s, " \t");
        if (!*s)
            break;
        size_t len = strcspn(s, " \t");
        xgrow(&argv, &cap, n + 2, sizeof *argv);
        argv[n++] = xstrndup(s, len);
        s += len;
    }
    if (argv)
        argv[n] = NULL;
    return argv;
}

void power_init(struct power *pw, const char *off_cmd, const char *on_cmd)
{
    *pw = (struct power){ .argv = { split(off_cmd), split(on_cmd) }, .started = -1,
                          .timeout_s = 30 };
    if (!pw->argv[0] != !pw->argv[1])
        log_warn("[display] only %s is set: the panel is switched %s but never %s",
                 pw->argv[0] ? "screen_off" : "screen_on", pw->argv[0] ? "off" : "on",
                 pw->argv[0] ? "back on" : "off");
}

/* The command line for a log message, words joined by spaces. */
static char *joined(char **argv)
{
    struct sbuf b = {0};
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            sbuf_addc(&b, ' ');
        sbuf_adds(&b, argv[i]);
    }
    return sbuf_take(&b);
}

/* Logs a command's failure, once until it succeeds again: a CEC bus
 * without a TV would otherwise warn twice a day for months. */
static void failed(struct power *pw, int which, char *reason)
{
    if (!pw->failing[which]) {
        pw->failing[which] = true;
        char *cmd = joined(pw->argv[which]);
        log_warn("%s: '%s' %s%s", what[which], cmd, reason,
                 which ? "; the panel may stay dark" : "; quiet hours only show black");
        free(cmd);
    }
    free(reason);
}

static void start(struct power *pw, int which)
{
    pw->started = which;
    char **argv = pw->argv[which];
    if (!argv)
        return;                 /* not configured: the black frame is all */
    char *cmd = joined(argv);
    log_info("%s: running '%s'", what[which], cmd);
    free(cmd);

    /* The child gets default signal handling and an empty mask whatever SDL
     * or we set up, and stdin from /dev/null: it must never read the tty. */
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&fa);
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dfl);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (err) {
        failed(pw, which, xasprintf("cannot start: %s", strerror(err)));
        return;
    }
    pw->pid = pid;
    pw->running = which;
    pw->started_at = mono_s();
}

static void reap(struct power *pw)
{
    int st;
    pid_t r = waitpid(pw->pid, &st, WNOHANG);
    if (r == 0) {
        if (mono_s() - pw->started_at > pw->timeout_s) {
            /* Killed once; reaped on a later call.  Its own message, so the
             * "killed by signal 9" that follows is not logged as well. */
            failed(pw, pw->running, xasprintf("still running after %g s: killed",
                                              pw->timeout_s));
            pw->failing[pw->running] = true;
            kill(pw->pid, SIGKILL);
            pw->started_at = mono_s() + 1e9;    /* not again */
        }
        return;
    }
    pw->pid = 0;
    if (r < 0)
        return;                 /* ECHILD: someone else reaped it */
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        pw->failing[pw->running] = false;
    else if (WIFEXITED(st))
        failed(pw, pw->running, xasprintf("exited with status %d", WEXITSTATUS(st)));
    else
        failed(pw, pw->running, xasprintf("was killed by signal %d", WTERMSIG(st)));
}

void power_update(struct power *pw, bool on)
{
    if (pw->pid)
        reap(pw);
    if (!pw->pid && pw->started != (int)on)
        start(pw, (int)on);
}

void power_fini(struct power *pw)
{
    if (pw->pid)
        reap(pw);
    for (int i = 0; i < 2; i++) {
        for (size_t j = 0; pw->argv[i] && pw->argv[i][j]; j++)
            free(pw->argv[i][j]);
        free(pw->argv[i]);
    }
    *pw = (struct power){ .started = -1 };
}
