/* textwork.c — the work of forced line splitting with the player's fonts
 * (r-text.sh): a title of N unbreakable characters laid out in the 1080p
 * announcement box, timed and counted (bytes handed to the font's
 * measurer, which its cost follows).
 *
 *   textwork N...     one line per shape and N: "SHAPE N MS BYTES LINES"
 * Exit 1 when no font opens, 2 when a line is wider than the box (a huge
 * grapheme must be cut, issue 15 item 8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "core/util.h"
#include "player/font.h"

#define BOX_W 1748      /* slide_notice.c at 1920x1080, as tests/bench/layout-bench.c */
#define SIZE 36         /* the smallest body size: the most characters a line */

static const struct text_measurer *real;
static long bytes;

static int counting_width(void *ctx, const char *s, size_t len, int size)
{
    bytes += (long)len;
    return real->width(real->ctx, s, len, size);
}

static int counting_height(void *ctx, int size)
{
    return real->line_height(real->ctx, size);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    log_init("textwork", LOG_LEVEL_WARN);
    struct config cfg = {0};
    struct fonts *f = fonts_create(&cfg);
    if (!f)
        return 1;
    real = fonts_measurer(f, FONT_REGULAR);
    const struct text_measurer m = { NULL, counting_width, counting_height };
    static const struct { const char *name, *unit; } shapes[] = {
        {"latin", "a"},         /* one word: no break opportunity at all */
        {"marks", "。"},        /* closing marks: no line may start with one */
        {"cluster", "\xE2\x80\x8D中"},  /* ZWJ-joined: one grapheme of N characters */
    };
    int status = 0;
    for (size_t s = 0; s < ARRAY_LEN(shapes); s++)
        for (int i = 1; i < argc; i++) {
            long n = atol(argv[i]);
            struct sbuf b = {0};
            for (long k = 0; k < n; k++)
                sbuf_adds(&b, shapes[s].unit);
            /* Warm the glyph cache first: the figure is the breaking. */
            struct text_layout l;
            text_wrap(shapes[s].unit, BOX_W, SIZE, 1.0, &m, &l);
            text_layout_free(&l);
            bytes = 0;
            double t0 = now_ms();
            text_wrap(b.s, BOX_W, SIZE, 1.0, &m, &l);
            double t1 = now_ms();
            printf("%s %ld %.1f %ld %zu\n", shapes[s].name, n, t1 - t0, bytes, l.nlines);
            for (size_t k = 0; k < l.nlines; k++)
                if (l.lines[k].width > BOX_W) {
                    fprintf(stderr, "%s %ld: line %zu is %d px wide, over the box's %d\n",
                            shapes[s].name, n, k, l.lines[k].width, BOX_W);
                    status = 2;
                    break;
                }
            fflush(stdout);
            text_layout_free(&l);
            sbuf_free(&b);
        }
    fonts_destroy(f);
    return status;
}
