/* png.h — the check a PNG passes before libpng sees it, in both programs. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* true when every chunk after the signature lies inside the data and the
 * last is IEND.  SDL2_image's PNG reader ignores short reads, so libpng
 * handed a chunk length past the end CRCs gigabytes of stale buffer and
 * then re-reads the same chunk header forever: a 447-byte file hung the
 * importer (found by tests/fuzz/fuzz-media).  Walking the lengths first
 * makes every read land inside the data.  The signature is not checked. */
bool png_complete(const void *data, size_t len);
