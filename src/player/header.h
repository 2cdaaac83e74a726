/* header.h — the band at the top: logo and organisation name on the left,
 * date (2026年11月22日 星期日) and a large HH:MM on the right, and a small
 * 时间未校准 notice when the clock cannot be trusted. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include "player/draw.h"

struct header;

/* A header for a band of w x h pixels; unit = min(screen w, h); portrait
 * stacks the date under the name.  org is copied; logo (may be NULL) is
 * borrowed for the header's lifetime.  Never fails. */
struct header *header_create(const struct draw *d, int w, int h, int unit, bool portrait,
                             const char *org, SDL_Surface *logo);
void header_destroy(struct header *h);

/* Shows or hides the 农历 line (农历 date, 节气, festivals, 春节 countdown);
 * off until called.  NULL is a no-op. */
void header_set_lunar(struct header *h, bool on);
/* Sets the moment shown (civil minutes); cheap when the minute and the
 * clock state did not change.  Returns true when the header must be redrawn. */
bool header_set_time(struct header *h, int64_t now, bool unsure);
/* Copies the header to the current target at (x, y), rasterising what is
 * missing (first use, new minute, lost textures). */
void header_draw(struct header *h, int x, int y);
/* Forgets all textures (the renderer lost them); the next draw rebuilds. */
void header_invalidate(struct header *h);
