/* scene.h — the screen as a whole: geometry from proportions of the screen,
 * the header, the ticker and every slide of a plan laid out once; pages are
 * rasterised into textures on demand (never per frame) and composed with
 * a crossfade, the ticker and the sync overlay.  The window loop and the
 * render subcommand both draw through here. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/config.h"
#include "core/content.h"
#include "core/schedule.h"
#include "player/font.h"

struct feed;
struct scene;

/* A scene of w x h logical pixels drawn with r.  fonts and cfg are borrowed
 * for the scene's lifetime.  Never fails. */
struct scene *scene_create(SDL_Renderer *r, struct fonts *fonts, const struct config *cfg,
                           int w, int h);
void scene_destroy(struct scene *s);

/* Lays out every slide of plan p (content c, media from feed; all borrowed
 * until the next scene_load or scene_destroy; feed may be NULL) at civil
 * minute now.  An empty plan gives one idle page.  Replaces what was loaded. */
void scene_load(struct scene *s, const struct feed_content *c, struct feed *feed,
                const struct plan *p, int64_t now);
/* The same in two halves, so that a screen can show its first page before
 * the rest of the loop is laid out: scene_begin lays out the header, the
 * ticker and the first slide (scene_steps counts its pages only), and
 * scene_finish the other slides, appending their steps; it returns false
 * when there was nothing left to do. */
void scene_begin(struct scene *s, const struct feed_content *c, struct feed *feed,
                 const struct plan *p, int64_t now);
/* The same with the loop begun at the plan's slide `first` (its first page
 * is step 0; the slides before it come at the end of the loop): a loop
 * that changed goes on with the slide that was playing, laid out alone. */
void scene_begin_at(struct scene *s, const struct feed_content *c, struct feed *feed,
                    const struct plan *p, int64_t now, size_t first);
bool scene_finish(struct scene *s);
/* Lays out further slides for about budget_ms (at least one), so a loop of
 * hundreds of slides is laid out in the pauses between frames rather than
 * in one stall of a second; true while slides remain. */
bool scene_finish_some(struct scene *s, Uint32 budget_ms);
/* Slides remain to be laid out (scene_steps does not count them yet). */
bool scene_unfinished(const struct scene *s);
/* New size (window resized, rotation changed): lays the same content out
 * again, as scene_begin_at from the same first slide (the rest with
 * scene_finish_some, as after scene_begin). */
void scene_resize(struct scene *s, int w, int h);

/* The loop is a list of steps, one per slide page, in play order (>= 1). */
size_t scene_steps(const struct scene *s);
const char *scene_step_kind(const struct scene *s, size_t step);   /* "events", "idle", … */
int scene_step_seconds(const struct scene *s, size_t step);
/* Does the step's page show the date (a countdown), so it must be redrawn
 * when the day changes? */
bool scene_step_dated(const struct scene *s, size_t step);
/* The slide behind a step (NULL for the idle page) and the page within it. */
const struct slide_ref *scene_step_ref(const struct scene *s, size_t step);
size_t scene_step_page(const struct scene *s, size_t step);
bool scene_is_idle(const struct scene *s);

/* Rasterises a step's page at civil minute now into a new texture of the
 * slide area's size; the caller destroys it.  NULL when the renderer cannot
 * make one (logged once). */
SDL_Texture *scene_page(struct scene *s, size_t step, int64_t now);
/* The same in two halves, for a loop that spreads the work over two pauses
 * between frames (making a 7 MB texture alone costs ~3.5 ms in software):
 * a new, blank page texture (NULL on failure, logged once), and drawing a
 * step into one (false for a bad step or a NULL texture). */
SDL_Texture *scene_page_texture(struct scene *s);
bool scene_page_draw(struct scene *s, SDL_Texture *t, size_t step, int64_t now);
/* Decodes a step's images ahead, for the scene_page_draw of it in a later
 * pause (a poster is 13 ms to decode and as much to draw); false, doing
 * nothing, when its slide has no images. */
bool scene_page_ahead(struct scene *s, size_t step);

/* Draws a whole frame into the current target: header at `now` (with the
 * 时间未校准 notice when unsure), prev (may be NULL) overlaid by page at
 * opacity fade (0..1), the ticker scrolled by `scrolled` px, the overlay.
 * With prev NULL and fade < 1, page is blended at opacity fade over what
 * the target already shows in the slide area (a crossfade continued on the
 * same surface, step by step). */
void scene_compose(struct scene *s, SDL_Texture *page, SDL_Texture *prev, double fade,
                   double scrolled, int64_t now, bool unsure);
/* The same without a page texture: step's page is drawn straight onto the
 * target, in the slide area.  For a frame shown once (the first after
 * start, a still for `render`): no 7 MB texture to make, fill and copy
 * before it can be seen. */
void scene_compose_step(struct scene *s, size_t step, double scrolled, int64_t now, bool unsure);

bool scene_has_ticker(const struct scene *s);
/* Where pages are drawn (logical pixels): between the header and the ticker. */
SDL_Rect scene_area_rect(const struct scene *s);
/* Where the ticker is drawn (logical pixels); empty without a ticker. */
SDL_Rect scene_ticker_rect(const struct scene *s);
/* Draws with r from now on (the window surface was re-created): forgets
 * every texture made with the old renderer, as scene_invalidate. */
void scene_set_renderer(struct scene *s, SDL_Renderer *r);
/* Ticker scroll in px per second for config ticker_speed (given at 1080
 * lines), scaled to this screen. */
double scene_ticker_speed(const struct scene *s, int ticker_speed);
/* The scroll at which a still shows the ticker's first item at the margin. */
double scene_ticker_still(const struct scene *s);

/* The import's card over the slide (progress / result; copied), or NULL
 * to hide it. */
struct notecard;
void scene_set_overlay(struct scene *s, const struct notecard *n);

/* Forgets every texture the scene holds (after SDL_RENDER_TARGETS_RESET or
 * a device reset); they are rebuilt from the laid-out state when next drawn. */
void scene_invalidate(struct scene *s);
