/* display.c — the window, its renderer and the rotation canvas: opening
 * them fast, presenting whole frames (vsynced) or only what changed on the
 * window surface or a KMS dumb buffer (kms.c), and re-making them after a
 * resize or a lost device. */
#include "player/display.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/log.h"
#include "core/util.h"
#include "player/kms.h"
#include "player/x11err.h"

struct display {
    const struct config *cfg;
    SDL_Window *win;            /* NULL on a KMS screen without GL (kms) */
    struct kms *kms;            /* software frames in a dumb buffer, or NULL */
    SDL_Renderer *r;
    SDL_Texture *canvas;        /* the logical screen when rotated, else NULL */
    int out_w, out_h;           /* renderer output */
    int w, h;                   /* logical (after rotation) */
    Uint32 frame_ms;            /* one refresh, to pace when vsync is missing */
    bool damage;                /* software renderer on the window surface (or
                                 * kms), and only changed rectangles sent */
    bool fullscreen_later;      /* X11: ask for full screen after the first frame */
    SDL_Thread *prefault;       /* touching the new window surface, or NULL */
    bool begun;                 /* a frame was begun */
};

static void drop_canvas(struct display *d)
{
    if (d->canvas)
        SDL_DestroyTexture(d->canvas);
    d->canvas = NULL;
}

/* Output size and rotation → logical size; (re)creates the canvas. */
static bool fit_output(struct display *d)
{
    int ow = 0, oh = 0;
    if (SDL_GetRendererOutputSize(d->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0)
        return false;
    int rot = d->cfg->rotate;
    int w = (rot == 90 || rot == 270) ? oh : ow, h = (rot == 90 || rot == 270) ? ow : oh;
    bool changed = w != d->w || h != d->h;
    d->out_w = ow;
    d->out_h = oh;
    d->w = w;
    d->h = h;
    if (rot && (changed || !d->canvas)) {
        drop_canvas(d);
        d->canvas = SDL_CreateTexture(d->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                      w, h);
        if (!d->canvas) {
            log_error("cannot create a %dx%d canvas for rotation: %s", w, h, SDL_GetError());
            return false;
        }
    }
    return true;
}

/* The window surface is fresh shared memory, and its first write costs a
 * page fault per 4 KB: 2,000 faults, ~4 ms of the first frame on one core.
 * A thread takes them on the other core while fonts, feed and first page
 * are made; it is waited for before anything is drawn there. */
static int prefault_run(void *data)
{
    SDL_Surface *ws = data;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)ws->pixels & ~(page - 1);
    uintptr_t to = (uintptr_t)ws->pixels + (uintptr_t)ws->h * (uintptr_t)ws->pitch;
    madvise((void *)from, to - from, MADV_POPULATE_WRITE);     /* a hint: errors don't matter */
    return 0;
}

static void prefault_wait(struct display *d)
{
    if (d->prefault)
        SDL_WaitThread(d->prefault, NULL);
    d->prefault = NULL;
}

/* Damage mode: a software renderer drawing straight on the window surface,
 * which SDL shows with XShm, rectangle by rectangle.  The surface belongs to
 * the window and is re-created when the window size changes; one made
 * before the first frame is touched ahead (prefault). */
static bool surface_renderer(struct display *d)
{
    /* Otherwise SDL backs the surface with an OpenGL texture whenever GL
     * looks accelerated, and llvmpipe does: whole frames again. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_Surface *ws = SDL_GetWindowSurface(d->win);
    d->r = ws ? SDL_CreateSoftwareRenderer(ws) : NULL;
    if (d->r && !d->begun && ws->pixels)
        d->prefault = SDL_CreateThread(prefault_run, "prefault", ws);
    return d->r != NULL;
}

/* SDL_Init in the C locale.  On X11, SDL opens an input method in the
 * environment's locale, and with LANG=zh_CN.UTF-8 or C.UTF-8 Xlib then
 * parses the 5,700-line UTF-8 Compose table: 6 ms of every start, for
 * typing, which a display that takes no text never does.  Our X error
 * handler goes in first, so that SDL's passes errors on to it (x11err.h). */
static int init_video(void)
{
    const char *was = getenv("LC_ALL");
    char *saved = was ? xstrdup(was) : NULL;
    setenv("LC_ALL", "C", 1);
    x11err_install();
    int rc = SDL_Init(SDL_INIT_VIDEO);
    if (saved)
        setenv("LC_ALL", saved, 1);
    else
        unsetenv("LC_ALL");
    free(saved);
    return rc;
}

/* GL_RENDERER of the renderer's context names Mesa's software drivers:
 * "llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe", "Software Rasterizer".
 * *name: GL_RENDERER, or the renderer's name. */
static bool software_gl(SDL_Renderer *r, char *name, size_t size)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) != 0)
        return false;
    snprintf(name, size, "%s", info.name);
    if (info.flags & SDL_RENDERER_SOFTWARE)
        return true;
    if (strncmp(info.name, "opengl", 6) != 0)
        return false;
    /* The opengl and opengles2 renderers leave their context current. */
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get_string = (get_string_fn)(uintptr_t)SDL_GL_GetProcAddress("glGetString");
    const char *gl = get_string ? (const char *)get_string(0x1F01 /* GL_RENDERER */) : NULL;
    if (!gl)
        return false;
    snprintf(name, size, "%s", gl);
    return strstr(gl, "llvmpipe") || strstr(gl, "softpipe") || strstr(gl, "Software Rasterizer");
}

/* On the console with present = auto: would SDL's renderer get a software
 * GL?  Asked in a child process, with SDL's video shut in the caller:
 * Mesa and LLVM, once loaded, stay mapped and touched (70 MiB more
 * resident in the box test), and the child's exit frees the card for
 * kms_open.  false when it cannot tell (the GL path then decides). */
static bool probe_software_gl(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        log_errno("cannot ask which GL there is");
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        log_errno("cannot ask which GL there is");
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        alarm(60);      /* a GL stuck at start: the player's own start will say */
        char name[128] = "";
        bool soft = false;
        if (init_video() == 0) {
            SDL_Window *w = SDL_CreateWindow("probe", 0, 0, 64, 64, SDL_WINDOW_FULLSCREEN_DESKTOP);
            SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_ACCELERATED) : NULL;
            /* No GL renderer at all: SDL would fall back to its software
             * renderer on whole frames; the dumb buffer does better. */
            if (w && !r)
                snprintf(name, sizeof name, "none (%s)", SDL_GetError());
            soft = w && (!r || software_gl(r, name, sizeof name));
        }
        char msg[160];
        int n = snprintf(msg, sizeof msg, "%c%s", soft ? 'S' : 'H', name);
        ssize_t wr = write(fds[1], msg, (size_t)n);
        (void)wr;
        _exit(0);       /* nothing of SDL's or Mesa's clean-up: the card closes with us */
    }
    close(fds[1]);
    char buf[160];
    size_t got = 0;
    ssize_t n;
    while (got < sizeof buf - 1 && (n = read(fds[0], buf + got, sizeof buf - 1 - got)) != 0) {
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0)
            got += (size_t)n;
    }
    buf[got] = '\0';
    close(fds[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    if (got < 2) {
        log_warn("could not learn which GL there is: trying SDL's renderer");
        return false;
    }
    log_info("GL renderer: %s%s", buf + 1,
             buf[0] == 'S' ? " (software): drawing in software" : "");
    return buf[0] == 'S';
}

/* KMS without a GPU: SDL's video (and with it the DRM card and llvmpipe)
 * is shut down, its events kept, and frames are drawn in software and
 * copied into a dumb buffer, only what changed (kms.c).  llvmpipe composed
 * every frame whole on both cores: 190 % of a vCPU and 156 MiB in the box
 * test (tests/box), for a ticker band. */
static bool open_kms(struct display *d)
{
    SDL_InitSubSystem(SDL_INIT_EVENTS);     /* SIGTERM → SDL_QUIT, after video goes */
    if (d->r)
        SDL_DestroyRenderer(d->r);
    d->r = NULL;
    if (d->win)
        SDL_DestroyWindow(d->win);
    d->win = NULL;
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    d->kms = kms_open();
    d->r = d->kms ? SDL_CreateSoftwareRenderer(kms_surface(d->kms)) : NULL;
    if (!d->r) {
        kms_close(d->kms);
        d->kms = NULL;
        return false;
    }
    d->damage = true;
    d->frame_ms = (Uint32)(1000 / kms_refresh_hz(d->kms));
    if (!fit_output(d))
        return false;
    log_info("playing on %dx%d (layout %dx%d, rotate %d, %d Hz, renderer software, only "
             "changes presented, DRM dumb buffer: %s)",
             d->out_w, d->out_h, d->w, d->h, d->cfg->rotate, kms_refresh_hz(d->kms),
             kms_name(d->kms));
    return true;
}

static bool open_window(struct display *d, int w, int h, bool try_kms)
{
    if (init_video() != 0) {
        log_error("cannot open the display: %s", SDL_GetError());
        return false;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    bool x11 = driver && !strcmp(driver, "x11");
    /* Only full screen: a window size is for trying things on a desktop. */
    bool kmsdrm = try_kms && w <= 0 && driver && !SDL_strcasecmp(driver, "kmsdrm"); /* "KMSDRM" */
    if (kmsdrm && d->cfg->present != PRESENT_FULL) {
        bool soft = d->cfg->present == PRESENT_DAMAGE;
        if (!soft) {
            SDL_Quit();
            soft = probe_software_gl();
            if (!soft && init_video() != 0) {
                log_error("cannot open the display: %s", SDL_GetError());
                return false;
            }
        }
        if (soft) {
            if (open_kms(d))
                return true;
            log_warn("cannot draw into a DRM dumb buffer: presenting whole frames");
            return open_window(d, w, h, false);
        }
    }
    Uint32 flags = w > 0 ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    if (w <= 0) {
        SDL_DisplayMode dm;
        w = SDL_GetDesktopDisplayMode(0, &dm) == 0 ? dm.w : 1920;
        h = SDL_GetDesktopDisplayMode(0, &dm) == 0 ? dm.h : 1080;
        /* SDL's X11 driver then waits up to 100 ms for the window manager
         * to move or resize the window, and a window already the size of
         * the screen never moves: 100 ms of black at every start.  So the
         * window opens borderless over the whole screen and asks for full
         * screen once the first frame is up (the wait then costs nothing
         * anyone sees).  KMSDRM has no window manager and no wait. */
        SDL_Rect b;
        if (x11 && SDL_GetDisplayBounds(0, &b) == 0) {
            x = b.x;
            y = b.y;
            w = b.w;
            h = b.h;
            flags = SDL_WINDOW_BORDERLESS;
            d->fullscreen_later = true;
        }
    }
    d->win = SDL_CreateWindow("Noticeboard", x, y, w, h, flags);
    if (!d->win) {
        log_error("cannot create a %dx%d window: %s", w, h, SDL_GetError());
        return false;
    }
    d->damage = d->cfg->present == PRESENT_DAMAGE || (d->cfg->present == PRESENT_AUTO && x11);
    if (d->damage && !surface_renderer(d)) {
        log_warn("cannot draw on the window surface (%s): presenting whole frames",
                 SDL_GetError());
        d->damage = false;
    }
    if (!d->damage)
        d->r = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_ACCELERATED |
                                                  SDL_RENDERER_PRESENTVSYNC |
                                                  SDL_RENDERER_TARGETTEXTURE);
    if (!d->r) {
        log_warn("no accelerated renderer (%s): using the software renderer", SDL_GetError());
        d->r = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!d->r) {
        log_error("cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    SDL_DisplayMode dm;
    int hz = SDL_GetCurrentDisplayMode(0, &dm) == 0 && dm.refresh_rate > 0 ? dm.refresh_rate : 60;
    d->frame_ms = (Uint32)(1000 / hz);
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->r, &info);
    if (!fit_output(d))
        return false;
    log_info("playing on %dx%d (layout %dx%d, rotate %d, %d Hz, renderer %s%s%s)", d->out_w,
             d->out_h, d->w, d->h, d->cfg->rotate, hz, info.name,
             info.flags & SDL_RENDERER_PRESENTVSYNC ? ", vsync" : "",
             d->damage ? ", only changes presented" : "");
    return true;
}

struct display *display_open(const struct config *cfg, int w, int h)
{
    struct display *d = xcalloc(1, sizeof *d);
    d->cfg = cfg;
    if (!open_window(d, w, h, true)) {
        display_close(d);
        return NULL;
    }
    return d;
}

void display_close(struct display *d)
{
    if (!d)
        return;
    prefault_wait(d);
    drop_canvas(d);
    if (d->r)
        SDL_DestroyRenderer(d->r);
    kms_close(d->kms);
    if (d->win)
        SDL_DestroyWindow(d->win);
    SDL_Quit();
    free(d);
}

SDL_Renderer *display_renderer(const struct display *d)
{
    return d->r;
}

void display_size(const struct display *d, int *w, int *h)
{
    *w = d->w;
    *h = d->h;
}

Uint32 display_frame_ms(const struct display *d)
{
    return d->frame_ms;
}

bool display_damage(const struct display *d)
{
    return d->damage;
}

bool display_rotated(const struct display *d)
{
    return d->canvas != NULL;
}

void display_begin(struct display *d, const SDL_Rect *clip)
{
    prefault_wait(d);
    d->begun = true;
    SDL_SetRenderTarget(d->r, d->canvas);
    SDL_RenderSetClipRect(d->r, clip);
}

void display_present(struct display *d, const SDL_Rect *rects, int n)
{
    if (d->canvas) {
        SDL_SetRenderTarget(d->r, NULL);
        SDL_SetRenderDrawColor(d->r, 0, 0, 0, 255);
        SDL_RenderClear(d->r);
        SDL_Rect dst = { (d->out_w - d->w) / 2, (d->out_h - d->h) / 2, d->w, d->h };
        SDL_RenderCopyEx(d->r, d->canvas, NULL, &dst, d->cfg->rotate, NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(d->r);
    if (d->kms) {
        SDL_RenderSetClipRect(d->r, NULL);
        kms_present(d->kms, rects, n);
    } else if (d->damage) {
        SDL_RenderSetClipRect(d->r, NULL);
        if (n > 0)
            SDL_UpdateWindowSurfaceRects(d->win, rects, n);
        else
            SDL_UpdateWindowSurface(d->win);
    }
}

void display_first_frame_done(struct display *d)
{
    if (!d->fullscreen_later)
        return;
    d->fullscreen_later = false;
    if (SDL_SetWindowFullscreen(d->win, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
        log_warn("cannot go full screen: %s", SDL_GetError());
}

enum display_rebuild display_rebuild(struct display *d, bool resized, bool *new_renderer,
                                     bool *new_size)
{
    *new_renderer = false;
    *new_size = false;
    if (!resized || d->damage)
        drop_canvas(d);
    if (resized && d->damage && !d->kms) {
        /* The old window surface is gone, and with it the renderer. */
        prefault_wait(d);
        SDL_DestroyRenderer(d->r);
        if (!surface_renderer(d)) {
            log_error("cannot draw on the resized window: %s", SDL_GetError());
            return DISPLAY_LOST;
        }
        *new_renderer = true;
    }
    int w = d->w, h = d->h;
    if (!fit_output(d))
        return DISPLAY_KEPT;
    if (d->w != w || d->h != h) {
        log_info("display is now %dx%d (layout %dx%d)", d->out_w, d->out_h, d->w, d->h);
        *new_size = true;
    }
    return DISPLAY_REBUILT;
}
