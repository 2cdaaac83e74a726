/* present-bench.c — what it costs to keep a ticker moving at 60 Hz, by the
 * way the frame reaches the screen, with nothing else in the program: the
 * evidence behind "present only what changed" (README.md).
 *
 *   present-bench MODE SECONDS       (uses $DISPLAY, full screen)
 *     renderer  SDL_Renderer as SDL picks it (OpenGL, i.e. llvmpipe under
 *               Xvfb): each frame copies the page texture, the header and the
 *               ticker strip, then presents the whole frame — the player's loop
 *     full      the window surface, software only: each frame blits the whole
 *               pre-composed frame and the strip, SDL_UpdateWindowSurface
 *     band      the window surface: each frame blits only the ticker band and
 *               SDL_UpdateWindowSurfaceRects() that band
 * Prints one key=value line: frames per second achieved and this process's
 * CPU (% of one core) from getrusage; the X server's share is measured from
 * outside (bench.sh).  Exit 1 when SDL cannot open the display. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define FPS 60
#define SPEED 120.0     /* px/s, the bench config's ticker_speed */

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* A surface with text-like marks, so blits copy real pixels. */
static SDL_Surface *pattern(int w, int h, Uint32 bg, Uint32 ink)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    SDL_FillRect(s, NULL, bg);
    for (int x = 0; x + 40 < w; x += 48) {
        SDL_Rect r = { x, h / 4, 36, h / 2 };
        SDL_FillRect(s, &r, ink);
    }
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "renderer") && strcmp(argv[1], "full") &&
                      strcmp(argv[1], "band"))) {
        fprintf(stderr, "usage: present-bench renderer|full|band SECONDS\n");
        return 2;
    }
    const char *mode = argv[1];
    double seconds = atof(argv[2]);
    if (strcmp(mode, "renderer"))   /* the software path must not go through GL */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "present-bench: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Window *win = SDL_CreateWindow("present-bench", 0, 0, 1920, 1080,
                                       SDL_WINDOW_FULLSCREEN_DESKTOP);
    if (!win) {
        fprintf(stderr, "present-bench: %s\n", SDL_GetError());
        return 1;
    }
    int w, h;
    SDL_GetWindowSize(win, &w, &h);
    int band_h = (int)(h * 0.07), band_y = h - band_h;
    SDL_Surface *frame = pattern(w, h, 0xFFFBF7F0, 0xFF1F1F1F);
    SDL_Surface *strip = pattern(w * 3, band_h, 0xFF2B2B2B, 0xFFFFFFFF);
    SDL_Renderer *r = NULL;
    SDL_Texture *tframe = NULL, *tstrip = NULL;
    SDL_Surface *ws = NULL;
    if (!strcmp(mode, "renderer")) {
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED);
        tframe = r ? SDL_CreateTextureFromSurface(r, frame) : NULL;
        tstrip = r ? SDL_CreateTextureFromSurface(r, strip) : NULL;
    } else {
        ws = SDL_GetWindowSurface(win);
        if (ws)
            SDL_BlitSurface(frame, NULL, ws, NULL);
    }
    if ((r && (!tframe || !tstrip)) || (!r && !ws)) {
        fprintf(stderr, "present-bench: %s\n", SDL_GetError());
        return 1;
    }
    SDL_RendererInfo info = { .name = "surface" };
    if (r)
        SDL_GetRendererInfo(r, &info);

    Uint64 t0 = SDL_GetTicks64(), frames = 0;
    double c0 = cpu_seconds();
    for (;;) {
        Uint64 now = SDL_GetTicks64();
        if (now - t0 >= (Uint64)(seconds * 1000))
            break;
        SDL_Event ev;
        while (SDL_PollEvent(&ev)) {
        }
        int off = (int)((now - t0) / 1000.0 * SPEED) % (w * 2);
        SDL_Rect src = { off, 0, w, band_h }, band = { 0, band_y, w, band_h };
        if (r) {
            SDL_RenderCopy(r, tframe, NULL, NULL);
            SDL_RenderCopy(r, tstrip, &src, &band);
            SDL_RenderPresent(r);
        } else if (!strcmp(mode, "full")) {
            SDL_BlitSurface(frame, NULL, ws, NULL);
            SDL_BlitSurface(strip, &src, ws, &band);
            SDL_UpdateWindowSurface(win);
        } else {
            SDL_BlitSurface(strip, &src, ws, &band);
            SDL_UpdateWindowSurfaceRects(win, &band, 1);
        }
        frames++;
        Uint64 spent = SDL_GetTicks64() - now;
        if (spent < 1000 / FPS)
            SDL_Delay((Uint32)(1000 / FPS - spent));
    }
    double wall = (SDL_GetTicks64() - t0) / 1000.0;
    printf("mode=%s backend=%s fps=%.1f cpu_pct=%.2f\n", mode, info.name, frames / wall,
           100.0 * (cpu_seconds() - c0) / wall);
    SDL_FreeSurface(frame);
    SDL_FreeSurface(strip);
    if (r)
        SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}
