/* testutil.h — small helpers the unit tests share: removing a scratch
 * folder made with mkdtemp. */
#pragma once
#include <stdlib.h>

#include "core/util.h"

/* Removes the folder and everything in it; the status of rm -rf. */
static inline int rm_tree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc;
}
