/* render.c — the render subcommand: a software renderer on a memory surface
 * draws each page exactly as the window would (scene.c), and IMG_SavePNG
 * writes it.  No video subsystem is initialised, so it runs headless. */
#include "player/render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/clock.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "player/font.h"
#include "player/scene.h"

void render_src_load(const struct config *cfg, const char *data_dir, int64_t from, int64_t to,
                     struct render_src *src)
{
    memset(src, 0, sizeof *src);
    int64_t last_good = CLOCK_NONE;
    struct store st;
    if (store_init(&st, data_dir, false)) {
        char *why = NULL;
        switch (store_load_live(&st, 0, &src->live, &why)) {
        case STORE_LIVE_OK:
            break;
        case STORE_LIVE_NONE:
            log_warn("no feed at %s: planning without content", st.feed);
            break;
        case STORE_LIVE_BAD:
            log_warn("no usable feed at %s: %s", st.feed, why ? why : "unknown reason");
            break;
        }
        free(why);
        last_good = clock_load_last_good(&st);
    }
    store_fini(&st);
    src->content = src->live.content ? src->live.content : content_create();
    src->unsure = schedule_opts_for(cfg, src->content, last_good, from, &src->opts) != CLOCK_OK;
    /* plan and render show what the player would: say when that is not
     * what the moment asked for would suggest. */
    if (from < src->opts.clock_from) {
        char *why = clock_doubt(from, src->content->created, last_good);
        char t[17], f[17];
        when_format(from, f);
        if (to > from) {
            when_format(src->opts.clock_from, t);
            fprintf(stderr, "noticeboard: before %s the player would not believe its clock, as %s "
                            "is %s: only date-free items are planned until then\n", t, f, why);
        } else {
            fprintf(stderr, "noticeboard: at %s the player would not believe its clock, as that "
                            "is %s: only date-free items are planned\n", f, why);
        }
        free(why);
    }
}

void render_src_free(struct render_src *src)
{
    if (src->content != src->live.content)
        content_destroy(src->content);
    store_live_close(&src->live);
    memset(src, 0, sizeof *src);
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

bool render_pages(const struct config *cfg, const struct render_src *src, int64_t at, int w,
                  int h, const char *out_dir, FILE *paths)
{
    if (!mkdir_p(out_dir, 0755)) {
        log_errno("cannot create %s", out_dir);
        return false;
    }
    struct plan plan;
    schedule_at(src->content, &src->opts, at, &plan);

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
    scene_load(sc, src->content, src->live.feed, &plan, at);
    ok = true;
    for (size_t i = 0; i < scene_steps(sc) && ok; i++) {
        scene_compose_step(sc, i, scene_ticker_still(sc), at, src->unsure);
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
    struct render_src src;
    render_src_load(cfg, data_dir, at, at, &src);
    bool ok = render_pages(cfg, &src, at, w, h, out_dir, stdout);
    render_src_free(&src);
    return ok ? 0 : 1;
}
