/* display.h — where the player's frames go: the window (or full screen),
 * its renderer, the rotation canvas, and presenting a frame whole or, on
 * the window surface or a DRM dumb buffer ("damage" mode), only the
 * rectangles that changed. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include "core/config.h"

struct display;

/* Initialises SDL video and opens a w x h window (w <= 0: full screen, the
 * desktop's mode) with a renderer as cfg->present and cfg->rotate ask.
 * cfg is borrowed for the display's life.  NULL on failure (logged; SDL is
 * shut down again). */
struct display *display_open(const struct config *cfg, int w, int h);
/* Waits for the start-up work, destroys canvas, renderer and window, and
 * shuts SDL down.  Every texture made with the renderer must be gone
 * first.  NULL is a no-op. */
void display_close(struct display *d);

/* The renderer the scene draws with (owned by the display; it changes
 * only in display_rebuild). */
SDL_Renderer *display_renderer(const struct display *d);
/* The logical size the layout uses (after rotation). */
void display_size(const struct display *d, int *w, int *h);
/* One refresh in ms, to pace frames when vsync is missing. */
Uint32 display_frame_ms(const struct display *d);
/* true in damage mode: software drawing on the window surface (or, on a
 * console whose only GL is software, a DRM dumb buffer: kms.c), so what a
 * frame does not draw stays on the screen, and only the rectangles given
 * to display_present are sent. */
bool display_damage(const struct display *d);
/* true when frames are drawn on a canvas that is then rotated onto the
 * screen (so the screen keeps nothing of the last frame's drawing). */
bool display_rotated(const struct display *d);

/* Starts a frame: the render target is the canvas (or the screen), clipped
 * to clip (NULL: all of it).  The first frame waits here for the start-up
 * touching of the window surface (display_open). */
void display_begin(struct display *d, const SDL_Rect *clip);
/* Shows what was drawn since display_begin: the canvas rotated onto the
 * screen, then presented; in damage mode only rects[0..n) (n == 0: the
 * whole window), in that order. */
void display_present(struct display *d, const SDL_Rect *rects, int n);
/* After the first frame is up: the full-screen request that was held back
 * so as not to wait for the window manager before it (X11). */
void display_first_frame_done(struct display *d);

enum display_rebuild {
    DISPLAY_REBUILT,        /* go on; *new_renderer and *new_size say what changed */
    DISPLAY_KEPT,           /* the output could not be measured or the canvas
                             * made: nothing changed (logged) */
    DISPLAY_LOST,           /* no renderer any more: the player must stop (logged) */
};
/* After a resize (resized) or a lost render target or device: re-creates
 * the canvas, and in damage mode after a resize the renderer on the new
 * window surface (*new_renderer: the scene must take display_renderer);
 * *new_size when the logical size changed (logged).  Textures of the old
 * renderer must be gone before a resize in damage mode. */
enum display_rebuild display_rebuild(struct display *d, bool resized, bool *new_renderer,
                                     bool *new_size);
