/* fuzz-media.c — the image header check (media_probe) on arbitrary bytes
 * and, for inputs it accepts with a modest pixel count, the whole
 * decode-scale-encode path (media_prepare) into a small box. */
#include <stdbool.h>

#include "core/log.h"
#include "fuzz.h"
#include "sync/media.h"

/* Decoding cost grows with pixels, not bytes: larger headers are probed
 * only, so the fuzzer keeps its pace (big sizes are the probe's job). */
#define FUZZ_MAX_PIXELS (512 * 512)

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
    if ((long)w * h > FUZZ_MAX_PIXELS)
        return 0;

    struct media_out out = {0};
    int max_w = 1 + (int)(size % 97), max_h = 1 + (int)(size % 61);
    if (media_prepare(data, size, max_w, max_h, &out, &why)) {
        FUZZ_CHECK(why == NULL);
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
