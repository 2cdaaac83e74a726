/* import.h — the `import` subcommand: authorize, stage, validate, prepare
 * media, build and activate a new feed, report.  Any failure or kill leaves
 * DATA/feed.db exactly as it was. */
#pragma once
#include <stdbool.h>

struct import_opts {
    const char *data;       /* DATA folder */
    const char *config;     /* config file */
    bool config_must_exist; /* given with --config */
    bool dry_run;
    const char *source;     /* mount point holding noticeboard/ */
    const char *report_dir; /* NULL: the report goes to the bundle's reports/;
                             * else to this folder's reports/ (the inbox's
                             * outbox, sync/inbox.c) */
};

/* Runs one import and returns the exit status (docs/man/noticeboard-sync.1): 0 done, 1
 * content rejected, 2 usage/config error, 3 not authorized, 4 I/O failure.
 * Prints the report on stdout and progress on stderr. */
int import_run(const struct import_opts *o);
