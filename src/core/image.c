/* image.c — an image file judged from its bytes (image.h): magic bytes,
 * the header's size and EXIF orientation, completeness, the caps.  Every
 * read is bounds-checked; nothing here decodes pixels. */
#include "core/image.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/png.h"
#include "core/util.h"

#define MSG_NOT_IMAGE "不是 JPEG 或 PNG 图片"
#define MSG_CORRUPT "图片文件已损坏或不完整"

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* EXIF orientation (1..8) from an APP1 segment body, 1 when absent or
 * unreadable.  Phones store portrait photos sideways plus this tag; a
 * lobby screen must show them upright.  Every read is bounds-checked. */
static int exif_orientation(const uint8_t *p, size_t n)
{
    if (n < 14 || memcmp(p, "Exif\0\0", 6) != 0)
        return 1;
    const uint8_t *t = p + 6;
    size_t tn = n - 6;
    bool le;
    if (memcmp(t, "II*\0", 4) == 0)
        le = true;
    else if (memcmp(t, "MM\0*", 4) == 0)
        le = false;
    else
        return 1;
#define RD16(q) (le ? (unsigned)((q)[0] | (q)[1] << 8) : be16(q))
#define RD32(q) (le ? (uint32_t)((q)[0] | (q)[1] << 8 | (q)[2] << 16 | (uint32_t)(q)[3] << 24) : be32(q))
    uint32_t ifd = RD32(t + 4);
    if (ifd > tn || tn - ifd < 2)
        return 1;
    unsigned count = RD16(t + ifd);
    for (unsigned i = 0; i < count; i++) {
        size_t off = ifd + 2 + (size_t)i * 12;
        if (off + 12 > tn)
            return 1;
        if (RD16(t + off) == 0x0112) {      /* Orientation, SHORT */
            unsigned v = RD16(t + off + 8);
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
#undef RD16
#undef RD32
}

/* Walks the JPEG markers up to the first SOFn; fills the size and EXIF
 * orientation.  false when the structure ends before a frame header. */
static bool jpeg_header(const uint8_t *d, size_t len, int *w, int *h, int *orient)
{
    size_t i = 2;
    *orient = 1;
    while (i + 4 <= len) {
        if (d[i] != 0xFF)
            return false;
        uint8_t m = d[i + 1];
        if (m == 0xFF) {            /* fill byte */
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {   /* no length */
            i += 2;
            continue;
        }
        if (m == 0xD8 || m == 0xD9 || m == 0xDA)       /* SOI, EOI, SOS before a frame */
            return false;
        unsigned seg = be16(d + i + 2);
        if (seg < 2 || i + 2 + seg > len)
            return false;
        const uint8_t *body = d + i + 4;
        size_t blen = seg - 2;
        /* SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC). */
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (blen < 5)
                return false;
            *h = (int)be16(body + 1);
            *w = (int)be16(body + 3);
            return true;
        }
        if (m == 0xE1 && *orient == 1)
            *orient = exif_orientation(body, blen);
        i += 2 + seg;
    }
    return false;
}

int image_jpeg_walk(const void *data, size_t len, int max_scans, bool *eoi)
{
    const uint8_t *d = data;
    int scans = 0;
    size_t i = 2;
    *eoi = false;
    while (i + 2 <= len && scans <= max_scans) {
        if (d[i] != 0xFF)
            return scans;
        uint8_t m = d[i + 1];
        if (m == 0xFF) {            /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD9) {
            *eoi = true;
            return scans;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {   /* no length */
            i += 2;
            continue;
        }
        if (i + 4 > len)
            return scans;
        unsigned seg = be16(d + i + 2);
        if (seg < 2 || i + 2 + seg > len)
            return scans;
        i += 2 + seg;
        if (m != 0xDA)
            continue;
        scans++;
        /* Entropy-coded data: runs until a marker that is neither a
         * stuffed 0xFF00 nor a restart marker. */
        for (;;) {
            const uint8_t *ff = memchr(d + i, 0xFF, len - i);
            if (!ff || (size_t)(ff - d) + 1 >= len)
                return scans;
            i = (size_t)(ff - d);
            uint8_t n = d[i + 1];
            if (n == 0x00 || (n >= 0xD0 && n <= 0xD7) || n == 0xFF) {
                i += n == 0xFF ? 1 : 2;
                continue;
            }
            break;
        }
    }
    return scans;
}

/* true when the JPEG runs all the way to its EOI marker.  libjpeg pads a
 * truncated file with grey and calls it a warning; a poster with its
 * bottom half missing must be refused instead. */
static bool jpeg_complete(const uint8_t *d, size_t len)
{
    bool eoi;
    image_jpeg_walk(d, len, INT_MAX, &eoi);
    return eoi;
}

enum image_type image_sniff(const void *data, size_t len)
{
    const uint8_t *d = data;
    if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return IMAGE_PNG;
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return IMAGE_JPEG;
    return IMAGE_NONE;
}

const char *image_mime(enum image_type t)
{
    return t == IMAGE_PNG ? "image/png" : t == IMAGE_JPEG ? "image/jpeg"
                                                          : "application/octet-stream";
}

const char *image_ext(enum image_type t)
{
    return t == IMAGE_PNG ? ".png" : ".jpg";
}

/* Refuses with msg for staff (why, optional) and problem for the log. */
static bool refuse(struct image_info *out, const char *problem, char **why, char *msg)
{
    out->problem = problem;
    if (why)
        *why = msg;
    else
        free(msg);
    return false;
}

bool image_header(const void *data, size_t len, struct image_info *out, char **why)
{
    const uint8_t *d = data;
    *out = (struct image_info){ .type = image_sniff(data, len), .orient = 1 };
    if (why)
        *why = NULL;
    uint32_t w = 0, h = 0;
    if (out->type == IMAGE_PNG) {
        /* IHDR must be the first chunk: length 13, then width, height. */
        if (!png_size(d, len, &w, &h))
            return refuse(out, "PNG without a valid IHDR", why, xstrdup(MSG_CORRUPT));
    } else if (out->type == IMAGE_JPEG) {
        int jw, jh;
        if (!jpeg_header(d, len, &jw, &jh, &out->orient))
            return refuse(out, "JPEG without a frame header", why, xstrdup(MSG_CORRUPT));
        w = (uint32_t)jw;
        h = (uint32_t)jh;
    } else {
        return refuse(out, "neither JPEG nor PNG magic bytes", why, xstrdup(MSG_NOT_IMAGE));
    }
    if (w == 0 || h == 0)
        return refuse(out, "no pixels in the header", why, xstrdup(MSG_CORRUPT));
    if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE)
        return refuse(out, "a side over IMAGE_MAX_SIDE", why,
                      xasprintf("图片尺寸 %u×%u 过大（最大 %d×%d）", w, h, IMAGE_MAX_SIDE,
                                IMAGE_MAX_SIDE));
    out->w = (int)w;
    out->h = (int)h;
    /* A PNG decodes whole, whatever size is shown: its pixels are capped
     * (png.h).  A JPEG's memory follows the decode scale (jpg.h). */
    if (out->type == IMAGE_PNG && (uint64_t)w * h > PNG_MAX_PIXELS)
        return refuse(out, "PNG over PNG_MAX_PIXELS", why,
                      xasprintf("PNG 图片 %u×%u 像素太大，最多 %u 万像素，请缩小或另存为 JPEG 后再放入",
                                w, h, PNG_MAX_PIXELS / 10000));
    return true;
}

bool image_probe(const void *data, size_t len, struct image_info *out, char **why)
{
    if (!image_header(data, len, out, why))
        return false;
    if (out->type == IMAGE_PNG && !png_complete(data, len))
        return refuse(out, "PNG chunk past the end of the file or no IEND (truncated)", why,
                      xstrdup(MSG_CORRUPT));
    if (out->type == IMAGE_JPEG && !jpeg_complete(data, len))
        return refuse(out, "JPEG ends before its EOI marker (truncated)", why,
                      xstrdup(MSG_CORRUPT));
    return true;
}
