/* media.h — images from the stick: JPEG and PNG only, judged by magic
 * bytes; dimensions read from the header and capped before any decoding;
 * JPEGs decoded with libjpeg, at 1/2, 1/4 or 1/8 size when that still covers
 * the target, PNGs with the typed SDL2_image loader (never IMG_Load's
 * guessing); downscaled once to what the largest screen needs; stored by
 * content hash. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "core/image.h"

#define MEDIA_MAX_SIDE IMAGE_MAX_SIDE /* refuse anything larger before decoding */
#define MEDIA_MAX_BYTES (32u << 20) /* per file on the stick */

enum media_type { MEDIA_NONE, MEDIA_JPEG, MEDIA_PNG };

/* Header check only (no decoding): image_probe (core/image.h) in this
 * module's terms.  false with a Chinese *why (malloc'd) for anything not
 * acceptable. */
bool media_probe(const void *data, size_t len, enum media_type *type,
                 int *width, int *height, char **why);

struct media_out {
    void *data;             /* re-encoded bytes (JPEG or PNG), malloc'd */
    size_t len;
    int width, height;
    const char *mime;       /* "image/jpeg" or "image/png" */
    char sha256[65];        /* hex digest of data */
    int decode_scale;       /* JPEG decoded at 1/decode_scale by DCT scaling
                             * (1, 2, 4 or 8); 1 for PNG */
};

/* Probes, decodes, scales to fit within max_w x max_h (never up), encodes.
 * false with a Chinese *why for a bad or truncated image. */
bool media_prepare(const void *data, size_t len, int max_w, int max_h,
                   struct media_out *out, char **why);
void media_out_free(struct media_out *m);

/* Encodes w x h opaque pixels — 32-bit words 0x..RRGGBB in native byte
 * order (cairo's RGB24, SDL's RGB888), pitch bytes a row — as PNG (png) or
 * JPEG into *out with its sha256, as media_prepare stores images
 * (decode_scale 1).  For pictures made at import (PDF pages).  false,
 * logged, when encoding fails; *out is then empty. */
bool media_encode_xrgb(const void *pixels, int w, int h, int pitch, bool png,
                       struct media_out *out);

/* Is name a plain file name that a FAT stick and Windows accept: valid
 * UTF-8, at most 255 bytes, no folder part, not hidden (no leading "."),
 * no control characters and none of "*:<>?|\ ?  For names that come
 * from a feed (which may come from a stick) before export writes them. */
bool media_name_ok(const char *name);
