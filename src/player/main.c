/* main.c — the `noticeboard` command line: play (the default), render and
 * plan.  Parses arguments, loads the config, hands over to loop.c,
 * render.c or core/plan.c, and tears down in one place. */
#include <SDL.h>
#include <malloc.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/config.h"
#include "core/content.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/now.h"
#include "core/plan.h"
#include "core/util.h"
#include "core/when.h"
#include "player/loop.h"
#include "player/render.h"
#include "player/sheet.h"

#define DEFAULT_DATA "/var/lib/noticeboard"
#define DEFAULT_CONFIG "/etc/noticeboard/noticeboard.conf"

static const char usage_text[] =
    "usage: noticeboard [--data DIR] [--config FILE] [--window WxH]\n"
    "       noticeboard render --data DIR [--config FILE] --at 'YYYY-MM-DD HH:MM' [--size WxH] --out DIR\n"
    "       noticeboard plan --data DIR [--config FILE] --at 'YYYY-MM-DD HH:MM'\n"
    "       noticeboard plan --data DIR [--config FILE] --from 'YYYY-MM-DD HH:MM' --to 'YYYY-MM-DD HH:MM'\n"
    "       noticeboard sheet --data DIR [--config FILE] --at 'YYYY-MM-DD HH:MM' --out FILE.png\n"
    "       noticeboard --help | --version\n";

static const char help_text[] =
    "\n"
    "Plays announcements, events, honor rolls and the ticker from DATA/feed.db,\n"
    "full screen (or in a window with --window).\n"
    "\n"
    "  render  draws every slide page of the loop at --at into --out/NN-KIND.png\n"
    "          (default size 1920x1080; 1080x1920 is a portrait screen) and\n"
    "          prints each path on its own line\n"
    "  plan    prints the loop at --at (KIND, ID, TITLE), or the intervals\n"
    "          between --from and --to in which it does not change\n"
    "  sheet   draws every page of the loop at --at small, numbered, into one\n"
    "          PNG (what the sync tool leaves beside its report)\n"
    "\n"
    "Defaults: --data " DEFAULT_DATA ", --config " DEFAULT_CONFIG "\n";

enum mode { MODE_PLAY, MODE_RENDER, MODE_PLAN, MODE_SHEET };

struct args {
    enum mode mode;
    const char *data, *config, *window, *at, *size, *out, *from, *to;
    bool data_given, config_given;
};

static const char short_usage[] =
    "usage: noticeboard [render|plan|sheet] [--data DIR] [--config FILE] [options] "
    "(noticeboard --help for more)\n";

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "noticeboard: %s\n", why);
    fputs(short_usage, stderr);
    return 2;
}

/* "1920x1080" → w, h (each 16..16384). */
static bool parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || a < 16 || b < 16 || a > 16384 || b > 16384)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

/* Returns 0 when parsed, else the exit status (2 for usage, 0 after --help). */
static int parse_args(int argc, char **argv, struct args *a, bool *stop)
{
    *stop = false;
    int i = 1;
    if (i < argc && strcmp(argv[i], "render") == 0) {
        a->mode = MODE_RENDER;
        i++;
    } else if (i < argc && strcmp(argv[i], "plan") == 0) {
        a->mode = MODE_PLAN;
        i++;
    } else if (i < argc && strcmp(argv[i], "sheet") == 0) {
        a->mode = MODE_SHEET;
        i++;
    }
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            *stop = true;
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("noticeboard %s\n", NB_VERSION);
            *stop = true;
            return 0;
        }
        static const struct { const char *name; size_t off; } opts[] = {
            { "--data", offsetof(struct args, data) },
            { "--config", offsetof(struct args, config) },
            { "--window", offsetof(struct args, window) },
            { "--at", offsetof(struct args, at) },
            { "--size", offsetof(struct args, size) },
            { "--out", offsetof(struct args, out) },
            { "--from", offsetof(struct args, from) },
            { "--to", offsetof(struct args, to) },
        };
        bool known = false;
        for (size_t k = 0; k < ARRAY_LEN(opts); k++) {
            size_t n = strlen(opts[k].name);
            const char *val = NULL;
            if (strcmp(arg, opts[k].name) == 0) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "noticeboard: %s needs a value\n", arg);
                    fputs(short_usage, stderr);
                    *stop = true;
                    return 2;
                }
                val = argv[++i];
            } else if (strncmp(arg, opts[k].name, n) == 0 && arg[n] == '=') {
                val = arg + n + 1;
            } else {
                continue;
            }
            *(const char **)((char *)a + opts[k].off) = val;
            known = true;
            break;
        }
        if (!known) {
            fprintf(stderr, "noticeboard: unknown argument '%s'\n", arg);
            fputs(short_usage, stderr);
            *stop = true;
            return 2;
        }
    }
    a->data_given = a->data != NULL;
    a->config_given = a->config != NULL;
    if (!a->data)
        a->data = DEFAULT_DATA;
    if (!a->config)
        a->config = DEFAULT_CONFIG;
    return 0;
}

/* Checks that each option belongs to the mode; returns a reason or NULL. */
static const char *check_args(const struct args *a)
{
    switch (a->mode) {
    case MODE_PLAY:
        if (a->at || a->size || a->out || a->from || a->to)
            return "--at, --size, --out, --from and --to belong to render or plan";
        return NULL;
    case MODE_RENDER:
        if (a->window || a->from || a->to)
            return "render takes --data, --config, --at, --size and --out";
        if (!a->at || !a->out)
            return "render needs --at and --out";
        return NULL;
    case MODE_SHEET:
        if (a->window || a->size || a->from || a->to)
            return "sheet takes --data, --config, --at and --out";
        if (!a->at || !a->out)
            return "sheet needs --at and --out";
        return NULL;
    case MODE_PLAN:
        if (a->window || a->size || a->out)
            return "plan takes --data, --config and --at, or --from and --to";
        if (a->at ? (a->from || a->to) : !(a->from && a->to))
            return "plan needs --at, or both --from and --to";
        return NULL;
    }
    return NULL;
}

static int run_plan(const struct config *cfg, const struct args *a)
{
    int64_t at = 0, from = 0, to = 0;
    if (a->at && !when_parse_moment(a->at, &at))
        return usage("--at wants 'YYYY-MM-DD HH:MM'");
    if (a->from && (!when_parse_moment(a->from, &from) || !when_parse_moment(a->to, &to)))
        return usage("--from and --to want 'YYYY-MM-DD HH:MM'");
    if (a->from && from >= to)
        return usage("--from must be before --to");
    struct render_src src;
    render_src_load(cfg, a->data, a->at ? at : from, a->at ? at : to, &src);
    bool ok = a->at ? plan_print_at(stdout, src.content, &src.opts, at)
                    : plan_print_span(stdout, src.content, &src.opts, from, to);
    if (fflush(stdout) != 0)
        ok = false;
    render_src_free(&src);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct args a = { 0 };
    struct config cfg;
    bool cfg_loaded = false, stop;
    int status = 0;
    int w = 0, h = 0;
    int64_t at = 0;

    log_init("noticeboard", LOG_LEVEL_INFO);
    if (!now_init())            /* a malformed NB_TEST_CLOCK: never the real clock */
        return 2;
    /* Pages (7 MB at 1080p) come and go at every change of slide.  glibc
     * raises its mmap threshold past the size of the first one freed, so
     * the next ones came from the heap and their memory stayed with the
     * player after the crossfade (+5 MiB for good).  A fixed threshold
     * keeps large buffers mapped, and returned when freed. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    status = parse_args(argc, argv, &a, &stop);
    if (stop)
        goto out;
    const char *why = check_args(&a);
    if (why) {
        status = usage(why);
        goto out;
    }
    if (a.window && !parse_size(a.window, &w, &h)) {
        status = usage("--window wants WxH, e.g. 1280x720");
        goto out;
    }
    if (a.mode == MODE_SHEET && !when_parse_moment(a.at, &at)) {
        status = usage("--at wants 'YYYY-MM-DD HH:MM'");
        goto out;
    }
    if (a.mode == MODE_RENDER) {
        w = 1920;
        h = 1080;
        if (a.size && !parse_size(a.size, &w, &h)) {
            status = usage("--size wants WxH, e.g. 1920x1080");
            goto out;
        }
        if (!when_parse_moment(a.at, &at)) {
            status = usage("--at wants 'YYYY-MM-DD HH:MM'");
            goto out;
        }
    }

    /* A config named on the command line must exist; the default may not
     * (a fresh box plays with the defaults).  A bad line is logged and the
     * rest still applies: the board keeps playing. */
    config_load(&cfg, a.config, a.config_given);
    cfg_loaded = true;
    if (a.config_given && access(a.config, R_OK) != 0) {
        fprintf(stderr, "noticeboard: cannot read config %s\n", a.config);
        status = 1;
        goto out;
    }

    switch (a.mode) {
    case MODE_PLAN:
        status = run_plan(&cfg, &a);
        break;
    case MODE_RENDER:
        status = render_run(&cfg, a.data, at, w, h, a.out);
        break;
    case MODE_SHEET:
        status = sheet_run(&cfg, a.data, at, a.out);
        break;
    case MODE_PLAY:
        status = loop_run(&cfg, a.data, w, h);
        break;
    }
out:
    if (cfg_loaded)
        config_free(&cfg);
    return status;
}
