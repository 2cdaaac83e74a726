/* png.c — see png.h. */
#include "core/png.h"

#include <stdint.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool png_size(const void *data, size_t len, uint32_t *w, uint32_t *h)
{
    const uint8_t *d = data;
    if (len < 8 + 8 + 13 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
        return false;
    *w = be32(d + 16);
    *h = be32(d + 20);
    return true;
}

bool png_complete(const void *data, size_t len)
{
    const uint8_t *d = data;
    size_t i = 8;
    while (i + 12 <= len) {
        uint32_t n = be32(d + i);
        /* Length, type, data, CRC; the spec caps lengths at 2^31 - 1. */
        if (n > 0x7fffffffu || n > len - i - 12)
            return false;
        if (memcmp(d + i + 4, "IEND", 4) == 0)
            return true;
        i += 12 + (size_t)n;
    }
    return false;
}

bool png_check_limits(const void *data, size_t len, char **why)
{
    uint32_t w, h;
    if (why)
        *why = NULL;
    if (!png_size(data, len, &w, &h) || (uint64_t)w * h <= PNG_MAX_PIXELS)
        return true;
    log_warn("png: %ux%u is over %u pixels", w, h, PNG_MAX_PIXELS);
    if (why)
        *why = xasprintf("PNG 图片 %u×%u 像素太大，最多 %u 万像素，请缩小或另存为 JPEG 后再放入", w, h,
                         PNG_MAX_PIXELS / 10000);
    return false;
}
