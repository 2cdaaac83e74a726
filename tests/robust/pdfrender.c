/* pdfrender.c — drives sync/pdf.c on one file for tests/robust/r-pdf.sh and
 * by hand: pdfrender FILE WxH [OUTDIR] [open,page,total,mem_mb].  Prints
 * one line — "ok PAGES" or "refused: WHY" — then "time: S s", "pages/s: R",
 * the renderer's peak RSS ("child maxrss: KiB", from getrusage of the
 * reaped children) and the CPU seconds of renderer and parent; writes page-N.png into OUTDIR when given (not "").  Exit 0
 * rendered, 1 refused, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "sync/pdf.h"

int main(int argc, char **argv)
{
    int w, h;
    if (argc < 3 || sscanf(argv[2], "%dx%d", &w, &h) != 2) {
        fprintf(stderr, "usage: pdfrender FILE WxH [OUTDIR] [open,page,total,mem_mb]\n");
        return 2;
    }
    log_init("pdfrender", getenv("PDF_LOG") ? LOG_LEVEL_DEBUG : LOG_LEVEL_ERROR + 1);
    struct pdf_limits lim = pdf_default_limits();
    if (argc > 4 && sscanf(argv[4], "%lf,%lf,%lf,%u", &lim.open_cpu_s, &lim.page_cpu_s,
                           &lim.total_cpu_s, &lim.mem_mb) != 4) {
        fprintf(stderr, "bad limits: %s\n", argv[4]);
        return 2;
    }
    size_t len;
    /* Twice the cap: a file over it must reach pdf_render to be refused. */
    char *data = read_file(argv[1], 2 * (size_t)PDF_MAX_BYTES, &len);
    if (!data) {
        perror(argv[1]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct pdf_pages pages;
    char *why = NULL;
    bool ok = pdf_render(data, len, w, h, &lim, &pages, &why);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (ok) {
        printf("ok %d\n", pages.count);
        for (int i = 0; i < pages.count; i++) {
            printf("page %d: %dx%d %s %zu bytes\n", i + 1, pages.page[i].width,
                   pages.page[i].height, pages.page[i].mime, pages.page[i].len);
            if (argc > 3 && argv[3][0]) {
                char *p = xasprintf("%s/page-%d.png", argv[3], i + 1);
                if (!write_file_atomic(p, pages.page[i].data, pages.page[i].len))
                    perror(p);
                free(p);
            }
        }
    } else {
        printf("refused: %s\n", why);
    }
    printf("time: %.3f s\n", secs);
    if (ok)
        printf("pages/s: %.2f\n", pages.count / secs);
    /* CPU seconds as well as wall time: a shared box's load moves the
     * latter by several times. */
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    double child = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                   (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("child maxrss: %ld KiB\n", ru.ru_maxrss);
    getrusage(RUSAGE_SELF, &ru);
    double self = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("self maxrss: %ld KiB\n", ru.ru_maxrss);
    printf("cpu: %.3f s renderer, %.3f s parent (reading, encoding)\n", child, self);
    free(why);
    pdf_pages_free(&pages);
    free(data);
    return ok ? 0 : 1;
}
