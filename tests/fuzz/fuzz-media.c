/* fuzz-media.c — the image header check (media_probe) on arbitrary bytes
 * and, for inputs it accepts, the whole decode-scale-encode path
 * (media_prepare) into a small box: every JPEG the probe accepts (up to
 * 8192 x 8192: decoded at 1/8 into the box, so the cost is the entropy
 * data, the scans and the coefficient buffers core/jpg.c caps), PNGs up to
 * 2048 x 2048.  The limits of core/jpg.h and core/png.h are checked to
 * hold: nothing over them is ever prepared. */
#include <stdbool.h>

#include "core/jpg.h"
#include "core/log.h"
#include "core/png.h"
#include "fuzz.h"
#include "sync/media.h"

/* A PNG decodes whole whatever the box (core/png.h): larger ones are
 * probed and limit-checked only, so the fuzzer keeps its pace. */
#define FUZZ_MAX_PNG_PIXELS (2048 * 2048)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) {
        log_init("fuzz-media", LOG_LEVEL_ERROR + 1);
        quiet = true;
    }
    enum media_type type = MEDIA_NONE;
    int w = 0, h = 0;
    char *why = NULL;
    if (!media_probe(data, size, &type, &w, &h, &why)) {
        FUZZ_CHECK(why != NULL && why[0] != '\0');
        free(why);
        return 0;
    }
    FUZZ_CHECK(why == NULL);
    FUZZ_CHECK(type == MEDIA_JPEG || type == MEDIA_PNG);
    FUZZ_CHECK(w >= 1 && h >= 1 && w <= MEDIA_MAX_SIDE && h <= MEDIA_MAX_SIDE);
    bool within = type == MEDIA_JPEG ? jpg_check_limits(data, size, &why)
                                     : png_check_limits(data, size, &why);
    FUZZ_CHECK(within == (why == NULL));
    free(why);
    why = NULL;
    if (type == MEDIA_PNG && (long)w * h > FUZZ_MAX_PNG_PIXELS)
        return 0;

    struct media_out out = {0};
    int max_w = 1 + (int)(size % 97), max_h = 1 + (int)(size % 61);
    if (media_prepare(data, size, max_w, max_h, &out, &why)) {
        FUZZ_CHECK(why == NULL);
        FUZZ_CHECK(within);     /* nothing over the limits is decoded */
        FUZZ_CHECK(out.data != NULL && out.len > 0);
        FUZZ_CHECK(out.width >= 1 && out.height >= 1);
        /* Never up, and within the box (rotation may swap w and h first). */
        FUZZ_CHECK(out.width <= max_w && out.height <= max_h);
        FUZZ_CHECK(strlen(out.sha256) == 64);
        /* What we store must pass our own check again. */
        enum media_type t2;
        int w2, h2;
        char *why2 = NULL;
        FUZZ_CHECK(media_probe(out.data, out.len, &t2, &w2, &h2, &why2));
        FUZZ_CHECK(w2 == out.width && h2 == out.height);
        media_out_free(&out);
    } else {
        FUZZ_CHECK(why != NULL && why[0] != '\0');
        free(why);
    }
    return 0;
}
