/* fuzz-manifest.c — the signed-trust MANIFEST parser on arbitrary bytes
 * (it reads the stick before anything is trusted). */
#include <stdbool.h>

#include "core/log.h"
#include "fuzz.h"
#include "sync/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) {
        log_init("fuzz-manifest", LOG_LEVEL_ERROR + 1);
        quiet = true;
    }
    struct manifest *m = NULL;
    char *why = NULL;
    /* Not NUL-terminated on purpose: the parser is given a length. */
    if (manifest_parse((const char *)data, size, &m, &why)) {
        FUZZ_CHECK(m != NULL && why == NULL);
        for (size_t i = 0; i < m->nentries; i++) {
            const char *p = m->entries[i].path;
            FUZZ_CHECK(p != NULL && p[0] != '\0');
            /* A path the stager opens must stay inside noticeboard/. */
            FUZZ_CHECK(p[0] != '/');
            FUZZ_CHECK(strcmp(p, "..") != 0 && strncmp(p, "../", 3) != 0);
            FUZZ_CHECK(strstr(p, "/../") == NULL);
            size_t n = strlen(p);
            FUZZ_CHECK(!(n >= 3 && strcmp(p + n - 3, "/..") == 0));
        }
        manifest_destroy(m);
    } else {
        FUZZ_CHECK(why != NULL && why[0] != '\0');
        free(why);
    }
    return 0;
}
