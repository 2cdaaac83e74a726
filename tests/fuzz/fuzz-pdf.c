/* fuzz-pdf.c — any bytes as a PDF on the stick: pdf_render into a small box
 * under tight bounds.  Either pages inside the box whose PNG passes our own
 * image check again, or a refusal with a reason; never a crash, a hang past
 * the bounds, a leak, or a renderer left behind.  poppler runs in the
 * forked child, so its coverage is not seen: the fuzzer mutates blind
 * there, and what it checks is our parent side and the bounds. */
#include <errno.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "core/log.h"
#include "fuzz.h"
#include "sync/media.h"
#include "sync/pdf.h"

#define BOX_W 96
#define BOX_H 72

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) {
        log_init("fuzz-pdf", LOG_LEVEL_ERROR + 1);
        quiet = true;
    }
    /* Tight, so a hostile input costs seconds, inside libFuzzer's 20 s
     * per input even when it stalls at every step. */
    struct pdf_limits lim = pdf_default_limits();
    lim.open_cpu_s = 2;
    lim.page_cpu_s = 1;
    lim.total_cpu_s = 3;
    lim.wall_factor = 1.5;
    lim.mem_mb = 512;
    struct pdf_pages out;
    char *why = NULL;
    if (pdf_render(data, size, BOX_W, BOX_H, &lim, &out, &why)) {
        FUZZ_CHECK(why == NULL);
        FUZZ_CHECK(out.count >= 1 && out.count <= PDF_MAX_PAGES);
        for (int i = 0; i < out.count; i++) {
            const struct media_out *m = &out.page[i];
            FUZZ_CHECK(m->data != NULL && m->len > 0 && strlen(m->sha256) == 64);
            FUZZ_CHECK(m->width >= 1 && m->width <= BOX_W && m->height >= 1 && m->height <= BOX_H);
            /* One side fills the box (the page is fitted, not cropped). */
            FUZZ_CHECK(m->width == BOX_W || m->height == BOX_H);
            enum media_type t;
            int w, h;
            char *why2 = NULL;
            FUZZ_CHECK(media_probe(m->data, m->len, &t, &w, &h, &why2));
            FUZZ_CHECK(t == MEDIA_PNG && w == m->width && h == m->height);
        }
        FUZZ_CHECK(out.note == NULL || out.note[0] != '\0');
        pdf_pages_free(&out);
    } else {
        FUZZ_CHECK(why != NULL && why[0] != '\0');
        FUZZ_CHECK(out.count == 0 && out.page == NULL && out.note == NULL);
        free(why);
    }
    /* The renderer was reaped, whatever happened to it. */
    errno = 0;
    FUZZ_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
    return 0;
}
