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
