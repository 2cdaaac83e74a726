/* ticker.h — the bottom band scrolling the active ticker items.  The text is
 * measured once into a strip of chunks; a chunk is rendered as it enters the
 * band, and scrolling only moves copies. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include "core/content.h"
#include "core/schedule.h"
#include "player/draw.h"

struct ticker;

/* A ticker for a band of w x h pixels showing the plan's active items
 * (p->ticker into c->ticker); margin is the left inset of stills.
 * Returns NULL when no item is active. */
struct ticker *ticker_create(const struct draw *d, int w, int h, int unit, int margin,
                             const struct feed_content *c, const struct plan *p);
void ticker_destroy(struct ticker *t);

/* Length in pixels of one pass of the strip (items and separators); the
 * text repeats with this period. */
double ticker_period(const struct ticker *t);
/* Draws the band at (x, y) with the strip scrolled by `scrolled` pixels:
 * 0 shows the strip entering at the right edge. */
void ticker_draw(struct ticker *t, int x, int y, double scrolled);
/* The scroll at which the first item starts at the left margin (for stills). */
double ticker_still_offset(const struct ticker *t);
/* Forgets the textures (renderer lost them); the next draw rebuilds them. */
void ticker_invalidate(struct ticker *t);
