/* fuzz.h — what every harness shares: the libFuzzer entry point (also
 * called by replay.c, the corpus driver built with the normal compiler) and
 * a helper for parsers that want NUL-terminated text. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Called once per input; returns 0 (libFuzzer's convention).  A bug shows
 * as a sanitizer report or abort(), never as a return value. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd NUL-terminated copy of data[0..n) (the caller frees). */
static inline char *fuzz_strndup(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    if (n)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

/* Invariant check that stays on in release builds: a broken invariant is a
 * finding, reported as a crash with the message. */
#define FUZZ_CHECK(cond)                                                        \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fuzz_fail(__FILE__, __LINE__, #cond);                               \
        }                                                                       \
    } while (0)

#include <stdio.h>
static inline _Noreturn void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}
