/* jpg.h — JPEG decoding through libjpeg for both programs: the sync tool
 * shrinks photos at import, the player decodes a page's image when it
 * draws the page.  Both decode at a reduced DCT scale (1/2, 1/4, 1/8) when
 * that still covers what they need, which skips most of the work for a
 * large photo shown small.  No SDL here: the caller says where the pixels
 * go. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JPG_ERR_MAX 200         /* room for any reason (JMSG_LENGTH_MAX) */

/* The largest DCT scale divisor (1, 2, 4 or 8) at which a w x h JPEG still
 * decodes to at least tw x th (never less than the full decode would give
 * when the target is larger than the image). */
int jpg_scale_denom(int w, int h, int tw, int th);

/* What the decoder is about to produce, for the caller's target. */
struct jpg_shape {
    int w, h;               /* stored size, as libjpeg reads the frame header */
    int denom;              /* the DCT scale divisor chosen */
    int out_w, out_h;       /* size of the pixels to be written */
};

/* Returns out_w x out_h pixels to fill (first row; *pitch bytes between
 * rows) or NULL to refuse (a size the caller did not expect, no memory):
 * the decode then fails with "refused". */
typedef uint8_t *jpg_target_fn(void *ctx, const struct jpg_shape *shape, size_t *pitch);

/* Decodes a whole JPEG held in memory, at the largest DCT scale that still
 * covers tw x th (tw or th <= 0: full size), into opaque 32-bit pixels
 * 0xFFRRGGBB in host order (SDL_PIXELFORMAT_ARGB8888).  Grey, YCbCr and
 * RGB come out of libjpeg-turbo directly; CMYK (Photoshop's, usually
 * Adobe-inverted) is converted here.  libjpeg's warnings (recoverable
 * damage, padded grey) stay quiet.  false with a one-line reason in err. */
bool jpg_decode(const void *data, size_t len, int tw, int th, jpg_target_fn *target,
                void *ctx, char *err, size_t errlen);
