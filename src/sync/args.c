/* args.c — the shared subcommand option parser; see args.h. */
#include "sync/args.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum args_result bad(const char *usage, const char *fmt, const char *arg)
{
    fputs("noticeboard-sync: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fputs(usage, stderr);
    return ARGS_BAD;
}

enum args_result args_parse(int argc, char **argv, unsigned allow, int npos, const char *usage,
                            struct sync_args *a)
{
    *a = (struct sync_args){.data = DEFAULT_DATA, .config = DEFAULT_CONFIG};
    bool opts_done = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!opts_done && !strcmp(s, "--")) {
            opts_done = true;
            continue;
        }
        if (!opts_done && s[0] == '-' && s[1]) {
            if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
                fputs(usage, stdout);
                return ARGS_HELP;
            }
            if ((allow & ARGS_DRY_RUN) && !strcmp(s, "--dry-run")) {
                a->dry_run = true;
                continue;
            }
            if ((allow & ARGS_CSV) && !strcmp(s, "--csv")) {
                a->csv = true;
                continue;
            }
            if ((allow & ARGS_NEW_KEY) && !strcmp(s, "--new-key")) {
                a->new_key = true;
                continue;
            }
            const char *eq = strchr(s, '=');
            size_t klen = eq ? (size_t)(eq - s) : strlen(s);
            bool is_data = klen == 6 && !strncmp(s, "--data", 6);
            bool is_config = (allow & ARGS_CONFIG) && klen == 8 && !strncmp(s, "--config", 8);
            if (!is_data && !is_config)
                return bad(usage, "unknown option %s", s);
            const char *val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
            if (!val || !*val)
                return bad(usage, "%s needs a value", s);
            if (is_data) {
                a->data = val;
            } else {
                a->config = val;
                a->config_given = true;
            }
            continue;
        }
        if (a->npos >= npos)
            return bad(usage, "unexpected argument %s", s);
        a->pos[a->npos++] = s;
    }
    if (a->npos != npos)
        return bad(usage, "%s", npos ? "missing SOURCE or DEST" : "too many arguments");
    if (a->config_given && access(a->config, R_OK) != 0) {
        fprintf(stderr, "noticeboard-sync: config file %s: %s\n", a->config, strerror(errno));
        return ARGS_BAD;
    }
    return ARGS_OK;
}
