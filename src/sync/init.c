/* init.c — placeholder until the authoring subcommands land (issue 5). */
#include <stdio.h>
#include "sync/commands.h"

int init_main(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "noticeboard-sync: %s: not yet available\n", argv[0]);
    return 2;
}
