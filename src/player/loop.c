/* loop.c — the player's main loop.  It sleeps in SDL_WaitEventTimeout until
 * the next deadline (page change, 1 s poll of the feed, the clock and the
 * sync state) and renders at the display refresh with vsync only while
 * something moves (ticker, crossfade).  Durations use the monotonic clock;
 * the wall clock only names the moment for the schedule and the header,
 * and a jump of it re-plans. */
#include "player/loop.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/clock.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/now.h"
#include "core/schedule.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "player/font.h"
#include "player/notify.h"
#include "player/power.h"
#include "player/render.h"
#include "player/scene.h"
#include "player/testmode.h"

#define POLL_MS 1000
#define JUMP_S 120              /* wall vs monotonic gap that counts as a jump */
#define OVERLAY_MS 15000
#define PREPARE_MS 500          /* the next page is rasterised this long before its turn */
#define LAYOUT_SLACK_MS 4       /* of a frame's pause, left free when laying out */
#define LAYOUT_STILL_MS 50      /* layout per turn of the loop when nothing moves */
#define BUSY_STALE_S 600        /* a "busy" older than this is a sync that died */
#define SYNC_STATE "last-sync.txt"

struct player {
    const struct config *cfg;
    struct store store;
    SDL_Window *win;
    SDL_Renderer *r;
    struct fonts *fonts;
    struct scene *scene;
    SDL_Texture *canvas;        /* the logical screen when rotated, else NULL */
    int out_w, out_h;           /* renderer output */
    int w, h;                   /* logical (after rotation) */
    Uint32 frame_ms;            /* one refresh, to pace when vsync is missing */
    bool damage;                /* software renderer on the window surface, and
                                 * only changed rectangles sent to the screen */
    bool fullscreen_later;      /* X11: ask for full screen after the first frame */
    SDL_Thread *prefault;       /* touching the new window surface, or NULL */

    /* Content */
    struct feed *feed;
    struct feed_content *c;
    struct store_id live, failed;
    struct plan plan;
    bool have_plan;
    struct sched_opts opts;

    /* Clock */
    int64_t minute;             /* civil minute shown */
    Uint64 wall_ref_s, mono_ref_ms;
    bool unsure;
    int64_t last_good, last_saved;

    /* Playback */
    size_t step;
    Uint64 step_at;             /* monotonic ms the step began */
    SDL_Texture *page, *prev;
    bool page_direct;           /* page is NULL: the first frame draws it
                                 * straight onto the screen */
    SDL_Texture *next;          /* the next step's page, rasterised ahead, or NULL */
    bool next_ready;            /* drawn (else only made, blank) */
    bool next_ahead;            /* its images decoded ahead (or it has none) */
    size_t next_step;
    int64_t next_minute;        /* the minute it was drawn for */
    bool page_stale;            /* page shows the time of day and the minute moved */
    unsigned long frames;       /* frames drawn, for crossfade steps at half rate */
    double area_fade;           /* damage mode: how far the crossfade the slide
                                 * area on the window surface is, or -1 */
    Uint64 fade_at;
    Uint64 ticker_at;
    bool dirty;                 /* a frame must be drawn */

    /* Sync overlay */
    struct timespec sync_mtime;
    Uint64 overlay_until;       /* monotonic ms; 0 with overlay_on = until changed */
    bool overlay_on;

    struct power power;         /* screen_off / screen_on around quiet hours */
};

/* SIGTERM (systemd stop) and SIGINT end the loop within a second, through
 * the normal teardown; our own handler, so this does not depend on SDL's
 * SDL_HINT_NO_SIGNAL_HANDLERS default. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void catch_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

/* The one time source for durations: SDL's ticks, run fast in test mode. */
static Uint64 mono_ms(void)
{
    return testmode_mono_ms();
}

/* ---------------------------------------------------------------- pages */

static void drop_texture(SDL_Texture **t)
{
    if (*t)
        SDL_DestroyTexture(*t);
    *t = NULL;
}

/* Pages that show the time of day: the idle clock, 进行中 badges. */
static bool minute_bound(const struct player *p, size_t step)
{
    return scene_is_idle(p->scene) || strcmp(scene_step_kind(p->scene, step), "events") == 0;
}

/* More than one step: the loop moves on (slides not laid out yet count). */
static bool loops(const struct player *p)
{
    return scene_steps(p->scene) > 1 || scene_unfinished(p->scene);
}

/* Shows step i, from the page prepared ahead when there is one for it, else
 * rasterised now; the old page fades out under it. */
static void show_step(struct player *p, size_t i, bool fade)
{
    if (i >= scene_steps(p->scene))
        i = 0;
    SDL_Texture *t;
    p->page_direct = false;
    if (p->next && p->next_ready && p->next_step == i) {
        t = p->next;
        p->next = NULL;
        /* Drawn in the minute before: shown now, redrawn between frames. */
        p->page_stale = p->next_minute != p->minute && minute_bound(p, i);
    } else {
        p->page_stale = false;
        drop_texture(&p->next);
        /* The first frame draws its page straight onto the screen; the
         * texture is made after it is up (make_first_page). */
        p->page_direct = p->frames == 0;
        t = p->page_direct ? NULL : scene_page(p->scene, i, p->minute);
    }
    drop_texture(&p->prev);
    if (fade && p->page && p->cfg->fade_ms > 0) {
        p->prev = p->page;
        p->fade_at = mono_ms();
    } else {
        drop_texture(&p->page);
    }
    p->page = t;
    p->step = i;
    p->step_at = mono_ms();
    p->dirty = true;
}

/* The first frame's page was drawn straight onto the screen; the frames
 * after it copy it from a texture, made now (the first frame is up). */
static bool make_first_page(struct player *p)
{
    if (!p->page_direct)
        return false;
    p->page_direct = false;
    p->page = scene_page(p->scene, p->step, p->minute);
    return true;
}

/* Redraws a page that shows the time of day after the minute moved; true
 * when it did (one page per pause between frames is enough). */
static bool refresh_page(struct player *p)
{
    if (!p->page_stale)
        return false;
    p->page_stale = false;
    SDL_Texture *t = scene_page(p->scene, p->step, p->minute);
    if (!t)
        return false;
    drop_texture(&p->page);
    p->page = t;
    p->dirty = true;
    return true;
}

/* Rasterising a page takes 5-20 ms, more than a frame: done at the change
 * of slide, it held the ticker still for a frame or two.  So the next page
 * is drawn ahead, once the fade is over and shortly before its turn (two
 * pages are then held for a moment, not for the whole slide), in the time
 * between two frames that the loop would otherwise sleep. */
static void prepare_next(struct player *p)
{
    if ((p->next && p->next_ready) || p->prev || p->plan.quiet || scene_steps(p->scene) < 2 ||
        scene_unfinished(p->scene))
        return;
    Uint64 due = p->step_at + (Uint64)scene_step_seconds(p->scene, p->step) * 1000u;
    if (mono_ms() + PREPARE_MS < due)
        return;
    p->next_step = (p->step + 1) % scene_steps(p->scene);
    p->next_minute = p->minute;
    /* In two or three pauses, each under a frame: the texture, the images
     * (when the page has any), then the drawing. */
    if (!p->next) {
        p->next = scene_page_texture(p->scene);
        p->next_ready = false;
        p->next_ahead = false;
        return;
    }
    if (!p->next_ahead) {
        p->next_ahead = true;
        if (scene_page_ahead(p->scene, p->next_step))
            return;
    }
    p->next_ready = scene_page_draw(p->scene, p->next, p->next_step, p->minute);
}

/* ---------------------------------------------------------------- content */

static bool same_id(struct store_id a, struct store_id b)
{
    return a.dev == b.dev && a.ino == b.ino;
}

/* Opens DATA/feed.db into *f (NULL on failure, with *why) and returns the
 * identity of the file that was opened, zero when there is none.
 *
 * SQLite opens the feed by path, so the identity cannot be stat()ed before
 * the open: an activation renaming a new feed over feed.db in between paired
 * the old file's identity with the new file's content, and the next poll
 * took the same new feed for another one (loaded twice, with an extra
 * crossfade).  So the identity comes from a descriptor of our own (fstat),
 * and the path must still name that file once SQLite has opened it: then
 * SQLite opened that file too.  Otherwise an activation landed in between
 * and the open is repeated; should the feed keep changing, the last open is
 * kept and the next poll simply loads the newest. */
static struct store_id open_live(const struct store *st, struct feed **f, char **why)
{
    struct store_id id = { 0, 0 };
    *f = NULL;
    *why = NULL;
    for (int attempt = 0; attempt < 3; attempt++) {
        feed_close(*f);
        *f = NULL;
        free(*why);
        *why = NULL;
        int fd = open(st->feed, O_RDONLY | O_CLOEXEC);
        struct stat held, named;
        if (fd < 0 || fstat(fd, &held) != 0) {
            if (fd >= 0)
                close(fd);
            return (struct store_id){ 0, 0 };
        }
        id = (struct store_id){ held.st_dev, held.st_ino };
        *f = feed_open(st->feed, why);
        bool same = stat(st->feed, &named) == 0 && named.st_dev == held.st_dev &&
                    named.st_ino == held.st_ino;
        close(fd);
        if (same)
            break;
    }
    return id;
}

/* Loads the live feed into *c / *f.  false (logged once per file) when
 * there is none or it cannot be used. */
static bool load_live(struct player *p, struct feed_content **c, struct feed **f)
{
    char *why = NULL;
    struct store_id id = open_live(&p->store, f, &why);
    p->live = id;
    if (id.dev == 0 && id.ino == 0)
        return false;
    *c = *f ? feed_load(*f) : NULL;
    if (!*c) {
        if (!same_id(id, p->failed))
            log_error("cannot use the feed %s (%s): keeping what plays", p->store.feed,
                      why ? why : "read error");
        p->failed = id;
        free(why);
        feed_close(*f);
        *f = NULL;
        return false;
    }
    log_info("feed version %lld: %zu announcements, %zu events, %zu rolls, %zu ticker items",
             (long long)(*c)->feed_version, (*c)->nann, (*c)->nevents, (*c)->nrolls,
             (*c)->nticker);
    return true;
}

static bool has_urgent(const struct plan *pl, size_t index)
{
    for (size_t i = 0; i < pl->nslides; i++)
        if (pl->slides[i].kind == SLIDE_URGENT && pl->slides[i].index == index)
            return true;
    return false;
}

/* Computes the plan for now; when the loop changed, lays the scene out again
 * and goes on with the same slide where it still plays, or with an urgent
 * notice that just became active (it interrupts at once). */
static void replan(struct player *p, bool new_content)
{
    struct plan np;
    schedule_at(p->c, &p->opts, p->minute, &np);
    if (!new_content && p->have_plan && np.quiet == p->plan.quiet && plan_same(&p->plan, &np)) {
        plan_free(&p->plan);
        p->plan = np;           /* same loop, new `until` */
        return;
    }
    if (!p->have_plan || np.quiet != p->plan.quiet)
        log_info(np.quiet ? "quiet hours: screen blank" : "playing %zu slides", np.nslides);
    else
        log_info("loop changed: %zu slides", np.nslides);

    struct slide_ref cur = { 0 };
    bool had_cur = false;
    if (p->have_plan && !new_content && scene_step_ref(p->scene, p->step)) {
        cur = *scene_step_ref(p->scene, p->step);
        had_cur = true;
    }
    drop_texture(&p->next);     /* drawn from the scene about to be replaced */
    struct plan old = p->plan;
    bool had_plan = p->have_plan;
    p->plan = np;
    p->have_plan = true;
    /* New content starts at its first slide.  A changed loop goes on with
     * an urgent notice that just became active, else with the slide that
     * was playing: the loop is begun there (it is a circle), and only that
     * slide is laid out now, the rest in the pauses between frames (a loop
     * of 355 slides took 1.2 s in one go). */
    size_t first = 0;
    bool found = false;
    for (size_t i = 0; i < p->plan.nslides && !new_content && !found; i++) {
        const struct slide_ref *r = &p->plan.slides[i];
        if (r->kind == SLIDE_URGENT && !(had_plan && has_urgent(&old, r->index))) {
            first = i;
            found = true;
        }
    }
    for (size_t i = 0; i < p->plan.nslides && had_cur && !found; i++) {
        const struct slide_ref *r = &p->plan.slides[i];
        if (r->kind == cur.kind && r->index == cur.index) {
            first = i;
            found = true;
        }
    }
    scene_begin_at(p->scene, p->c, p->feed, &p->plan, p->minute, first);
    /* The ticker runs on unless its items changed: a restart would make
     * the text jump back for nothing. */
    bool same_ticker = had_plan && !new_content && old.nticker == p->plan.nticker &&
                       (!old.nticker || memcmp(old.ticker, p->plan.ticker,
                                               old.nticker * sizeof *old.ticker) == 0);
    if (!same_ticker)
        p->ticker_at = mono_ms();
    /* Into or out of quiet hours the screen was or goes black: a fade from
     * the page before (kept, unseen, through the night) would flash it. */
    bool fade = !(had_plan && old.quiet != p->plan.quiet);
    if (had_plan)
        plan_free(&old);
    show_step(p, 0, fade);
}

/* Checks DATA/feed.db's identity; a new file is opened and shown at once. */
static void poll_feed(struct player *p)
{
    struct store_id id = store_live_id(&p->store);
    if (same_id(id, p->live))
        return;
    struct feed_content *c = NULL;
    struct feed *f = NULL;
    if (!load_live(p, &c, &f))
        return;
    struct feed_content *old_c = p->c;
    struct feed *old_f = p->feed;
    p->c = c;
    p->feed = f;
    testmode_count(TM_FEED_SWITCH);
    replan(p, true);           /* the scene lets go of the old content here */
    content_destroy(old_c);
    feed_close(old_f);
}

/* ---------------------------------------------------------------- clock */

static void judge_clock(struct player *p, bool *changed)
{
    bool unsure = clock_judge(p->minute, p->c->created, p->last_good) == CLOCK_UNSURE;
    if (unsure != p->unsure) {
        log_warn(unsure ? "clock looks wrong (before the feed or the last good time): playing "
                          "date-free items only"
                        : "clock trusted again");
        p->unsure = unsure;
        p->opts.clock_unsure = unsure;
        *changed = true;
    }
    /* Without a feed there is nothing date-bound to protect, and a fresh
     * box may not even have DATA/state yet. */
    if (!unsure && p->c->created != CLOCK_NONE && clock_should_save(p->minute, p->last_saved)) {
        clock_save_last_good(&p->store, p->minute);
        p->last_saved = p->minute;  /* even on failure: do not retry every second */
    }
}

/* Once a second: the minute, a jump of the wall clock, the plan's end. */
static void tick_clock(struct player *p)
{
    int sec = 0;
    int64_t m = testmode_now(&sec);
    Uint64 wall = (Uint64)m * 60u + (Uint64)sec, mono = mono_ms();
    long long gap = (long long)(wall - p->wall_ref_s) - (long long)((mono - p->mono_ref_ms) / 1000);
    bool jumped = p->mono_ref_ms && (gap > JUMP_S || gap < -JUMP_S);
    if (jumped)
        log_info("wall clock jumped by %lld s: planning again", gap);
    p->wall_ref_s = wall;
    p->mono_ref_ms = mono;
    if (m == p->minute && !jumped)
        return;
    p->minute = m;
    bool changed = jumped;
    judge_clock(p, &changed);
    if (changed || m >= p->plan.until)
        replan(p, false);
    /* In quiet hours the screen is black: no clock to redraw, and the
     * page is made afresh when they end (replan). */
    if (p->plan.quiet)
        return;
    p->dirty = true;                /* the header's clock */
    /* Redrawn after the next frame, in the pause before the one after,
     * like a page prepared ahead: not here, before a frame is due. */
    if (minute_bound(p, p->step))
        p->page_stale = true;
}

/* ---------------------------------------------------------------- sync overlay */

static void poll_sync(struct player *p, bool startup)
{
    char *path = xasprintf("%s/%s", p->store.state, SYNC_STATE);
    struct stat st;
    if (stat(path, &st) != 0) {
        free(path);
        return;
    }
    if (st.st_mtim.tv_sec == p->sync_mtime.tv_sec && st.st_mtim.tv_nsec == p->sync_mtime.tv_nsec) {
        free(path);
        return;
    }
    p->sync_mtime = st.st_mtim;
    if (startup) {                  /* an old result: not news */
        free(path);
        return;
    }
    char *text = read_file(path, 4096, NULL);
    free(path);
    if (!text)
        return;
    char *nl = strchr(text, '\n');
    char *second = nl ? nl + 1 : (char *)"";
    if (nl)
        *nl = 0;
    char *end = strchr(second, '\n');
    if (end)
        *end = 0;
    char *msg = NULL;
    Uint64 until = 0;
    int pct = 0;
    if (strncmp(text, "busy", 4) == 0) {
        pct = atoi(text + 4);
        if (pct < 0 || pct > 100)
            pct = 0;
        msg = xasprintf("正在更新内容… %d%%", pct);
    } else if (strncmp(text, "ok", 2) == 0) {
        msg = xstrdup(second[0] ? second : "更新成功");
        until = mono_ms() + OVERLAY_MS;
    } else if (strncmp(text, "fail", 4) == 0) {
        msg = xstrdup("更新失败：见U盘中的报告");
        until = mono_ms() + OVERLAY_MS;
    }
    if (msg) {
        log_info("sync state: %s", text);
        scene_set_overlay(p->scene, msg);
        p->overlay_on = true;
        p->overlay_until = until;
        p->dirty = true;
    }
    free(msg);
    free(text);
}

static void expire_overlay(struct player *p, Uint64 now)
{
    if (!p->overlay_on)
        return;
    bool stale_busy = !p->overlay_until && now_real_unix() - p->sync_mtime.tv_sec > BUSY_STALE_S;
    if ((p->overlay_until && now >= p->overlay_until) || stale_busy) {
        scene_set_overlay(p->scene, NULL);
        p->overlay_on = false;
        p->overlay_until = 0;   /* a past deadline would make every wait 0 ms */
        p->dirty = true;
    }
}

/* ---------------------------------------------------------------- display */

/* Output size and rotation → logical size; (re)creates the canvas. */
static bool fit_output(struct player *p)
{
    int ow = 0, oh = 0;
    if (SDL_GetRendererOutputSize(p->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0)
        return false;
    int rot = p->cfg->rotate;
    int w = (rot == 90 || rot == 270) ? oh : ow, h = (rot == 90 || rot == 270) ? ow : oh;
    bool changed = w != p->w || h != p->h;
    p->out_w = ow;
    p->out_h = oh;
    p->w = w;
    p->h = h;
    if (rot && (changed || !p->canvas)) {
        drop_texture(&p->canvas);
        p->canvas = SDL_CreateTexture(p->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                      w, h);
        if (!p->canvas) {
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

static void prefault_wait(struct player *p)
{
    if (p->prefault)
        SDL_WaitThread(p->prefault, NULL);
    p->prefault = NULL;
}

/* Damage mode: a software renderer drawing straight on the window surface,
 * which SDL shows with XShm, rectangle by rectangle.  The surface belongs to
 * the window and is re-created when the window size changes. */
static bool surface_renderer(struct player *p)
{
    /* Otherwise SDL backs the surface with an OpenGL texture whenever GL
     * looks accelerated, and llvmpipe does: whole frames again. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_Surface *ws = SDL_GetWindowSurface(p->win);
    p->r = ws ? SDL_CreateSoftwareRenderer(ws) : NULL;
    if (p->r && p->frames == 0 && ws->pixels)
        p->prefault = SDL_CreateThread(prefault_run, "prefault", ws);
    return p->r != NULL;
}

/* Size changed or textures lost: everything is rebuilt from the laid-out
 * state (content and plan are untouched). */
static void rebuild(struct player *p, bool resized)
{
    drop_texture(&p->page);
    drop_texture(&p->prev);
    drop_texture(&p->next);
    if (!resized || p->damage)
        drop_texture(&p->canvas);
    scene_invalidate(p->scene);
    if (resized && p->damage) {
        /* The old window surface is gone, and with it the renderer. */
        prefault_wait(p);
        SDL_DestroyRenderer(p->r);
        if (!surface_renderer(p)) {
            log_error("cannot draw on the resized window: %s", SDL_GetError());
            stop_requested = 1;     /* systemd restarts us on a fresh surface */
            return;
        }
        scene_set_renderer(p->scene, p->r);
    }
    int w = p->w, h = p->h;
    if (!fit_output(p))
        return;
    if (p->w != w || p->h != h) {
        log_info("display is now %dx%d (layout %dx%d)", p->out_w, p->out_h, p->w, p->h);
        scene_resize(p->scene, p->w, p->h);
    }
    show_step(p, p->step, false);
}

/* In damage mode, when only the ticker moves, the frame is drawn clipped to
 * the ticker band and only that band goes to the screen: a 1920x76 strip
 * instead of the whole 8 MB frame, sixty times a second.  A crossfade step
 * adds the slide area, which lies on the band: one rectangle, and the
 * header stays as it is. */
static bool band_only(const struct player *p, bool fade_step, SDL_Rect *band)
{
    if (!p->damage || p->dirty || p->canvas || p->plan.quiet)
        return false;
    *band = scene_ticker_rect(p->scene);
    if (fade_step) {
        SDL_Rect area = scene_area_rect(p->scene);
        if (band->w > 0 && band->h > 0)
            SDL_UnionRect(&area, band, &area);
        *band = area;
    }
    return band->w > 0 && band->h > 0;
}

/* Milliseconds from `since` to `now`, 0 when `since` is later.  The loop
 * reads its clock once per turn (`now`) and then may start a fade or the
 * ticker (show_step, replan) with a fresh mono_ms(), a few ms later: an
 * unsigned now - since then wrapped to ~2^64, which ended every crossfade
 * on its first frame and threw the ticker to a random offset for a frame. */
static Uint64 elapsed_ms(Uint64 now, Uint64 since)
{
    return now > since ? now - since : 0;
}

/* The page a crossfade step draws the new one over, and at what opacity
 * (*fade, in and out).  In damage mode a step continues from what the
 * window surface shows: blending the new page over the last step at the
 * right opacity gives the same picture as the old page copied and the new
 * one blended at `fade`, without the 7 MB copy; then NULL is returned.
 * a = 1 - (1 - fade) / (1 - shown), and `shown` (p->area_fade) is kept as
 * the 8-bit opacity really used, so rounding does not add up.  Not under
 * the sync overlay, which would be blended into the area. */
static SDL_Texture *fade_source(struct player *p, bool partial, bool fade_step, double *fade)
{
    SDL_Texture *under = p->prev;
    double shown = -1;
    if (p->prev && p->damage && !p->canvas && !p->plan.quiet) {
        double f = *fade;
        if (partial && fade_step && p->area_fade >= 0 && p->area_fade < f && !p->overlay_on) {
            under = NULL;
            f = 1.0 - (1.0 - f) / (1.0 - p->area_fade);
        }
        f = lround(f * 255) / 255.0;
        *fade = f;
        shown = under ? f : 1.0 - (1.0 - p->area_fade) * (1.0 - f);
        if (partial && !fade_step)
            shown = p->area_fade;   /* the area is not drawn this frame */
    }
    p->area_fade = shown;
    return under;
}

static void draw_frame(struct player *p, Uint64 now)
{
    prefault_wait(p);
    /* In damage mode a crossfade steps at half the refresh rate: thirty
     * steps a second are smooth for a change of slide seen from across a
     * lobby, and each step costs the software path a 7 MB copy and blend.
     * With the ticker, the frames in between carry the ticker band alone;
     * without it the loop paces fades at 30 Hz.  The step that ends the
     * fade is always drawn. */
    double fade = 1.0;
    bool fade_step = false;
    if (p->prev && !p->plan.quiet) {
        fade = (double)elapsed_ms(now, p->fade_at) / p->cfg->fade_ms;
        fade_step = !p->damage || !scene_has_ticker(p->scene) || (p->frames & 1) == 0 ||
                    fade >= 1.0;
        if (fade >= 1.0) {
            drop_texture(&p->prev);
            fade = 1.0;
        }
    }
    p->frames++;
    SDL_Rect band;
    bool partial = band_only(p, fade_step, &band);
    SDL_Texture *under = fade_source(p, partial, fade_step, &fade);
    SDL_SetRenderTarget(p->r, p->canvas);
    SDL_RenderSetClipRect(p->r, partial ? &band : NULL);
    if (p->plan.quiet) {
        SDL_SetRenderDrawColor(p->r, 0, 0, 0, 255);
        SDL_RenderClear(p->r);
    } else {
        /* The ticker starts with its first item at the margin, readable at
         * once, rather than entering from the right edge over a band left
         * empty for seconds. */
        double scrolled = scene_ticker_still(p->scene) +
                          (double)elapsed_ms(now, p->ticker_at) / 1000.0 *
                          scene_ticker_speed(p->scene, p->cfg->ticker_speed);
        if (p->page_direct)
            scene_compose_step(p->scene, p->step, scrolled, p->minute, p->unsure);
        else
            scene_compose(p->scene, p->page, under, fade, scrolled, p->minute, p->unsure);
    }
    if (p->canvas) {
        SDL_SetRenderTarget(p->r, NULL);
        SDL_SetRenderDrawColor(p->r, 0, 0, 0, 255);
        SDL_RenderClear(p->r);
        SDL_Rect dst = { (p->out_w - p->w) / 2, (p->out_h - p->h) / 2, p->w, p->h };
        SDL_RenderCopyEx(p->r, p->canvas, NULL, &dst, p->cfg->rotate, NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(p->r);
    if (p->damage) {
        SDL_RenderSetClipRect(p->r, NULL);
        SDL_Rect tick = scene_ticker_rect(p->scene);
        if (partial && fade_step && tick.w > 0 && tick.h > 0) {
            /* The ticker band first: the X server shows it before it
             * copies the 7 MB of the fade step, so the ticker keeps time. */
            SDL_Rect rects[2] = { tick, scene_area_rect(p->scene) };
            SDL_UpdateWindowSurfaceRects(p->win, rects, 2);
        } else if (partial) {
            SDL_UpdateWindowSurfaceRects(p->win, &band, 1);
        } else
            SDL_UpdateWindowSurface(p->win);
    }
    p->dirty = false;
}

static bool moving(const struct player *p)
{
    return !p->plan.quiet && (p->prev || scene_has_ticker(p->scene));
}

/* SDL_Init in the C locale.  On X11, SDL opens an input method in the
 * environment's locale, and with LANG=zh_CN.UTF-8 or C.UTF-8 Xlib then
 * parses the 5,700-line UTF-8 Compose table: 6 ms of every start, for
 * typing, which a display that takes no text never does. */
static int init_video(void)
{
    const char *was = getenv("LC_ALL");
    char *saved = was ? xstrdup(was) : NULL;
    setenv("LC_ALL", "C", 1);
    int rc = SDL_Init(SDL_INIT_VIDEO);
    if (saved)
        setenv("LC_ALL", saved, 1);
    else
        unsetenv("LC_ALL");
    free(saved);
    return rc;
}

static bool open_display(struct player *p, int w, int h)
{
    if (init_video() != 0) {
        log_error("cannot open the display: %s", SDL_GetError());
        return false;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    bool x11 = driver && !strcmp(driver, "x11");
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
            p->fullscreen_later = true;
        }
    }
    p->win = SDL_CreateWindow("Noticeboard", x, y, w, h, flags);
    if (!p->win) {
        log_error("cannot create a %dx%d window: %s", w, h, SDL_GetError());
        return false;
    }
    p->damage = p->cfg->present == PRESENT_DAMAGE ||
                (p->cfg->present == PRESENT_AUTO && x11);
    if (p->damage && !surface_renderer(p)) {
        log_warn("cannot draw on the window surface (%s): presenting whole frames",
                 SDL_GetError());
        p->damage = false;
    }
    if (!p->damage)
        p->r = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED |
                                                  SDL_RENDERER_PRESENTVSYNC |
                                                  SDL_RENDERER_TARGETTEXTURE);
    if (!p->r) {
        log_warn("no accelerated renderer (%s): using the software renderer", SDL_GetError());
        p->r = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!p->r) {
        log_error("cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    SDL_DisplayMode dm;
    int hz = SDL_GetCurrentDisplayMode(0, &dm) == 0 && dm.refresh_rate > 0 ? dm.refresh_rate : 60;
    p->frame_ms = (Uint32)(1000 / hz);
    SDL_RendererInfo info;
    SDL_GetRendererInfo(p->r, &info);
    if (!fit_output(p))
        return false;
    log_info("playing on %dx%d (layout %dx%d, rotate %d, %d Hz, renderer %s%s%s)", p->out_w,
             p->out_h, p->w, p->h, p->cfg->rotate, hz, info.name,
             info.flags & SDL_RENDERER_PRESENTVSYNC ? ", vsync" : "",
             p->damage ? ", only changes presented" : "");
    return true;
}

/* ---------------------------------------------------------------- loop */

/* Test hook for the watchdog: while DATA/state/test-freeze exists the loop
 * stands still, as a hung loop would, so the watchdog pings stop and
 * systemd would restart us.  Checked once a second with the feed poll. */
static void freeze_for_tests(struct player *p)
{
    char *path = xasprintf("%s/test-freeze", p->store.state);
    struct stat st;
    while (!stop_requested && stat(path, &st) == 0)
        SDL_Delay(50);
    free(path);
}

static Uint64 next_deadline(const struct player *p, Uint64 last_poll)
{
    Uint64 next = last_poll + POLL_MS;
    if (!p->plan.quiet && loops(p)) {
        Uint64 end = p->step_at + (Uint64)scene_step_seconds(p->scene, p->step) * 1000u;
        if (end < next)
            next = end;
    }
    if (p->overlay_on && p->overlay_until && p->overlay_until < next)
        next = p->overlay_until;
    return next;
}

static bool handle_event(struct player *p, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        log_info("quit requested");
        return false;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            rebuild(p, true);
        else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
            p->dirty = true;
        break;
    case SDL_RENDER_TARGETS_RESET:
        log_info("render targets were reset: drawing the pages again");
        testmode_count(TM_RESET);
        rebuild(p, false);
        break;
    case SDL_RENDER_DEVICE_RESET:
        log_warn("render device was reset: re-creating every texture");
        testmode_count(TM_RESET);
        rebuild(p, false);
        break;
    default:
        break;
    }
    return true;
}

int loop_run(const struct config *cfg, const char *data_dir, int w, int h)
{
    struct player pl = { .cfg = cfg, .last_good = CLOCK_NONE, .last_saved = CLOCK_NONE,
                         .area_fade = -1 };
    struct player *p = &pl;
    int status = 1;

    if (!testmode_init())
        goto out;
    if (!store_init(&p->store, data_dir, false)) {
        log_error("cannot use the data folder %s", data_dir);
        goto out;
    }
    render_sched_opts(cfg, &p->opts);
    if (!open_display(p, w, h))
        goto out;
    catch_signals();
    p->fonts = fonts_create(cfg);
    if (!p->fonts)
        goto out;
    p->scene = scene_create(p->r, p->fonts, cfg, p->w, p->h);

    if (!load_live(p, &p->c, &p->feed)) {
        log_info("no usable feed in %s yet: showing the name and the clock", data_dir);
        p->c = content_create();
    }
    p->last_good = clock_load_last_good(&p->store);
    int sec = 0;
    p->minute = testmode_now(&sec);
    p->wall_ref_s = (Uint64)p->minute * 60u + (Uint64)sec;
    p->mono_ref_ms = mono_ms();
    bool dummy = false;
    judge_clock(p, &dummy);
    replan(p, true);
    poll_sync(p, true);

    notify_init();
    power_init(&p->power, cfg->screen_off, cfg->screen_on);
    Uint64 last_poll = mono_ms();
    bool running = true, ready = false;
    while (running) {
        if (stop_requested) {
            log_info("stopping on a signal");
            break;
        }
        Uint64 now = mono_ms();
        if (now >= last_poll + POLL_MS) {
            last_poll = now;
            poll_feed(p);
            tick_clock(p);
            poll_sync(p, false);
            freeze_for_tests(p);
        }
        Uint64 ping_due = notify_watchdog(now);
        power_update(&p->power, !p->plan.quiet);
        expire_overlay(p, now);
        if (!p->plan.quiet && loops(p) &&
            now >= p->step_at + (Uint64)scene_step_seconds(p->scene, p->step) * 1000u) {
            /* A first slide shorter than the layout of a long loop. */
            scene_finish(p->scene);
            show_step(p, (p->step + 1) % scene_steps(p->scene), true);
            testmode_count(TM_SLIDE);
        }
        testmode_report(false);

        if (moving(p) || p->dirty) {
            Uint64 t0 = mono_ms();
            draw_frame(p, now);
            if (!make_first_page(p) && !refresh_page(p))
                prepare_next(p);
            /* Without vsync (software renderer, some drivers) pace to the
             * refresh rate instead of spinning. */
            Uint64 spent = mono_ms() - t0;
            Uint64 pace = p->damage && p->prev && !scene_has_ticker(p->scene) ? 2u * p->frame_ms
                                                                              : p->frame_ms;
            /* The rest of a new loop is laid out in the pauses between
             * frames, leaving a few ms for the next frame: a loop of 355
             * slides took 1.2 s in one go, and the ticker stood still. */
            if (moving(p) && scene_unfinished(p->scene)) {
                scene_finish_some(p->scene, spent + LAYOUT_SLACK_MS < pace
                                                ? (Uint32)(pace - spent - LAYOUT_SLACK_MS)
                                                : 0);
                spent = mono_ms() - t0;
            }
            if (moving(p) && spent < pace)
                SDL_Delay((Uint32)(pace - spent));
            if (!ready) {
                notify_ready("playing");
                ready = true;
            }
            if (p->fullscreen_later) {
                p->fullscreen_later = false;
                if (SDL_SetWindowFullscreen(p->win, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
                    log_warn("cannot go full screen: %s", SDL_GetError());
            }
        }

        /* Nothing moves: the rest of the loop in bigger pieces, with the
         * events and the watchdog served in between. */
        if (!moving(p) && scene_unfinished(p->scene))
            scene_finish_some(p->scene, LAYOUT_STILL_MS);

        SDL_Event ev;
        if (moving(p)) {
            while (running && SDL_PollEvent(&ev))
                running = handle_event(p, &ev);
        } else {
            Uint64 next = next_deadline(p, last_poll), t = mono_ms();
            if (ping_due != UINT64_MAX && now + ping_due < next)
                next = now + ping_due;
            /* A frame still owed (a page redrawn after the minute moved)
             * is drawn at once, not at the next deadline. */
            int timeout = p->dirty || scene_unfinished(p->scene) ? 0 : next > t ? (int)(next - t) : 0;
            if (SDL_WaitEventTimeout(&ev, testmode_real_ms(timeout))) {
                running = handle_event(p, &ev);
                while (running && SDL_PollEvent(&ev))
                    running = handle_event(p, &ev);
            }
        }
    }
    notify_stopping();
    power_fini(&p->power);
    testmode_report(true);
    status = 0;
out:
    prefault_wait(p);
    drop_texture(&p->page);
    drop_texture(&p->prev);
    drop_texture(&p->next);
    drop_texture(&p->canvas);
    scene_destroy(p->scene);
    fonts_destroy(p->fonts);
    if (p->r)
        SDL_DestroyRenderer(p->r);
    if (p->win)
        SDL_DestroyWindow(p->win);
    SDL_Quit();
    if (p->have_plan)
        plan_free(&p->plan);
    content_destroy(p->c);
    feed_close(p->feed);
    store_fini(&p->store);
    return status;
}
