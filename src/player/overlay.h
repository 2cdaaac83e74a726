/* overlay.h — the sync overlay: what the sync tool last said (syncstate.h)
 * shown over the slides: progress while an import runs, then its result
 * for a while. */
#pragma once
#include <SDL.h>
#include <stdbool.h>

struct store;
struct scene;

struct overlay;

/* An overlay that reads the sync state of s and shows it on sc (both
 * borrowed for its life).  Never NULL. */
struct overlay *overlay_create(const struct store *s, struct scene *sc);
/* NULL is a no-op.  Does not touch the scene. */
void overlay_destroy(struct overlay *o);

/* Looks at the sync state (once a second); new news is put on the scene.
 * At startup the state only becomes the known one: an old result is not
 * news.  A state that cannot be read is no news (logged once per change).
 * true when what the scene shows changed.  now: the loop's monotonic ms. */
bool overlay_poll(struct overlay *o, bool startup, Uint64 now);
/* Takes a result down once it has been shown long enough, and a progress
 * that stopped moving (a sync that died).  true when the scene changed. */
bool overlay_expire(struct overlay *o, Uint64 now);
/* The monotonic ms at which overlay_expire next has work, or 0 when no
 * deadline is pending. */
Uint64 overlay_deadline(const struct overlay *o);
/* true while something is shown. */
bool overlay_shown(const struct overlay *o);
