/* render.c — the render subcommand: a software renderer on a memory surface
 * draws each page exactly as the window would (scene.c), and IMG_SavePNG
 * writes it.  No video subsystem is initialised, so it runs headless. */
#include "player/render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/feed.h"
#include "core/log.h"
#include "core/store.h"
#include "core/util.h"
#include "player/font.h"
#include "player/scene.h"

void render_sched_opts(const struct config *cfg, struct sched_opts *o)
{
    memset(o, 0, sizeof *o);
    o->nquiet = cfg->nquiet;
    memcpy(o->quiet, cfg->quiet, sizeof o->quiet);
    o->clock_unsure = false;
    o->events_days = 0;     /* the schedule's default */
}

struct feed_content *render_load_feed(const char *data_dir, struct feed **feed)
{
    *feed = NULL;
    struct store st;
    struct feed_content *c = NULL;
    if (store_init(&st, data_dir, false)) {
        char *why = NULL;
        *feed = feed_open(st.feed, &why);
        if (*feed) {
            c = feed_load(*feed);
            if (!c) {
                feed_close(*feed);
                *feed = NULL;
            }
        } else {
            log_warn("no usable feed at %s: %s", st.feed, why ? why : "unknown reason");
            free(why);
        }
        store_fini(&st);
    }
    return c ? c : content_create();
}

static bool save(SDL_Surface *surf, const char *out_dir, int n, const char *kind, FILE *paths)
{
    char *path = xasprintf("%s/%02d-%s.png", out_dir, n, kind);
    bool ok = IMG_SavePNG(surf, path) == 0;
    if (ok)
        fprintf(paths, "%s\n", path);
    else
        log_error("cannot write %s: %s", path, SDL_GetError());
    free(path);
    return ok;
}

bool render_pages(const struct config *cfg, const struct feed_content *c, struct feed *feed,
                  int64_t at, int w, int h, const char *out_dir, FILE *paths)
{
    if (!mkdir_p(out_dir, 0755)) {
        log_errno("cannot create %s", out_dir);
        return false;
    }
    struct sched_opts o;
    render_sched_opts(cfg, &o);
    struct plan plan;
    schedule_at(c, &o, at, &plan);

    bool ok = false;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    struct fonts *fonts = r ? fonts_create(cfg) : NULL;
    struct scene *sc = NULL;
    if (!surf || !r) {
        log_error("cannot create a %dx%d software renderer: %s", w, h, SDL_GetError());
        goto out;
    }
    if (!fonts)
        goto out;
    if (plan.quiet) {
        /* Quiet hours: the screen is blank, and the still says so. */
        SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
        SDL_RenderClear(r);
        ok = save(surf, out_dir, 1, "quiet", paths);
        goto out;
    }
    sc = scene_create(r, fonts, cfg, w, h);
    scene_load(sc, c, feed, &plan, at);
    ok = true;
    for (size_t i = 0; i < scene_steps(sc) && ok; i++) {
        scene_compose_step(sc, i, scene_ticker_still(sc), at, false);
        SDL_RenderFlush(r);
        ok = save(surf, out_dir, (int)i + 1, scene_step_kind(sc, i), paths);
    }
out:
    scene_destroy(sc);
    fonts_destroy(fonts);
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    plan_free(&plan);
    return ok;
}

int render_run(const struct config *cfg, const char *data_dir, int64_t at, int w, int h,
               const char *out_dir)
{
    /* A panel hung at 90/270 shows a portrait layout on a landscape mode. */
    if ((cfg->rotate == 90 || cfg->rotate == 270) && w > h) {
        int t = w;
        w = h;
        h = t;
    }
    struct feed *feed = NULL;
    struct feed_content *c = render_load_feed(data_dir, &feed);
    bool ok = render_pages(cfg, c, feed, at, w, h, out_dir, stdout);
    content_destroy(c);
    feed_close(feed);
    return ok ? 0 : 1;
}
