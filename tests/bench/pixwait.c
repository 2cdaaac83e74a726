/* pixwait.c — watches bands of the X screen from outside the program under
 * test and prints when each is "drawn": its background colour is there and
 * enough pixels differ from it (text on it).  The bench uses it for launch →
 * first complete frame and, with --change, for "the new feed is on screen".
 *
 *   pixwait [--change] TIMEOUT_S NAME:X,Y,W,H:RRGGBB[:MIN[:ROWS]] ...
 *
 * Each band is sampled on ROWS (default 3) evenly spaced full-width rows:
 * whole rows, because the two programs under test do not put their text in
 * the same places, and few, because every byte we pull out of Xvfb is CPU
 * taken from the program being timed.  A band of body text needs more rows
 * (their spacing must not fall between its lines).  A band is drawn when
 * >= 40 % of its samples are within 12 of RRGGBB per channel and >= MIN
 * (default 12) differ from it by more than 60 in some channel.
 * --change: the bands are snapshotted at start; a band is done when any
 * sample differs from its snapshot by more than 60 (RRGGBB is ignored).
 * Output (stdout, CLOCK_REALTIME seconds, so shell $EPOCHREALTIME compares):
 *   start T / first T (the first probed pixel left its first value) /
 *   band NAME T (each band, the first time it is drawn) / complete T (every
 *   band drawn in the same poll: one whole frame), or timeout T (exit 1).
 * Exit 2 on a usage error or when the display cannot be opened. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_BANDS 8
#define MAX_ROWS 32
#define POLL_US 4000        /* 4 ms: finer than a 60 Hz frame, cheap for Xvfb */
#define NEAR 12             /* "is the background": anti-aliasing and dithering slack */
#define FAR 60              /* "is ink": clearly not the background */

struct band {
    char name[32];
    int x, y, w, h, min, rows;
    unsigned long bg;
    bool done;
    unsigned long *snap;    /* --change: rows * w first values */
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int chan_diff(unsigned long a, unsigned long b)
{
    int m = 0;
    for (int s = 0; s < 24; s += 8) {
        int d = abs((int)((a >> s) & 255) - (int)((b >> s) & 255));
        if (d > m)
            m = d;
    }
    return m;
}

static bool parse_band(const char *arg, struct band *b)
{
    char hex[7] = "000000";
    b->min = 12;
    b->rows = 3;
    int n = sscanf(arg, "%31[^:]:%d,%d,%d,%d:%6[0-9a-fA-F]:%d:%d", b->name, &b->x, &b->y, &b->w,
                   &b->h, hex, &b->min, &b->rows);
    b->bg = strtoul(hex, NULL, 16);
    return n >= 6 && b->w > 0 && b->rows > 0 && b->rows <= MAX_ROWS && b->h >= b->rows &&
           b->min > 0;
}

/* Reads row r of band b into out (w pixels); false if the X request failed
 * (the window may be changing size under us: treat as "not drawn yet"). */
static bool read_row(Display *d, Window root, const struct band *b, int r, unsigned long *out)
{
    int y = b->y + b->h * (r + 1) / (b->rows + 1);
    XImage *im = XGetImage(d, root, b->x, y, (unsigned)b->w, 1, AllPlanes, ZPixmap);
    if (!im)
        return false;
    for (int x = 0; x < b->w; x++)
        out[x] = XGetPixel(im, x, 0) & 0xffffff;
    XDestroyImage(im);
    return true;
}

int main(int argc, char **argv)
{
    bool change = argc > 1 && !strcmp(argv[1], "--change");
    int a = change ? 2 : 1;
    if (argc - a < 2) {
        fprintf(stderr, "usage: pixwait [--change] TIMEOUT_S NAME:X,Y,W,H:RRGGBB[:MIN[:ROWS]] ...\n");
        return 2;
    }
    double timeout = atof(argv[a++]);
    struct band bands[MAX_BANDS];
    int nb = 0, maxw = 0;
    for (; a < argc; a++) {
        if (nb == MAX_BANDS || !parse_band(argv[a], &bands[nb])) {
            fprintf(stderr, "pixwait: bad band '%s'\n", argv[a]);
            return 2;
        }
        bands[nb].done = false;
        bands[nb].snap = NULL;
        if (bands[nb].w > maxw)
            maxw = bands[nb].w;
        nb++;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "pixwait: cannot open display\n");
        return 2;
    }
    Window root = DefaultRootWindow(d);
    unsigned long *row = malloc(sizeof *row * (size_t)maxw);
    unsigned long first0 = 0;
    bool have_first = false, moved = false;

    if (change)
        for (int i = 0; i < nb; i++) {
            bands[i].snap = malloc(sizeof *row * (size_t)(bands[i].rows * bands[i].w));
            for (int r = 0; r < bands[i].rows; r++)
                if (!read_row(d, root, &bands[i], r, bands[i].snap + r * bands[i].w))
                    memset(bands[i].snap + r * bands[i].w, 0, sizeof *row * (size_t)bands[i].w);
        }
    double t0 = now();      /* after the snapshot: "start" means "watching now" */
    printf("start %.6f\n", t0);
    fflush(stdout);

    bool complete = false;
    while (now() - t0 < timeout) {
        int ready = 0;
        for (int i = 0; i < nb; i++) {
            struct band *b = &bands[i];
            /* A changed band stays changed; a drawn band is checked again in
             * every poll, since "complete" needs all of them in one frame. */
            if (change && b->done) {
                ready++;
                continue;
            }
            int bg = 0, ink = 0, diff = 0, total = 0;
            for (int r = 0; r < b->rows; r++) {
                if (!read_row(d, root, b, r, row))
                    break;
                if (!have_first) {
                    first0 = row[0];
                    have_first = true;
                } else if (!moved && i == 0 && r == 0 && row[0] != first0) {
                    moved = true;
                    printf("first %.6f\n", now());
                }
                for (int x = 0; x < b->w; x++) {
                    total++;
                    if (change) {
                        diff += chan_diff(row[x], b->snap[r * b->w + x]) > FAR;
                    } else {
                        int dd = chan_diff(row[x], b->bg);
                        bg += dd <= NEAR;
                        ink += dd > FAR;
                    }
                }
            }
            bool ok = change ? diff > 0 : (bg * 10 >= total * 4 && ink >= b->min);
            if (ok && !b->done)
                printf("band %s %.6f\n", b->name, now());
            b->done |= ok;
            ready += ok;
        }
        if (ready == nb) {
            complete = true;
            break;
        }
        fflush(stdout);
        usleep(POLL_US);
    }
    printf("%s %.6f\n", complete ? "complete" : "timeout", now());
    fflush(stdout);
    for (int i = 0; i < nb; i++)
        free(bands[i].snap);
    free(row);
    XCloseDisplay(d);
    return complete ? 0 : 1;
}
