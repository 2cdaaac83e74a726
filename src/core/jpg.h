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

/* What decoding one JPEG may cost, whatever the target size (docs/bundle.md).
 * Scans: a progressive JPEG's every scan makes libjpeg walk every block of
 * the image, and an empty scan takes 11 bytes ("scan bomb": 20,000 in
 * 220 KB ran past 60 s); libjpeg's own progressions have 6 (grey), 10
 * (colour) or 18 (CMYK), Photoshop's 3 to 5.  With the coefficient cap
 * (a million blocks) 32 scans are at most 32 million block visits: 1.1 s,
 * 2.6 s arithmetic-coded, for an 8192x8192 grey image on the shared
 * 2-vCPU test machine (100 scans: 2.1 s and 7.4 s).  Coefficients: a
 * JPEG decoded in several scans (progressive, or components in separate
 * scans) keeps every DCT coefficient of the whole image until the last
 * scan, 128 bytes per 8x8 block per component at any decode scale (a
 * 129-byte header of 8192x8192 asked for 470 MB).  128 MiB is a 44-megapixel
 * progressive photo in 4:2:0, 22 megapixels in 4:4:4. */
#define JPG_MAX_SCANS 32
#define JPG_MAX_COEF_BYTES (128u << 20)

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

/* Checks a JPEG against the limits above before anything is decoded: its
 * scans are counted by walking its markers (through the entropy-coded
 * data), and for a JPEG decoded in several scans the coefficient memory is
 * computed from the frame header as libjpeg would allocate it.  true when
 * within the limits, or when the file cannot be judged (jpg_decode then
 * refuses it); false with a sentence for staff in *why (malloc'd, optional)
 * and the figures in the log. */
bool jpg_check_limits(const void *data, size_t len, char **why);

/* Decodes a whole JPEG held in memory, at the largest DCT scale that still
 * covers tw x th (tw or th <= 0: full size), into opaque 32-bit pixels
 * 0xFFRRGGBB in host order (SDL_PIXELFORMAT_ARGB8888).  Grey, YCbCr and
 * RGB come out of libjpeg-turbo directly; CMYK (Photoshop's, usually
 * Adobe-inverted) is converted here.  libjpeg's warnings (recoverable
 * damage, padded grey) stay quiet.  The limits above are enforced here too
 * (a progress monitor stops at scan JPG_MAX_SCANS + 1, the coefficient
 * memory is checked before it is allocated, and libjpeg's own
 * max_memory_to_use backs that), so both programs are bounded whether or
 * not jpg_check_limits ran.  false with a one-line reason in err. */
bool jpg_decode(const void *data, size_t len, int tw, int th, jpg_target_fn *target,
                void *ctx, char *err, size_t errlen);
