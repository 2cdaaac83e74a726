/* tickerprobe.c — how smoothly the ticker moves, seen from outside: polls one
 * pixel row through the ticker's text on the X root window every 1 ms and
 * records each time it changes (a frame that reached the X server).
 *
 *   tickerprobe SECONDS Y [X W]
 *
 * Prints one line of key=value figures: updates per second, the median and
 * longest gap between updates (a stall), how many gaps exceeded 20 ms, and
 * samples per second (the probe's own resolution; far below 1000 means the
 * probe was starved and the gaps are upper bounds).  A ticker that never
 * moves prints updates_per_s=0 and max_gap_ms=SECONDS*1000.
 * Exit 2 on a usage error or when the display cannot be opened. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOLE_MS 5.0     /* the probe's own longest pause for a stall to count as seen */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: tickerprobe SECONDS Y [X W]\n");
        return 2;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "tickerprobe: cannot open display\n");
        return 2;
    }
    Window root = DefaultRootWindow(d);
    double dur = atof(argv[1]);
    int y = atoi(argv[2]);
    int x = argc == 5 ? atoi(argv[3]) : 0;
    int w = argc == 5 ? atoi(argv[4]) : DisplayWidth(d, DefaultScreen(d)) - x;
    if (dur <= 0 || w <= 0) {
        fprintf(stderr, "tickerprobe: bad arguments\n");
        return 2;
    }

    size_t cap = 4096, n = 0;
    double *at = malloc(cap * sizeof *at);    /* times of the updates */
    char *prev = NULL;
    size_t plen = 0;
    long samples = 0;
    size_t scap = 16384, ns = 0;
    double *st = malloc(scap * sizeof *st);   /* times of the samples */
    double t0 = now(), t;
    at[n++] = t0;
    while ((t = now()) - t0 < dur) {
        if (ns == scap)
            st = realloc(st, (scap *= 2) * sizeof *st);
        st[ns++] = t;
        XImage *im = XGetImage(d, root, x, y, (unsigned)w, 1, AllPlanes, ZPixmap);
        if (im) {
            size_t len = (size_t)im->bytes_per_line;
            if (!prev) {
                prev = malloc(len);
                memcpy(prev, im->data, len);
                plen = len;
            } else if (len == plen && memcmp(prev, im->data, len)) {
                memcpy(prev, im->data, len);
                if (n == cap)
                    at = realloc(at, (cap *= 2) * sizeof *at);
                at[n++] = t;
            }
            XDestroyImage(im);
        }
        samples++;
        usleep(1000);
    }
    at[n++] = t;    /* the window's end closes the last gap: a frozen ticker is one long stall */

    /* A stall only counts as seen when the probe itself kept sampling
     * through it (no hole over HOLE_MS between its own samples): on a busy
     * machine the probe is descheduled too, and then a long gap between
     * updates may be the probe's, not the program's. */
    size_t ng = n - 1, over = 0, seen = 0, k = 0;
    double *gap = malloc(ng * sizeof *gap), maxg = 0, maxseen = 0, maxhole = 0;
    for (size_t i = 1; i < ns; i++)
        if ((st[i] - st[i - 1]) * 1000 > maxhole)
            maxhole = (st[i] - st[i - 1]) * 1000;
    for (size_t i = 0; i < ng; i++) {
        gap[i] = (at[i + 1] - at[i]) * 1000;
        double hole = 0;
        while (k < ns && st[k] <= at[i])
            k++;
        for (size_t j = k; j < ns && st[j] <= at[i + 1]; j++)
            if ((st[j] - (j ? st[j - 1] : t0)) * 1000 > hole)
                hole = (st[j] - (j ? st[j - 1] : t0)) * 1000;
        over += gap[i] > 20;
        if (gap[i] > maxg)
            maxg = gap[i];
        if (hole <= HOLE_MS) {
            seen += gap[i] > 20;
            if (gap[i] > maxseen)
                maxseen = gap[i];
        }
    }
    qsort(gap, ng, sizeof *gap, cmp_double);
    double elapsed = t - t0;
    printf("updates_per_s=%.1f median_gap_ms=%.1f p99_gap_ms=%.1f max_gap_ms=%.1f "
           "gaps_over_20ms=%zu samples_per_s=%.0f max_sample_hole_ms=%.1f "
           "max_gap_sampled_ms=%.1f gaps_over_20ms_sampled=%zu\n",
           (double)(n - 2) / elapsed, gap[ng / 2], gap[(size_t)(ng * 0.99)], maxg, over,
           samples / elapsed, maxhole, maxseen, seen);
    free(st);
    free(gap);
    free(at);
    free(prev);
    XCloseDisplay(d);
    return 0;
}
