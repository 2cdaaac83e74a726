/* args.h — the options noticeboard-sync's subcommands share (docs/man/noticeboard-sync.1):
 * --data DIR, --config FILE, --dry-run, --csv, --new-key, as `--opt VALUE` or `--opt=VALUE`,
 * then positional SOURCE/DEST.  One parser, so every subcommand treats its
 * command line alike. */
#pragma once
#include <stdbool.h>

#define DEFAULT_DATA "/var/lib/noticeboard"
#define DEFAULT_CONFIG "/etc/noticeboard/noticeboard.conf"

enum { ARGS_CONFIG = 1, ARGS_DRY_RUN = 2, ARGS_CSV = 4, ARGS_NEW_KEY = 8 };   /* options a subcommand allows besides --data */
enum args_result { ARGS_OK, ARGS_HELP, ARGS_BAD };

struct sync_args {
    const char *data, *config;  /* defaults filled in */
    bool config_given, dry_run, csv, new_key;
    const char *pos[2];
    int npos;
};

/* Parses argv[1..argc) (argv[0] is the subcommand) requiring exactly
 * `npos` positional arguments.  --help / -h prints `usage` to stdout and
 * gives ARGS_HELP; a usage error prints the reason and `usage` to stderr
 * and gives ARGS_BAD (exit status 2); a --config that cannot be read is a
 * usage error too. */
enum args_result args_parse(int argc, char **argv, unsigned allow, int npos, const char *usage,
                            struct sync_args *a);
