/* fuzz-feed.c — the feed schema check and loader on arbitrary files: the
 * input is written to a temporary file, opened with feed_open (schema,
 * application_id, no triggers or views, quick_check) and loaded with
 * feed_load_ex, as the player does with the active feed and the importer
 * with a feed.db from a stick.  SQLite itself is the system library (not
 * instrumented); the coverage that guides the fuzzer is our feed.c. */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "core/content.h"
#include "core/feed.h"
#include "core/log.h"
#include "fuzz.h"

static char path[4096];

static void remove_tmp(void)
{
    if (path[0])
        unlink(path);
}

/* Writes data to the scratch file; aborts when the disk refuses (that is
 * the machine, not a finding). */
static void write_tmp(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/fuzz-feed.XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0) {
            perror(path);
            abort();
        }
        close(fd);
        atexit(remove_tmp);
    }
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* Every media name the content refers to is looked up like the player
 * does; a blob that comes back must have a length. */
static void try_media(struct feed *f, const char *name)
{
    if (!name)
        return;
    void *blob = NULL;
    size_t len = 0;
    int w = 0, h = 0;
    if (feed_media(f, name, &blob, &len, &w, &h))
        FUZZ_CHECK(blob != NULL);
    free(blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) {
        log_init("fuzz-feed", LOG_LEVEL_ERROR + 1);
        quiet = true;
    }
    write_tmp(data, size);
    char *why = NULL;
    struct feed *f = feed_open(path, &why);
    if (!f) {
        FUZZ_CHECK(why != NULL);
        free(why);
        return 0;
    }
    FUZZ_CHECK(why == NULL);
    (void)feed_version(f);
    struct feed_content *c = feed_load_ex(f, &why);
    if (c) {
        FUZZ_CHECK(c->org_name != NULL);
        for (size_t i = 0; i < c->nann; i++) {
            FUZZ_CHECK(c->ann[i].title && c->ann[i].body);
            try_media(f, c->ann[i].image);
        }
        for (size_t i = 0; i < c->nevents; i++)
            FUZZ_CHECK(c->events[i].title && c->events[i].place);
        for (size_t i = 1; i < c->nholidays; i++)
            FUZZ_CHECK(c->holidays[i - 1].day <= c->holidays[i].day);
        try_media(f, c->logo);
        content_destroy(c);
    } else {
        FUZZ_CHECK(why != NULL);
        free(why);
    }
    feed_close(f);
    return 0;
}
