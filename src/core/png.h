/* png.h — the check a PNG passes before libpng sees it, in both programs. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true when every chunk after the signature lies inside the data and the
 * last is IEND.  SDL2_image's PNG reader ignores short reads, so libpng
 * handed a chunk length past the end CRCs gigabytes of stale buffer and
 * then re-reads the same chunk header forever: a 447-byte file hung the
 * importer (found by tests/fuzz/fuzz-media).  Walking the lengths first
 * makes every read land inside the data.  The signature is not checked. */
bool png_complete(const void *data, size_t len);

/* The width and height in the IHDR chunk, which must come first (length
 * 13); false when it does not.  Read before anything is decoded, so a size
 * over a cap is refused before pixels are allocated. */
bool png_size(const void *data, size_t len, uint32_t *w, uint32_t *h);

/* The most pixels a PNG may have.  Both programs decode a PNG whole (the
 * sync tool with SDL2_image into a surface at the PNG's own depth, 1 to 4
 * bytes a pixel, then a converted ARGB8888 copy of 4 more): up to 8 bytes
 * a pixel at once, so an 8192x8192 RGBA PNG took 536 MB.  24 megapixels
 * (6000x4000; an A3 poster at 300 dpi is 17.4) is 192 MB at most. */
#define PNG_MAX_PIXELS 24000000u

/* true when the PNG's IHDR size is within PNG_MAX_PIXELS, or when there is
 * no readable IHDR (the decoder refuses that); false with a sentence for
 * staff in *why (malloc'd, optional) and the size in the log. */
bool png_check_limits(const void *data, size_t len, char **why);
