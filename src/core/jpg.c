/* jpg.c — JPEG decoding at a reduced DCT scale (see jpg.h).  Moved here
 * from the sync tool's media.c when the player began to decode at draw
 * time, so both pick the scale and handle CMYK the same way. */
#include "core/jpg.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

/* libjpeg rounds a scaled side up (jdiv_round_up), hence the ceiling. */
int jpg_scale_denom(int w, int h, int tw, int th)
{
    int denom = 1;
    for (int d = 2; d <= 8; d *= 2)
        if ((w + d - 1) / d >= tw && (h + d - 1) / d >= th)
            denom = d;
    return denom;
}

struct jpg_err {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
    char msg[JMSG_LENGTH_MAX];
};

static void jpg_fail(j_common_ptr c)
{
    struct jpg_err *e = (struct jpg_err *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jmp, 1);
}

/* libjpeg warns on recoverable damage (it pads the rest grey); the sync
 * tool has already refused files that end early, so warnings stay quiet,
 * as they did under SDL2_image. */
static void jpg_quiet(j_common_ptr c)
{
}

bool jpg_decode(const void *data, size_t len, int tw, int th, jpg_target_fn *target,
                void *ctx, char *err, size_t errlen)
{
    struct jpeg_decompress_struct ci;
    struct jpg_err e;
    /* Zeroed, so that jpeg_destroy_decompress after an error inside
     * jpeg_create_decompress (a library of another ABI) frees nothing. */
    memset(&ci, 0, sizeof ci);
    ci.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = jpg_fail;
    e.mgr.output_message = jpg_quiet;
    snprintf(e.msg, sizeof e.msg, "refused");
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&ci);
        snprintf(err, errlen, "%s", e.msg);
        return false;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    bool cmyk = ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK;
    bool inverted = cmyk && ci.saw_Adobe_marker;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_BGRA;
#else
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_ARGB;
#endif
    struct jpg_shape shape = { .w = (int)ci.image_width, .h = (int)ci.image_height, .denom = 1 };
    if (tw > 0 && th > 0)
        shape.denom = jpg_scale_denom(shape.w, shape.h, tw, th);
    ci.scale_num = 1;
    ci.scale_denom = (unsigned)shape.denom;
    jpeg_start_decompress(&ci);
    shape.out_w = (int)ci.output_width;
    shape.out_h = (int)ci.output_height;
    size_t pitch = 0;
    uint8_t *pixels = target(ctx, &shape, &pitch);
    if (!pixels)
        longjmp(e.jmp, 1);
    while (ci.output_scanline < ci.output_height) {
        uint8_t *row = pixels + (size_t)ci.output_scanline * pitch;
        JSAMPROW rows[1] = {row};
        if (jpeg_read_scanlines(&ci, rows, 1) != 1)
            longjmp(e.jmp, 1);      /* cannot happen with a memory source */
        if (cmyk) {
            /* In place, left to right: four bytes in, one pixel out. */
            uint32_t *px = (uint32_t *)row;
            for (unsigned x = 0; x < ci.output_width; x++) {
                unsigned c = row[4 * x], m = row[4 * x + 1], y = row[4 * x + 2],
                         k = row[4 * x + 3];
                if (!inverted) {
                    c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
                }
                px[x] = 0xFF000000u | (c * k + 127) / 255 << 16 | (m * k + 127) / 255 << 8 |
                        (y * k + 127) / 255;
            }
        }
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    return true;
}
