/* preview.c — runs the player's `sheet` subcommand in a child process with
 * a deadline and reads the PNG it wrote; see preview.h. */
#include "sync/preview.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/now.h"
#include "core/util.h"
#include "core/when.h"

/* The player beside this program (both are installed into one bindir, and
 * sit side by side in build/), or NB_PLAYER. */
static char *player_path(void)
{
    const char *env = getenv("NB_PLAYER");
    if (env && *env)
        return xstrdup(env);
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return xasprintf("%s/noticeboard", self);
}

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void *preview_sheet(const char *data, const char *config, const char *tmpdir, int64_t at,
                    size_t *len)
{
    char *player = player_path();
    if (!player || access(player, X_OK) != 0) {
        log_warn("preview: no player at %s; no picture beside the report", player ? player : "?");
        free(player);
        return NULL;
    }
    char when[17];
    when_format(at, when);
    char *out = xasprintf("%s/preview.png", tmpdir);
    unlink(out);
    bool with_config = config && access(config, R_OK) == 0;
    int64_t t0 = mono_ms();
    pid_t pid = fork();
    if (pid < 0) {
        log_errno("preview: fork");
        free(out);
        free(player);
        return NULL;
    }
    if (pid == 0) {
        /* Its stdout (the paths) is not ours to print; its log is. */
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        if (with_config)
            execl(player, "noticeboard", "sheet", "--data", data, "--config", config, "--at",
                  when, "--out", out, (char *)NULL);
        else
            execl(player, "noticeboard", "sheet", "--data", data, "--at", when, "--out", out,
                  (char *)NULL);
        _exit(127);
    }
    int status = 0;
    bool done = false;
    while (!done) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            done = true;
        } else if (w < 0 && errno != EINTR) {
            log_errno("preview: waitpid");
            break;
        } else if (mono_ms() - t0 > PREVIEW_TIMEOUT_MS) {
            log_warn("preview: the player took over %d s; stopped", PREVIEW_TIMEOUT_MS / 1000);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            status = -1;
            done = true;
        } else {
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
        }
    }
    void *png = NULL;
    if (done && status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        png = read_file(out, PREVIEW_MAX_BYTES, len);
        if (!png)
            log_warn("preview: %s unreadable or larger than %u bytes", out, PREVIEW_MAX_BYTES);
        else
            log_info("preview: %zu bytes in %lld ms", *len, (long long)(mono_ms() - t0));
    } else if (status != -1) {
        log_warn("preview: the player's sheet failed (status %d)", status);
    }
    unlink(out);
    free(out);
    free(player);
    return png;
}
