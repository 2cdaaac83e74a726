/* fontfile.h — a read-only SDL_RWops over a font file, with a small block
 * cache, so FreeType's many small reads cost no system calls. */
#pragma once
#include <SDL.h>

/* NULL with SDL_GetError() set when the file cannot be opened.  Closed
 * (and freed) by SDL_RWclose, or by TTF_OpenFont*RW with freesrc. */
SDL_RWops *fontfile_open(const char *path);
