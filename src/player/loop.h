/* loop.h — the player's main loop: a window (full screen by default), the
 * scene of the current plan, page changes with crossfades, the ticker, the
 * clock, feed switches, quiet hours and the sync overlay. */
#pragma once
#include "core/config.h"

/* Plays from data_dir until SIGTERM/SIGINT or the window is closed.
 * w, h > 0 opens a window of that size, else full screen (desktop mode).
 * Returns the exit status: 0 after a normal quit, 1 when SDL cannot open a
 * display or no font can be found (logged). */
int loop_run(const struct config *cfg, const char *data_dir, int w, int h);
