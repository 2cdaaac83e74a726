/* testutil.h — small helpers the unit tests share: removing a scratch
 * folder made with mkdtemp, finding the repository root. */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Removes the folder and everything in it; the status of rm -rf. */
static inline int rm_tree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

/* The repository root, from file (the test's __FILE__ as the build gave it,
 * "tests/…/test-x.c" under the root), into top (size bytes) without a
 * trailing slash; "." when the build gave the path from the root. */
static inline void test_top(char *top, size_t size, const char *file)
{
    snprintf(top, size, "%s", file);
    char *cut = NULL;
    for (char *p = strstr(top, "tests/"); p; p = strstr(p + 1, "tests/"))
        cut = p;
    if (cut)
        *cut = '\0';
    if (!top[0])
        snprintf(top, size, ".");
    size_t n = strlen(top);
    if (n > 1 && top[n - 1] == '/')
        top[n - 1] = '\0';
}
