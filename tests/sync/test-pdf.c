/* test-pdf.c — PDF notices to poster images (sync/pdf.c): page sizes in the
 * box, Chinese text in embedded and substituted fonts drawn, blank pages
 * left out, and every refusal with its message for staff — not a PDF, cut
 * short, too large, too many pages, a password, too complex (the CPU bound
 * stops a tiny file that would draw a billion shapes).  Fixtures in
 * tests/fixtures/pdf (make-fixtures.py); small PDFs are written here.
 * That the Chinese is the right Chinese is checked by OCR in
 * tests/robust/r-pdf.sh (seconds a page: too slow for here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "sync/pdf.h"

#define FIX "tests/fixtures/pdf"
#define SAVE_AGAIN "请用 WPS 或 Word 打开原文件，重新“另存为”PDF 后再放到U盘上"

static char *load(const char *name, size_t *len)
{
    char *p = xasprintf(FIX "/%s", name);
    char *d = read_file(p, 1 << 20, len);
    assert_non_null(d);
    free(p);
    return d;
}

/* A PDF with one page per content string (NULL: an empty page), each
 * A4; `extra` objects (numbered from 3 + 2 × pages) are appended as they
 * are, and the pages' resources are `res`. */
static char *mkpdf(size_t *len, int pages, const char *const *contents, const char *res,
                   const char *const *extra, int nextra)
{
    struct sbuf b = {0};
    size_t *off = xcalloc((size_t)(3 + 2 * pages + nextra), sizeof *off);
    int obj = 0;
    sbuf_adds(&b, "%PDF-1.4\n");
#define OBJ(...) (off[++obj] = b.len, sbuf_addf(&b, "%d 0 obj\n", obj), sbuf_addf(&b, __VA_ARGS__), \
                  sbuf_adds(&b, "\nendobj\n"))
    OBJ("<< /Type /Catalog /Pages 2 0 R >>");
    struct sbuf kids = {0};
    for (int i = 0; i < pages; i++)
        sbuf_addf(&kids, "%d 0 R ", 3 + 2 * i);
    OBJ("<< /Type /Pages /Kids [%s] /Count %d >>", kids.s ? kids.s : "", pages);
    sbuf_free(&kids);
    for (int i = 0; i < pages; i++) {
        const char *c = contents && contents[i] ? contents[i] : "";
        OBJ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            "/Resources << %s >> >>", 4 + 2 * i, res ? res : "");
        OBJ("<< /Length %zu >>\nstream\n%s\nendstream", strlen(c), c);
    }
    for (int i = 0; i < nextra; i++)
        OBJ("%s", extra[i]);
#undef OBJ
    size_t xref = b.len;
    sbuf_addf(&b, "xref\n0 %d\n0000000000 65535 f \n", obj + 1);
    for (int i = 1; i <= obj; i++)
        sbuf_addf(&b, "%010zu 00000 n \n", off[i]);
    sbuf_addf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", obj + 1, xref);
    free(off);
    *len = b.len;
    return sbuf_take(&b);
}

#define BOX "0 0 1 rg 100 100 395 642 re f"

static SDL_Surface *decode(const struct media_out *m)
{
    assert_string_equal(m->mime, "image/png");
    SDL_RWops *rw = SDL_RWFromConstMem(m->data, (int)m->len);
    SDL_Surface *s = IMG_LoadPNG_RW(rw);
    SDL_RWclose(rw);
    assert_non_null(s);
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    assert_non_null(c);
    assert_int_equal(c->w, m->width);
    assert_int_equal(c->h, m->height);
    return c;
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->pitch))[x] & 0xFFFFFF;
}

/* Pixels in rows y0..y1 that are dark (ink) or red (a 红头 or a seal). */
static void ink(const SDL_Surface *s, int y0, int y1, int *dark, int *red)
{
    *dark = *red = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < s->w; x++) {
            uint32_t p = pixel(s, x, y);
            int r = (int)(p >> 16), g = (int)(p >> 8 & 0xFF), b = (int)(p & 0xFF);
            *dark += r < 80 && g < 80 && b < 80;
            *red += r > 160 && g < 80 && b < 80;
        }
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Every call reaps its child: none is left, not even a zombie. */
static void no_children(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

/* Renders and expects a refusal with exactly `want`. */
static void refused(const void *d, size_t len, const char *want)
{
    struct pdf_pages out;
    char *why = NULL;
    assert_false(pdf_render(d, len, 1920, 1080, NULL, &out, &why));
    assert_non_null(why);
    assert_string_equal(why, want);
    assert_int_equal(out.count, 0);
    assert_null(out.page);
    assert_null(out.note);
    free(why);
    no_children();
}

/* pdf-1.1: the 3-page notice (embedded CFF subsets) at 1920x1080: three
 * A4 pages 764x1080, PNG, hashed; white margins, the red 红头 at the top
 * of page 1, text on every page, the red seal on page 3. */
static void pdf_1_1(void **state)
{
    size_t len;
    char *d = load("notice-3p.pdf", &len);
    int fds = open_fds();
    struct pdf_pages out;
    char *why = NULL;
    assert_true(pdf_render(d, len, 1920, 1080, NULL, &out, &why));
    assert_null(why);
    assert_null(out.note);
    assert_int_equal(out.count, 3);
    for (int i = 0; i < 3; i++) {
        struct media_out *m = &out.page[i];
        assert_int_equal(m->width, 764);      /* 595.276 / 841.89 × 1080 */
        assert_int_equal(m->height, 1080);
        unsigned char dg[crypto_hash_sha256_BYTES];
        char hex[65];
        crypto_hash_sha256(dg, m->data, m->len);
        sodium_bin2hex(hex, sizeof hex, dg, sizeof dg);
        assert_string_equal(hex, m->sha256);
        SDL_Surface *s = decode(m);
        assert_int_equal(pixel(s, 0, 0), 0xFFFFFF);
        assert_int_equal(pixel(s, s->w - 1, s->h - 1), 0xFFFFFF);
        int dark, red;
        ink(s, 0, s->h / 4, &dark, &red);
        if (i == 0)
            assert_true(red > 2000);          /* 和平街道社区居委会文件 in red */
        ink(s, 0, s->h, &dark, &red);
        assert_true(dark > (i < 2 ? 5000 : 1000));   /* page 3: three lines */
        if (i == 2)
            assert_true(red > 1000);          /* the seal */
        SDL_FreeSurface(s);
    }
    pdf_pages_free(&out);
    pdf_pages_free(&out);                     /* emptied: a no-op */
    pdf_pages_free(NULL);
    no_children();
    assert_int_equal(open_fds(), fds);
    free(d);
}

/* pdf-1.2: the page fits the box whatever the shapes: portrait in a
 * landscape box, landscape in both, a tiny box. */
static void pdf_1_2(void **state)
{
    static const struct { const char *file; int bw, bh, w, h; } cases[] = {
        {"notice-3p.pdf", 1080, 1920, 1080, 1527},
        {"landscape.pdf", 1920, 1080, 1527, 1080},
        {"landscape.pdf", 1080, 1920, 1080, 764},
        {"landscape.pdf", 3840, 2160, 3055, 2160},
        {"landscape.pdf", 16, 16, 16, 11},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t len;
        char *d = load(cases[i].file, &len);
        struct pdf_pages out;
        assert_true(pdf_render(d, len, cases[i].bw, cases[i].bh, NULL, &out, NULL));
        assert_true(out.count >= 1);
        assert_int_equal(out.page[0].width, cases[i].w);
        assert_int_equal(out.page[0].height, cases[i].h);
        pdf_pages_free(&out);
        free(d);
    }
}

/* pdf-1.3: Chinese in a font the file does not carry (Type0 STSong-Light,
 * UniGB-UCS2-H from poppler-data, substituted through fontconfig) is
 * drawn: ink on every line of text, none between them. */
static void pdf_1_3(void **state)
{
    size_t len;
    char *d = load("nonembedded.pdf", &len);
    struct pdf_pages out;
    assert_true(pdf_render(d, len, 1920, 1080, NULL, &out, NULL));
    assert_int_equal(out.count, 1);
    SDL_Surface *s = decode(&out.page[0]);
    double k = 1080.0 / 842;    /* px per point */
    /* Baselines at 720 (28 pt title), then 16 pt lines 44 pt apart. */
    int dark, red;
    ink(s, (int)((842 - 720 - 24) * k), (int)((842 - 720 + 4) * k), &dark, &red);
    assert_true(dark > 500);
    for (int i = 0; i < 5; i++) {
        double base = 720 - 68 - 44 * i;
        ink(s, (int)((842 - base - 14) * k), (int)((842 - base + 3) * k), &dark, &red);
        assert_true(dark > 300);
        ink(s, (int)((842 - base + 8) * k), (int)((842 - base + 24) * k), &dark, &red);
        assert_int_equal(dark, 0);
    }
    SDL_FreeSurface(s);
    pdf_pages_free(&out);
    free(d);
}

/* pdf-1.4: not a PDF, cut short, too large: refused before any child. */
static void pdf_1_4(void **state)
{
    refused("", 0, "不是 PDF 文件（可能只是改了扩展名）。" SAVE_AGAIN);
    refused("hello", 5, "不是 PDF 文件（可能只是改了扩展名）。" SAVE_AGAIN);
    static const char png[] = "\x89PNG\r\n\x1a\n rest";
    refused(png, sizeof png - 1, "不是 PDF 文件（可能只是改了扩展名）。" SAVE_AGAIN);
    size_t len;
    char *d = load("notice-3p.pdf", &len);
    refused(d, len * 6 / 10, "PDF 文件已损坏或不完整。" SAVE_AGAIN);
    free(d);
    /* Junk before the header is allowed (readers look at 1 KiB)... */
    char *junk = xasprintf("%-500s%s", "garbage", "%PDF-1.4");
    assert_true(pdf_is_pdf(junk, strlen(junk)));
    free(junk);
    junk = xasprintf("%-1100s%s", "garbage", "%PDF-1.4");
    assert_false(pdf_is_pdf(junk, strlen(junk)));
    free(junk);
    /* ...and the size is judged first. */
    size_t big = PDF_MAX_BYTES + 1;
    char *b = xcalloc(big, 1);
    memcpy(b, "%PDF-1.4\n", 9);
    memcpy(b + big - 6, "%%EOF\n", 6);
    refused(b, big, "PDF 文件过大（最大 32 MB）。请用 WPS 或 Word 重新“另存为”PDF，或把它分成几个文件");
    free(b);
}

/* pdf-1.5: a password to open: refused, saying to save without one; an
 * owner password alone (editing restricted, opens freely): shown. */
static void pdf_1_5(void **state)
{
    size_t len;
    char *d = load("locked.pdf", &len);
    refused(d, len, "PDF 设置了密码，无法打开。请用 WPS 或 Word 打开原文件，重新“另存为”PDF，"
                    "保存时不要设置密码");
    free(d);
    d = load("restricted.pdf", &len);
    struct pdf_pages out;
    assert_true(pdf_render(d, len, 800, 600, NULL, &out, NULL));
    assert_int_equal(out.count, 1);
    pdf_pages_free(&out);
    free(d);
}

/* pdf-1.6: 20 pages go through, 21 do not; blank pages are left out and
 * named; all blank is refused; a broken page tree is damaged. */
static void pdf_1_6(void **state)
{
    const char *boxes[21];
    for (int i = 0; i < 21; i++)
        boxes[i] = BOX;
    size_t len;
    char *d = mkpdf(&len, 20, boxes, NULL, NULL, 0);
    struct pdf_pages out;
    assert_true(pdf_render(d, len, 320, 240, NULL, &out, NULL));
    assert_int_equal(out.count, 20);
    pdf_pages_free(&out);
    free(d);
    d = mkpdf(&len, 21, boxes, NULL, NULL, 0);
    refused(d, len, "PDF 有 21 页，最多 20 页。请只保留要展示的页面，重新“另存为”PDF");
    free(d);

    const char *some[4] = {BOX, NULL, BOX, "1 1 1 rg 0 0 595 842 re f"};
    d = mkpdf(&len, 4, some, NULL, NULL, 0);
    char *why = NULL;
    assert_true(pdf_render(d, len, 320, 240, NULL, &out, &why));
    assert_null(why);
    assert_int_equal(out.count, 2);
    assert_string_equal(out.note, "第 2、4 页是空白页，没有放进来");
    pdf_pages_free(&out);
    assert_null(out.note);
    free(d);
    d = mkpdf(&len, 2, NULL, NULL, NULL, 0);
    refused(d, len, "PDF 的每一页都是空白的，没有可以显示的内容。" SAVE_AGAIN);
    free(d);

    /* /Count 3 over one kid: the missing pages are damage. */
    d = mkpdf(&len, 1, boxes, NULL, NULL, 0);
    char *c = strstr(d, "/Count 1");
    assert_non_null(c);
    c[7] = '3';
    refused(d, len, "PDF 文件已损坏或不完整。" SAVE_AGAIN);
    free(d);

    /* A page of 40 x 9999 points. */
    d = mkpdf(&len, 1, boxes, NULL, NULL, 0);
    c = strstr(d, "[0 0 595 842]");
    memcpy(c, "[0 0 40 9999]", 13);
    refused(d, len, "PDF 第 1 页的纸张大小不正常。请在 WPS 或 Word 里把纸张设为 A4 等常用大小，"
                    "重新“另存为”PDF");
    free(d);
}

/* pdf-1.7: a 2 KB page that draws a square a billion times (forms nested
 * nine deep, each drawing the next ten times) is stopped by the bound of
 * its page and named. */
static void pdf_1_7(void **state)
{
    /* Pages are objects 3..6; the forms 7..16, each drawing the next. */
    const char *extra[10];
    for (int i = 0; i < 9; i++)
        extra[i] = xasprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                             "/Resources << /XObject << /X %d 0 R >> >> /Length 59 >>\nstream\n"
                             "/X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do\n"
                             "endstream", 8 + i);
    extra[9] = xstrdup("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length 29 >>\n"
                       "stream\n" BOX "\nendstream");
    const char *content[2] = {BOX, "/X Do"};
    size_t len;
    char *d = mkpdf(&len, 2, content, "/XObject << /X 7 0 R >>", extra, 10);
    for (int i = 0; i < 10; i++)
        free((char *)extra[i]);
    struct pdf_limits lim = pdf_default_limits();
    lim.open_cpu_s = 2;
    lim.page_cpu_s = 1;
    lim.total_cpu_s = 4;
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    struct pdf_pages out;
    char *why = NULL;
    bool ok = pdf_render(d, len, 320, 240, &lim, &out, &why);
    getrusage(RUSAGE_CHILDREN, &after);
    free(d);
    assert_false(ok);
    assert_string_equal(why, "PDF 第 2 页太复杂，转换超出了时间或内存的上限。请用 WPS 或 Word "
                             "重新“另存为”PDF，或把这一页另存为图片放进 media 文件夹");
    free(why);
    /* Stopped by a bound, not by finishing: the renderer's CPU stays within
     * the file's hard limit (the page's own, rounded up to whole seconds,
     * fires first; on a loaded box the wall-clock bound may fire before
     * either).  CPU seconds, not wall time: the box's load moves the latter. */
    double cpu = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
                 (double)(after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
                 (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec +
                          after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
    assert_true(cpu <= lim.total_cpu_s + 0.1);
    no_children();
}

int main(void)
{
    log_init("test-pdf", LOG_LEVEL_ERROR + 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_1_1), cmocka_unit_test(pdf_1_2), cmocka_unit_test(pdf_1_3),
        cmocka_unit_test(pdf_1_4), cmocka_unit_test(pdf_1_5), cmocka_unit_test(pdf_1_6),
        cmocka_unit_test(pdf_1_7),
    };
    int r = cmocka_run_group_tests_name("pdf", tests, NULL, NULL);
    IMG_Quit();
    return r;
}
