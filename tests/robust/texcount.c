/* texcount.c — LD_PRELOAD shim for r-soak.sh: counts the textures the
 * player creates minus those it destroys, at the boundary to libSDL2, so the
 * player pays nothing for it in normal play.  The player's test mode reads
 * the count through texcount_live() (src/player/testmode.c). */
#define _GNU_SOURCE
#include <SDL.h>
#include <dlfcn.h>
#include <stdatomic.h>

static atomic_long live;

long texcount_live(void);
long texcount_live(void)
{
    return atomic_load(&live);
}

/* Calls inside libSDL2 bind to its own copies (SDL's dynapi), so each
 * texture the player asks for is counted exactly once. */
SDL_Texture *SDL_CreateTexture(SDL_Renderer *r, Uint32 format, int access, int w, int h)
{
    static SDL_Texture *(*real)(SDL_Renderer *, Uint32, int, int, int);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "SDL_CreateTexture");
    SDL_Texture *t = real(r, format, access, w, h);
    if (t)
        atomic_fetch_add(&live, 1);
    return t;
}

SDL_Texture *SDL_CreateTextureFromSurface(SDL_Renderer *r, SDL_Surface *s)
{
    static SDL_Texture *(*real)(SDL_Renderer *, SDL_Surface *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "SDL_CreateTextureFromSurface");
    SDL_Texture *t = real(r, s);
    if (t)
        atomic_fetch_add(&live, 1);
    return t;
}

void SDL_DestroyTexture(SDL_Texture *t)
{
    static void (*real)(SDL_Texture *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "SDL_DestroyTexture");
    if (t)
        atomic_fetch_sub(&live, 1);
    real(t);
}
