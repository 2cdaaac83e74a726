/* fairwait.c — how long a resident waits to see each item, before and after
 * the fair loop (issue 18): lays out the loop the player would play at a
 * moment (the real scene, headless, as `render`), then plays it on paper
 * with each page's nominal duration through core/fair.c, with urgent_every
 * 0 (only between slides, as before) and N (default the config's).
 *
 *   fairwait --data DIR [--config FILE] --at 'YYYY-MM-DD HH:MM'
 *            [--size WxH] [--every N] [--loops K]
 *
 * Prints the pages per kind, the loop's length, and per kind the longest
 * wait between two beginnings of an item and how long the urgent block is
 * away at most.  Timing on paper, not on a clock: a loaded machine or a
 * test clock run fast would add its own stalls. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/fair.h"
#include "core/log.h"
#include "core/util.h"
#include "core/when.h"
#include "player/font.h"
#include "player/render.h"
#include "player/scene.h"

#define NKINDS 4

struct result {
    double loop_s;                  /* one round without detours */
    double plain_s;                 /* the same without the urgent pages */
    double longest[NKINDS];         /* per kind, seconds */
    size_t items[NKINDS], pages[NKINDS];
    double away;                    /* urgent block away at most, seconds */
    double detour_pages;            /* pages shown in detours per round */
};

struct item {
    int kind;
    size_t index;
    int64_t last;                   /* ms of the last beginning, -1 none */
    int64_t longest;
};

static struct item *item_of(struct item *v, size_t n, const struct slide_ref *r)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].kind == (int)r->kind && v[i].index == r->index)
            return &v[i];
    return NULL;
}

static void simulate(struct scene *sc, int every, int loops, struct result *res)
{
    memset(res, 0, sizeof *res);
    size_t n = scene_steps(sc);
    struct fair_step *st = xcalloc(n, sizeof *st);
    struct item *items = xcalloc(n, sizeof *items);
    size_t nitems = 0;
    int64_t round = 0;
    for (size_t i = 0; i < n; i++) {
        const struct slide_ref *r = scene_step_ref(sc, i);
        st[i] = (struct fair_step){r && r->kind == SLIDE_URGENT ? (long)r->index : -1,
                                   scene_step_page(sc, i), scene_step_seconds(sc, i)};
        round += st[i].seconds * 1000;
        if (st[i].urgent < 0)
            res->plain_s += st[i].seconds;
        if (!r)
            continue;
        if (!item_of(items, nitems, r)) {
            items[nitems++] = (struct item){(int)r->kind, r->index, -1, 0};
            res->items[r->kind]++;
        }
        /* Pages per kind: each item's pages once (urgent repeats in the plan). */
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const struct slide_ref *q = scene_step_ref(sc, j);
            seen = q && q->kind == r->kind && q->index == r->index &&
                   scene_step_page(sc, j) == st[i].page;
        }
        if (!seen)
            res->pages[r->kind]++;
    }
    res->loop_s = (double)round / 1000.0;
    struct fair f;
    fair_init(&f, 0);
    size_t cur = 0;
    int64_t t = 0, left = -1, end = round * loops;
    size_t detours = 0;
    bool in_detour = false;
    while (t < end) {
        const struct slide_ref *r = scene_step_ref(sc, cur);
        if (r && st[cur].page == 0) {
            struct item *it = item_of(items, nitems, r);
            /* The first round warms up (the loop starts with the urgent block). */
            if (it->last >= 0 && t >= round && t - it->last > it->longest)
                it->longest = t - it->last;
            it->last = t;
        }
        if (st[cur].urgent >= 0 && left >= 0 && t >= round && (double)(t - left) / 1000 > res->away)
            res->away = (double)(t - left) / 1000;
        if (in_detour)
            detours++;
        t += st[cur].seconds * 1000;
        size_t next = fair_next(&f, st, n, cur, t, every);
        in_detour = f.ndetour > 0;
        if (st[cur].urgent >= 0 && st[next].urgent < 0)
            left = t;
        cur = next;
    }
    for (size_t i = 0; i < nitems; i++) {
        double w = (double)items[i].longest / 1000.0;
        if (w > res->longest[items[i].kind])
            res->longest[items[i].kind] = w;
    }
    res->detour_pages = (double)detours / loops;
    fair_fini(&f);
    free(st);
    free(items);
}

static void print_min(const char *label, double s)
{
    printf("%s%6.1f min", label, s / 60.0);
}

int main(int argc, char **argv)
{
    const char *data = NULL, *conf = NULL, *at_s = NULL;
    int w = 1920, h = 1080, every = -1, loops = 4;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--data"))
            data = argv[i + 1];
        else if (!strcmp(argv[i], "--config"))
            conf = argv[i + 1];
        else if (!strcmp(argv[i], "--at"))
            at_s = argv[i + 1];
        else if (!strcmp(argv[i], "--size"))
            sscanf(argv[i + 1], "%dx%d", &w, &h);
        else if (!strcmp(argv[i], "--every"))
            every = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--loops"))
            loops = atoi(argv[i + 1]);
    }
    int64_t at;
    if (!data || !at_s || !when_read_moment(at_s, &at) || w < 100 || h < 100 || loops < 2) {
        fprintf(stderr, "usage: fairwait --data DIR [--config FILE] --at 'YYYY-MM-DD HH:MM' "
                        "[--size WxH] [--every N] [--loops K>=2]\n");
        return 2;
    }
    log_init("fairwait", LOG_LEVEL_WARN);
    struct config cfg;
    if (!config_load(&cfg, conf ? conf : "/nonexistent", conf != NULL))
        return 2;
    if (every < 0)
        every = cfg.urgent_every;
    struct render_src src;
    render_src_load(&cfg, data, at, at, &src);
    struct plan plan;
    schedule_at(src.content, &src.opts, at, &plan);
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    struct fonts *fonts = r ? fonts_create(&cfg) : NULL;
    if (!fonts)
        return 1;
    struct scene *sc = scene_create(r, fonts, &cfg, w, h);
    scene_load(sc, src.content, src.live.feed, &plan, at);

    struct result before, after;
    simulate(sc, 0, loops, &before);
    simulate(sc, every, loops, &after);
    static const char *const kinds[NKINDS] = {"urgent", "announcement", "events", "honors"};
    printf("%s at %s, %dx%d: %zu slides, %zu pages, one round %.1f min (%.1f min without "
           "the urgent pages)\n", data, at_s, w, h, plan.nslides, scene_steps(sc),
           before.loop_s / 60.0, before.plain_s / 60.0);
    printf("  longest wait to see an item begin again, urgent_every 0 (before) -> %d s (after):\n",
           every);
    for (int k = 0; k < NKINDS; k++) {
        if (!before.items[k])
            continue;
        printf("  %-13s %4zu items %5zu pages", kinds[k], before.items[k], before.pages[k]);
        print_min("  ", before.longest[k]);
        print_min(" ->", after.longest[k]);
        printf("\n");
    }
    if (before.items[SLIDE_URGENT])
        printf("  urgent block away at most %.0f s -> %.0f s (%.1f extra pages a round)\n",
               before.away, after.away, after.detour_pages);
    scene_destroy(sc);
    fonts_destroy(fonts);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    plan_free(&plan);
    render_src_free(&src);
    config_free(&cfg);
    return 0;
}
