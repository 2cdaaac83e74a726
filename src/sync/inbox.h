/* inbox.h — the `inbox` subcommand (docs/man/noticeboard-sync.1): imports
 * the signed bundle a courier left in DATA/inbox/noticeboard once it is
 * complete, exactly as a stick, and writes reports, the play log and
 * status.txt to DATA/outbox for the courier to carry back. */
#pragma once
#include <stdbool.h>

struct inbox_opts {
    const char *data;       /* DATA folder */
    const char *config;     /* config file */
    bool config_must_exist; /* given with --config */
};

/* One look at the inbox: waits (exit 0) while a transfer is under way,
 * imports a complete bundle not handled before and meant for this board
 * (the import's exit status), else does nothing (0).  2 when the config
 * is unusable or not signed trust, 4 when the data folder is. */
int inbox_run(const struct inbox_opts *o);
/* The outcome word ("imported", "waiting", …) in a line of the inbox-seen
 * state file, or NULL when it holds none. */
const char *inbox_state_word(const char *seen_line);
