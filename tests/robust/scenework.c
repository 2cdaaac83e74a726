/* scenework.c — the player's layout work for one feed (r-bounds.sh): the
 * plan at a moment laid out slide by slide by the real scene on a 1920x1080
 * software canvas, as the window loop does between frames.
 *
 *   scenework FEED.db 'YYYY-MM-DD HH:MM'
 * prints "slides N steps N pages_max N slide_ms_max MS begin_ms MS
 * total_ms MS rss_kb KB" (pages_max: the most pages of one slide;
 * slide_ms_max: the longest single slide's layout, the stall a frame
 * waits for).  Exit 1 when the feed or a font cannot be opened. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/config.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/schedule.h"
#include "core/when.h"
#include "player/font.h"
#include "player/scene.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: scenework FEED.db 'YYYY-MM-DD HH:MM'\n");
        return 2;
    }
    log_init("scenework", LOG_LEVEL_WARN);
    int64_t at;
    if (!when_parse_moment(argv[2], &at)) {
        fprintf(stderr, "bad moment: %s\n", argv[2]);
        return 2;
    }
    char *why = NULL;
    struct feed *feed = feed_open(argv[1], &why);
    if (!feed) {
        fprintf(stderr, "cannot open %s: %s\n", argv[1], why ? why : "?");
        return 1;
    }
    struct feed_content *c = feed_load(feed);
    if (!c)
        return 1;
    struct config cfg;
    config_defaults(&cfg);
    struct sched_opts o;
    schedule_opts_for(&cfg, c, CLOCK_NONE, at, &o);
    o.clock_unsure = false;
    o.clock_from = 0;
    struct plan p;
    schedule_at(c, &o, at, &p);

    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    struct fonts *fonts = r ? fonts_create(&cfg) : NULL;
    if (!fonts)
        return 1;
    struct scene *s = scene_create(r, fonts, &cfg, 1920, 1080);

    double t0 = now_ms();
    scene_begin(s, c, feed, &p, at);
    double begin = now_ms() - t0, worst = begin;
    size_t pages_max = scene_steps(s), before = scene_steps(s);
    while (scene_unfinished(s)) {
        double t1 = now_ms();
        scene_finish_some(s, 0);     /* one slide */
        double dt = now_ms() - t1;
        if (dt > worst)
            worst = dt;
        size_t n = scene_steps(s);
        if (n - before > pages_max)
            pages_max = n - before;
        before = n;
    }
    double total = now_ms() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("slides %zu steps %zu pages_max %zu slide_ms_max %.0f begin_ms %.0f total_ms %.0f "
           "rss_kb %ld\n", p.nslides, scene_steps(s), pages_max, worst, begin, total,
           ru.ru_maxrss);
    scene_destroy(s);
    fonts_destroy(fonts);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    plan_free(&p);
    content_destroy(c);
    feed_close(feed);
    config_free(&cfg);
    return 0;
}
