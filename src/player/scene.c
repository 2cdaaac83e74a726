/* scene.c — screen geometry, the laid-out slides of one plan, page
 * rasterisation and frame composition.
 *
 * Proportions: the header is ~9% of the height (7.5% on portrait, where the
 * height is long), the ticker 7% of the short side, margins ~4.5% of the
 * width.  The body-text floor is 1/30 of the short side on every screen:
 * a portrait screen is the same panel turned, so the same pixel size is the
 * same physical size, readable from three metres (36 px on 1080 lines). */
#include "player/scene.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/util.h"
#include "player/draw.h"
#include "player/header.h"
#include "player/notecard.h"
#include "player/slide.h"
#include "player/testmode.h"
#include "player/ticker.h"

struct scene_slide {
    const struct slide_impl *impl;
    struct slide_ref ref;
    void *state;
};

struct scene_step {
    size_t slide;               /* into slides */
    size_t page;
};

struct scene {
    SDL_Renderer *r;
    Uint32 page_format;         /* opaque pages: XRGB where the renderer has it */
    const struct config *cfg;
    struct draw d;
    int w, h;

    /* What is loaded (borrowed) */
    const struct feed_content *c;
    const struct plan *plan;
    int64_t now;

    /* Geometry */
    bool portrait, idle;
    SDL_Rect header_rc, area, ticker_rc;
    struct slide_env env;

    SDL_Surface *logo;
    char *org;
    struct header *header;
    struct ticker *ticker;
    struct scene_slide *slides;
    size_t nslides, laid;       /* the first `laid` slides in play order are laid
                                 * out and have steps */
    size_t first;               /* play order starts with this slide of the plan */
    struct scene_step *steps;
    size_t nsteps, steps_cap;

    struct notecard overlay;    /* shown when overlay_on */
    bool overlay_on;
    SDL_Texture *overlay_tex;
    SDL_Rect overlay_rc;
};

/* Pages are opaque, so they need no alpha channel, and without one SDL's
 * software blitter crossfades them with its fast per-surface-alpha path:
 * 0.7 ms per frame for a 1920x907 page instead of 12 ms, which had held the
 * ticker still for a frame at every change of slide. */
static Uint32 page_format(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) == 0)
        for (Uint32 i = 0; i < info.num_texture_formats; i++)
            if (info.texture_formats[i] == SDL_PIXELFORMAT_RGB888)
                return SDL_PIXELFORMAT_RGB888;
    return SDL_PIXELFORMAT_ARGB8888;
}

struct scene *scene_create(SDL_Renderer *r, struct fonts *fonts, const struct config *cfg,
                           int w, int h)
{
    struct scene *s = xcalloc(1, sizeof *s);
    s->r = r;
    s->page_format = page_format(r);
    s->cfg = cfg;
    s->d = (struct draw){ .r = r, .fonts = fonts, .theme = &cfg->theme, .feed = NULL,
                          .ahead = draw_ahead_new() };
    s->w = w;
    s->h = h;
    s->org = xstrdup("");
    return s;
}

static void unload(struct scene *s)
{
    draw_ahead_drop(&s->d);
    for (size_t j = 0; j < s->laid; j++) {
        struct scene_slide *sl = &s->slides[(s->first + j) % s->nslides];
        sl->impl->destroy(sl->state);
    }
    free(s->slides);
    s->slides = NULL;
    s->nslides = 0;
    free(s->steps);
    s->steps = NULL;
    s->nsteps = s->steps_cap = 0;
    header_destroy(s->header);
    s->header = NULL;
    ticker_destroy(s->ticker);
    s->ticker = NULL;
    SDL_FreeSurface(s->logo);
    s->logo = NULL;
    if (s->overlay_tex)
        SDL_DestroyTexture(s->overlay_tex);
    s->overlay_tex = NULL;
}

void scene_destroy(struct scene *s)
{
    if (!s)
        return;
    unload(s);
    draw_ahead_free(s->d.ahead);
    free(s->org);
    notecard_fini(&s->overlay);
    free(s);
}

static void add_step(struct scene *s, size_t slide, size_t page)
{
    xgrow(&s->steps, &s->steps_cap, s->nsteps + 1, sizeof *s->steps);
    s->steps[s->nsteps++] = (struct scene_step){ slide, page };
}

/* Everything that depends on the size: geometry, header, ticker, slides. */
static void layout(struct scene *s)
{
    int w = s->w, h = s->h;
    int unit = w < h ? w : h;
    s->portrait = h > w;
    s->idle = !s->plan || s->plan->quiet || s->plan->nslides == 0;

    int header_h = s->idle ? 0 : (int)lround(s->portrait ? h * 0.075 : h * 0.09);
    int ticker_h = s->plan && s->plan->nticker ? (int)lround(unit * 0.07) : 0;
    s->header_rc = (SDL_Rect){ 0, 0, w, header_h };
    s->ticker_rc = (SDL_Rect){ 0, h - ticker_h, w, ticker_h };
    s->area = (SDL_Rect){ 0, header_h, w, h - header_h - ticker_h };

    s->env = (struct slide_env){
        .d = &s->d,
        .c = s->c,
        .plan = s->plan,
        .org_name = s->org,
        .now = s->now,
        .w = s->area.w,
        .h = s->area.h,
        .unit = unit,
        .floor = unit / 30,
        .mx = (int)lround(s->portrait ? w * 0.06 : w * 0.045),
        .my = (int)lround(unit * 0.05),
        .portrait = s->portrait,
    };

    if (header_h)
        s->header = header_create(&s->d, w, header_h, unit, s->portrait, s->org, s->logo);
    header_set_lunar(s->header, s->cfg->lunar);
    if (ticker_h && s->c)
        s->ticker = ticker_create(&s->d, w, ticker_h, unit, s->env.mx, s->c, s->plan);

    size_t n = s->idle ? 1 : s->plan->nslides;
    s->slides = xcalloc(n, sizeof *s->slides);
    s->nslides = n;
    s->laid = 0;
    for (size_t i = 0; i < n; i++) {
        struct scene_slide *sl = &s->slides[i];
        if (s->idle) {
            sl->impl = &slide_idle_impl;
            sl->ref = (struct slide_ref){ .kind = SLIDE_ANNOUNCEMENT, .duration = 60 };
        } else {
            sl->ref = s->plan->slides[i];
            sl->impl = slide_impl_for(sl->ref.kind);
        }
    }
}

/* Lays out the slides in play order up to the upto-th and appends their
 * steps.  Play order is the plan's, begun at slide `first`: the loop is a
 * circle, so a loop that changed mid-play goes on from the slide that was
 * playing without laying out every slide before it in the plan. */
static void lay_out_slides(struct scene *s, size_t upto)
{
    for (; s->laid < upto && s->laid < s->nslides; s->laid++) {
        size_t i = (s->first + s->laid) % s->nslides;
        struct scene_slide *sl = &s->slides[i];
        sl->state = sl->impl->layout(&s->env, s->idle ? NULL : &sl->ref);
        size_t pages = sl->impl->pages(sl->state);
        for (size_t p = 0; p < pages; p++)
            add_step(s, i, p);
    }
}

void scene_begin(struct scene *s, const struct feed_content *c, struct feed *feed,
                 const struct plan *p, int64_t now)
{
    scene_begin_at(s, c, feed, p, now, 0);
}

void scene_begin_at(struct scene *s, const struct feed_content *c, struct feed *feed,
                    const struct plan *p, int64_t now, size_t first)
{
    unload(s);
    s->c = c;
    s->plan = p;
    s->now = now;
    s->d.feed = feed;
    free(s->org);
    const char *org = c && c->org_name[0] ? c->org_name
                    : s->cfg->org_name    ? s->cfg->org_name
                                          : "";
    s->org = xstrdup(org);
    /* The feed's logo first (staff chose it), else the configured file. */
    if (c && c->logo)
        s->logo = draw_load_media(&s->d, c->logo);
    if (!s->logo && s->cfg->theme.logo)
        s->logo = draw_load_file(s->cfg->theme.logo);
    layout(s);
    s->first = first < s->nslides ? first : 0;
    lay_out_slides(s, 1);
}

bool scene_finish(struct scene *s)
{
    if (s->laid == s->nslides)
        return false;
    lay_out_slides(s, s->nslides);
    return true;
}

bool scene_finish_some(struct scene *s, Uint32 budget_ms)
{
    Uint64 end = SDL_GetTicks64() + budget_ms;
    do
        lay_out_slides(s, s->laid + 1);
    while (s->laid < s->nslides && SDL_GetTicks64() < end);
    return s->laid < s->nslides;
}

bool scene_unfinished(const struct scene *s)
{
    return s->laid < s->nslides;
}

void scene_load(struct scene *s, const struct feed_content *c, struct feed *feed,
                const struct plan *p, int64_t now)
{
    scene_begin(s, c, feed, p, now);
    scene_finish(s);
}

void scene_resize(struct scene *s, int w, int h)
{
    if (w == s->w && h == s->h)
        return;
    s->w = w;
    s->h = h;
    scene_begin_at(s, s->c, s->d.feed, s->plan, s->now, s->first);
}

size_t scene_steps(const struct scene *s)
{
    return s->nsteps;
}

const char *scene_step_kind(const struct scene *s, size_t step)
{
    return s->slides[s->steps[step].slide].impl->name;
}

bool scene_step_dated(const struct scene *s, size_t step)
{
    const struct scene_slide *sl = &s->slides[s->steps[step].slide];
    return sl->impl->dated && sl->state && sl->impl->dated(sl->state);
}

int scene_step_seconds(const struct scene *s, size_t step)
{
    int d = s->slides[s->steps[step].slide].ref.duration;
    return d > 0 ? d : 10;
}

const struct slide_ref *scene_step_ref(const struct scene *s, size_t step)
{
    return s->idle ? NULL : &s->slides[s->steps[step].slide].ref;
}

size_t scene_step_page(const struct scene *s, size_t step)
{
    return s->steps[step].page;
}

bool scene_is_idle(const struct scene *s)
{
    return s->idle;
}

SDL_Texture *scene_page_texture(struct scene *s)
{
    if (s->area.w <= 0 || s->area.h <= 0)
        return NULL;
    SDL_Texture *t = SDL_CreateTexture(s->r, s->page_format, SDL_TEXTUREACCESS_TARGET,
                                       s->area.w, s->area.h);
    if (!t)
        log_msg_once(LOG_LEVEL_WARN, "cannot create a %dx%d page texture: %s", s->area.w,
                     s->area.h, SDL_GetError());
    else
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

/* Draws a step's page on the current target, whose origin is the page's. */
static void draw_step(struct scene *s, size_t step, int64_t now)
{
    testmode_count(TM_PAGE);
    s->env.now = now;
    const struct scene_slide *sl = &s->slides[s->steps[step].slide];
    sl->impl->draw(sl->state, &s->env, s->steps[step].page);
    draw_ahead_drop(&s->d);     /* decoded for another page */
}

bool scene_page_ahead(struct scene *s, size_t step)
{
    if (step >= s->nsteps)
        return false;
    const struct scene_slide *sl = &s->slides[s->steps[step].slide];
    if (!sl->impl->ahead)
        return false;
    sl->impl->ahead(sl->state, &s->env, s->steps[step].page);
    return true;
}

bool scene_page_draw(struct scene *s, SDL_Texture *t, size_t step, int64_t now)
{
    if (!t || step >= s->nsteps)
        return false;
    SDL_Texture *old = SDL_GetRenderTarget(s->r);
    SDL_SetRenderTarget(s->r, t);
    draw_step(s, step, now);
    SDL_SetRenderTarget(s->r, old);
    return true;
}

SDL_Texture *scene_page(struct scene *s, size_t step, int64_t now)
{
    if (step >= s->nsteps)
        return NULL;
    SDL_Texture *t = scene_page_texture(s);
    scene_page_draw(s, t, step, now);
    return t;
}

static void draw_overlay(struct scene *s)
{
    if (!s->overlay_on)
        return;
    if (!s->overlay_tex) {
        /* Across the slide area at its foot, above the ticker: wide enough
         * for the words at a size read from three metres. */
        int w = s->w - 2 * s->env.mx;
        SDL_Surface *card = notecard_render(s->d.fonts, &s->overlay, w, s->env.floor);
        if (card) {
            s->overlay_tex = SDL_CreateTextureFromSurface(s->r, card);
            s->overlay_rc = (SDL_Rect){ s->env.mx, s->area.y + s->area.h - card->h - s->env.my / 2,
                                        card->w, card->h };
            if (s->overlay_rc.y < s->area.y)
                s->overlay_rc.y = s->area.y;
        }
        SDL_FreeSurface(card);
        if (!s->overlay_tex)
            return;
        SDL_SetTextureBlendMode(s->overlay_tex, SDL_BLENDMODE_BLEND);
    }
    SDL_RenderCopy(s->r, s->overlay_tex, NULL, &s->overlay_rc);
}

/* A frame with the page from its texture, or with step `direct` drawn
 * straight onto the target when there is no texture (SIZE_MAX: none). */
static void compose(struct scene *s, SDL_Texture *page, SDL_Texture *prev, double fade,
                    size_t direct, double scrolled, int64_t now, bool unsure)
{
    const struct theme *th = s->d.theme;
    bool drawn = !page && direct < s->nsteps;
    /* The header, the page and the ticker each paint their whole band
     * opaquely, so the background is only painted where a page is missing
     * (8 MB less to write per frame).  Not SDL_RenderClear: it ignores the
     * clip rectangle, and the loop clips to what moves. */
    if ((!page && !drawn) || !s->header) {
        SDL_SetRenderDrawBlendMode(s->r, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(s->r, th->bg.r, th->bg.g, th->bg.b, 255);
        SDL_RenderFillRect(s->r, NULL);
    }
    if (s->header) {
        header_set_time(s->header, now, unsure);
        header_draw(s->header, s->header_rc.x, s->header_rc.y);
    }
    /* Crossfade: the old page stays opaque underneath while the new one
     * fades in over it, so no frame is ever darker than either page. */
    /* Pages are opaque (every slide paints its background), so they are
     * copied, not blended, except the one fading in: blending 7 MB costs the
     * software renderer several times a copy. */
    bool fading = fade < 1.0;
    if (prev && fading) {
        SDL_SetTextureBlendMode(prev, SDL_BLENDMODE_NONE);
        SDL_RenderCopy(s->r, prev, NULL, &s->area);
    }
    if (page) {
        double f = fade < 0 ? 0 : fade;
        SDL_SetTextureBlendMode(page, fading ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
        SDL_SetTextureAlphaMod(page, fading ? (Uint8)lround(f * 255) : 255);
        SDL_RenderCopy(s->r, page, NULL, &s->area);
    } else if (drawn) {
        /* The page's origin moves to the area's; a clip rectangle is
         * relative to the viewport, so it moves the other way. */
        SDL_Rect clip, inner;
        bool clipped = SDL_RenderIsClipEnabled(s->r);
        SDL_RenderGetClipRect(s->r, &clip);
        inner = (SDL_Rect){ clip.x - s->area.x, clip.y - s->area.y, clip.w, clip.h };
        SDL_RenderSetViewport(s->r, &s->area);
        SDL_RenderSetClipRect(s->r, clipped ? &inner : NULL);
        draw_step(s, direct, now);
        SDL_RenderSetViewport(s->r, NULL);
        SDL_RenderSetClipRect(s->r, clipped ? &clip : NULL);
    }
    if (s->ticker)
        ticker_draw(s->ticker, s->ticker_rc.x, s->ticker_rc.y, scrolled);
    draw_overlay(s);
}

void scene_compose(struct scene *s, SDL_Texture *page, SDL_Texture *prev, double fade,
                   double scrolled, int64_t now, bool unsure)
{
    compose(s, page, prev, fade, SIZE_MAX, scrolled, now, unsure);
}

void scene_compose_step(struct scene *s, size_t step, double scrolled, int64_t now, bool unsure)
{
    compose(s, NULL, NULL, 1.0, step, scrolled, now, unsure);
}

SDL_Rect scene_area_rect(const struct scene *s)
{
    return s->area;
}

SDL_Rect scene_ticker_rect(const struct scene *s)
{
    return s->ticker ? s->ticker_rc : (SDL_Rect){0, 0, 0, 0};
}

void scene_set_renderer(struct scene *s, SDL_Renderer *r)
{
    scene_invalidate(s);
    s->r = r;
    s->page_format = page_format(r);
    s->d.r = r;
}

bool scene_has_ticker(const struct scene *s)
{
    return s->ticker != NULL;
}

double scene_ticker_speed(const struct scene *s, int ticker_speed)
{
    int unit = s->w < s->h ? s->w : s->h;
    return ticker_speed * unit / 1080.0;
}

double scene_ticker_still(const struct scene *s)
{
    return s->ticker ? ticker_still_offset(s->ticker) : 0;
}

void scene_set_overlay(struct scene *s, const struct notecard *n)
{
    if ((!n && !s->overlay_on) || (n && s->overlay_on && notecard_equal(n, &s->overlay)))
        return;
    notecard_fini(&s->overlay);
    s->overlay_on = n != NULL;
    if (n) {
        s->overlay = *n;
        s->overlay.title = xstrdup(n->title);
        s->overlay.detail = n->detail ? xstrdup(n->detail) : NULL;
    }
    if (s->overlay_tex)
        SDL_DestroyTexture(s->overlay_tex);
    s->overlay_tex = NULL;
}

void scene_invalidate(struct scene *s)
{
    header_invalidate(s->header);
    ticker_invalidate(s->ticker);
    if (s->overlay_tex)
        SDL_DestroyTexture(s->overlay_tex);
    s->overlay_tex = NULL;
}
