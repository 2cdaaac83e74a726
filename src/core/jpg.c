/* jpg.c — JPEG decoding at a reduced DCT scale (see jpg.h).  Moved here
 * from the sync tool's media.c when the player began to decode at draw
 * time, so both pick the scale and handle CMYK the same way. */
#include "core/jpg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "core/image.h"
#include "core/log.h"
#include "core/util.h"

/* libjpeg's own ceiling on what it allocates for a decode: the coefficient
 * cap plus room for its tables and row buffers.  Past it libjpeg would need
 * a backing store, which this build lacks: the decode fails. */
#define JPG_MAX_MEMORY (JPG_MAX_COEF_BYTES + (32u << 20))

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

/* Readies a decompressor whose errors longjmp to e->jmp (set by the caller
 * before jpeg_create_decompress).  Zeroed, so that jpeg_destroy_decompress
 * after an error inside jpeg_create_decompress (a library of another ABI)
 * frees nothing. */
static void jpg_prepare(struct jpeg_decompress_struct *ci, struct jpg_err *e)
{
    memset(ci, 0, sizeof *ci);
    ci->err = jpeg_std_error(&e->mgr);
    e->mgr.error_exit = jpg_fail;
    e->mgr.output_message = jpg_quiet;
    snprintf(e->msg, sizeof e->msg, "refused");
}

/* Called by libjpeg as it reads: stops at the first scan past the cap
 * (as libjpeg-turbo's own fuzzers and djpeg -maxscans do). */
static void jpg_progress(j_common_ptr c)
{
    struct jpeg_decompress_struct *ci = (struct jpeg_decompress_struct *)c;
    if (ci->input_scan_number > JPG_MAX_SCANS) {
        struct jpg_err *e = (struct jpg_err *)c->err;
        snprintf(e->msg, sizeof e->msg, "more than %d scans", JPG_MAX_SCANS);
        longjmp(e->jmp, 1);
    }
}

/* Bytes of DCT coefficients libjpeg keeps for the whole image when it
 * decodes in several scans (jdcoefct.c: each component's blocks rounded up
 * to its sampling factors, a JBLOCK of 64 JCOEF each); 0 for a JPEG decoded
 * in one interleaved scan, which keeps one MCU row.  After
 * jpeg_read_header, which has read the frame and the first scan header. */
static uint64_t coef_bytes(const struct jpeg_decompress_struct *ci)
{
    if (!ci->progressive_mode && ci->comps_in_scan >= ci->num_components)
        return 0;
    uint64_t total = 0;
    for (int i = 0; i < ci->num_components; i++) {
        const jpeg_component_info *c = &ci->comp_info[i];
        uint64_t h = (uint64_t)c->h_samp_factor, v = (uint64_t)c->v_samp_factor;
        uint64_t w = (c->width_in_blocks + h - 1) / h * h, r = (c->height_in_blocks + v - 1) / v * v;
        total += w * r * sizeof(JBLOCK);
    }
    return total;
}

/* The scans of a JPEG (image.h's walk), counted past max at most. */
static int count_scans(const uint8_t *d, size_t len, int max)
{
    bool eoi;
    return image_jpeg_walk(d, len, max, &eoi);
}

bool jpg_check_limits(const void *data, size_t len, char **why)
{
    if (why)
        *why = NULL;
    int scans = count_scans(data, len, JPG_MAX_SCANS);
    if (scans > JPG_MAX_SCANS) {
        log_warn("jpeg: more than %d scans refused", JPG_MAX_SCANS);
        if (why)
            *why = xasprintf("图片内部分段超过%d个，结构异常，请用画图软件打开后另存为 JPEG 再放入",
                             JPG_MAX_SCANS);
        return false;
    }
    struct jpeg_decompress_struct ci;
    struct jpg_err e;
    jpg_prepare(&ci, &e);
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&ci);
        return true;        /* not judged: the decode says why */
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    uint64_t need = coef_bytes(&ci);
    unsigned w = ci.image_width, h = ci.image_height;
    bool prog = ci.progressive_mode;
    jpeg_destroy_decompress(&ci);
    if (need <= JPG_MAX_COEF_BYTES)
        return true;
    log_warn("jpeg: %ux%u %s JPEG needs %llu MB of coefficients (cap %u MB)", w, h,
             prog ? "progressive" : "multi-scan", (unsigned long long)(need >> 20),
             JPG_MAX_COEF_BYTES >> 20);
    if (why)
        *why = xasprintf("“渐进式”JPEG 的 %u×%u 像素太大，需要约 %llu MB 内存，最多 %u MB，"
                         "请用画图软件打开后另存为普通 JPEG 或缩小后再放入",
                         w, h, (unsigned long long)((need + (1u << 20) - 1) >> 20),
                         JPG_MAX_COEF_BYTES >> 20);
    return false;
}

bool jpg_decode(const void *data, size_t len, int tw, int th, jpg_target_fn *target,
                void *ctx, char *err, size_t errlen)
{
    struct jpeg_decompress_struct ci;
    struct jpg_err e;
    jpg_prepare(&ci, &e);
    struct jpeg_progress_mgr progress = { .progress_monitor = jpg_progress };
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&ci);
        snprintf(err, errlen, "%s", e.msg);
        return false;
    }
    jpeg_create_decompress(&ci);
    ci.progress = &progress;
    ci.mem->max_memory_to_use = JPG_MAX_MEMORY;
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    uint64_t need = coef_bytes(&ci);
    if (need > JPG_MAX_COEF_BYTES) {
        snprintf(e.msg, sizeof e.msg, "%ux%u in several scans needs %llu MB of coefficients (cap %u MB)",
                 ci.image_width, ci.image_height, (unsigned long long)(need >> 20),
                 JPG_MAX_COEF_BYTES >> 20);
        longjmp(e.jmp, 1);
    }
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
