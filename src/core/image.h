/* image.h — what an image file is, judged from its bytes before any
 * decoder runs, for both programs: the type by magic bytes, the size and
 * orientation from the header, whether the file is complete, and the caps.
 * The importer, export, the sync tool's media and the player's drawing all
 * ask here, so a cap added once holds for every way an image is read. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

enum image_type { IMAGE_NONE, IMAGE_JPEG, IMAGE_PNG };

/* The largest side either program accepts (refused before decoding). */
#define IMAGE_MAX_SIDE 8192

/* The type by magic bytes alone: PNG's 8-byte signature or JPEG's
 * FF D8 FF; IMAGE_NONE for anything else. */
enum image_type image_sniff(const void *data, size_t len);
/* "image/png", "image/jpeg", "application/octet-stream". */
const char *image_mime(enum image_type t);
/* The file name extension for t: ".png", ".jpg" (also for IMAGE_NONE). */
const char *image_ext(enum image_type t);

struct image_info {
    enum image_type type;
    int w, h;               /* as stored (before orientation) */
    int orient;             /* EXIF orientation 1..8 (JPEG), 1 otherwise */
    const char *problem;    /* why it was refused, in English for the log
                             * (static); NULL when accepted */
};

/* The header check: a JPEG or PNG whose size is readable, not zero, at
 * most IMAGE_MAX_SIDE a side, a PNG of at most PNG_MAX_PIXELS (png.h),
 * and the whole file present (a JPEG up to its EOI, a PNG's chunks inside
 * the data up to IEND).  Fills *out as far as it could read it (type
 * IMAGE_NONE when neither) and returns true when the image may be
 * decoded; false with a sentence for staff in *why (malloc'd, optional;
 * NULL on success) and out->problem for the log.  Logs nothing: the
 * player probes at every draw and logs once.  A JPEG's scans and coefficient memory are
 * jpg.h's check (jpg_check_limits; jpg_decode enforces them too). */
bool image_probe(const void *data, size_t len, struct image_info *out, char **why);
/* Walks a JPEG's markers by their lengths and its entropy-coded data to
 * the next marker that is not a stuffed 0xFF00 or a restart: returns the
 * scans (SOS markers) met, stopping once past max_scans; *eoi says whether
 * it reached the EOI marker (the file is complete).  jpg.c counts scans
 * with it, image_probe checks completeness. */
int image_jpeg_walk(const void *data, size_t len, int max_scans, bool *eoi);

/* The same without the completeness check: the header alone (a file
 * still being read, a test of headers). */
bool image_header(const void *data, size_t len, struct image_info *out, char **why);
