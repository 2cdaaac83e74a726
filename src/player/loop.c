/* loop.c — the player's main loop: pages, content, clock, and the loop that
 * sleeps in SDL_WaitEventTimeout until the next deadline (page change, 1 s
 * poll of the feed, the clock and the sync state) and draws at the display
 * refresh only while something moves (ticker, crossfade).  Durations use
 * the monotonic clock; the wall clock only names the moment, and a jump of
 * it re-plans.  Where frames go is display.c's; the sync news overlay.c's;
 * which page follows which core/fair.c's; what was shown goes to the play
 * log (core/playlog.c). */
#include "player/loop.h"

#include <SDL.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/clock.h"
#include "core/fair.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/plan.h"
#include "core/playlog.h"
#include "core/schedule.h"
#include "core/store.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "player/display.h"
#include "player/font.h"
#include "player/notify.h"
#include "player/overlay.h"
#include "player/power.h"
#include "player/scene.h"
#include "player/testmode.h"

#define POLL_MS 1000
#define JUMP_S 120              /* wall vs monotonic gap that counts as a jump */
#define PREPARE_MS 500          /* the next page is rasterised this long before its turn */
#define LAYOUT_SLACK_MS 4       /* of a frame's pause, left free when laying out */
#define LAYOUT_STILL_MS 50      /* layout per turn of the loop when nothing moves */

struct player {
    const struct config *cfg;
    struct store store;
    struct display *display;
    struct fonts *fonts;
    struct scene *scene;
    struct overlay *overlay;    /* the sync tool's news over the slides */

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
    struct fair fair;           /* urgent notices between pages, too */
    struct fair_step *fsteps;   /* the scene's steps as fair.c sees them */
    size_t fsteps_cap;
    struct playlog *log;        /* proof of play */
    int64_t pruned_day;         /* the day the play log was last pruned */
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
    return scene_is_idle(p->scene) || strcmp(scene_step_kind(p->scene, step), "events") == 0 ||
           scene_step_dated(p->scene, step);
}

/* More than one step: the loop moves on (slides not laid out yet count). */
static bool loops(const struct player *p)
{
    return scene_steps(p->scene) > 1 || scene_unfinished(p->scene);
}

/* The scene's steps for fair.c (rebuilt at each change of page: a few
 * hundred at most, and the scene may have laid out more meanwhile). */
static const struct fair_step *fair_steps(struct player *p, size_t *n)
{
    *n = scene_steps(p->scene);
    xgrow(&p->fsteps, &p->fsteps_cap, *n ? *n : 1, sizeof *p->fsteps);
    for (size_t i = 0; i < *n; i++) {
        const struct slide_ref *r = scene_step_ref(p->scene, i);
        p->fsteps[i] = (struct fair_step){
            .urgent = r && r->kind == SLIDE_URGENT ? (long)r->index : -1,
            .page = scene_step_page(p->scene, i),
            .seconds = scene_step_seconds(p->scene, i),
        };
    }
    return p->fsteps;
}

/* When the step on screen is due to end, on the monotonic clock. */
static Uint64 step_due(const struct player *p)
{
    return p->step_at + (Uint64)scene_step_seconds(p->scene, p->step) * 1000u;
}

/* The step after the one on screen (commit: the loop moves on now; else
 * only to draw it ahead).  Both judge at the moment the step is due, so
 * the page drawn ahead is the one shown. */
static size_t next_step(struct player *p, bool commit)
{
    size_t n;
    const struct fair_step *st = fair_steps(p, &n);
    int64_t due = (int64_t)step_due(p);
    return commit ? fair_next(&p->fair, st, n, p->step, due, p->cfg->urgent_every)
                  : fair_peek(&p->fair, st, n, p->step, due, p->cfg->urgent_every);
}

/* Writes the step on screen to the play log (not in quiet hours). */
static void log_step(struct player *p)
{
    if (p->plan.quiet)
        return;
    const struct slide_ref *r = scene_step_ref(p->scene, p->step);
    int sec = 0;
    int64_t m = testmode_now(&sec);
    if (!r) {
        playlog_add(p->log, m, sec, "idle", NULL, 0, NULL);
        return;
    }
    char *id = plan_slide_id(p->c, r);
    playlog_add(p->log, m, sec, slide_kind_name(r->kind), id, scene_step_page(p->scene, p->step),
                plan_slide_title(p->c, r));
    free(id);
}

/* Removes old play log days, once a day, when the clock is believed (a
 * clock that jumped years ahead must not erase the log). */
static void prune_log(struct player *p)
{
    int64_t today = p->minute / WHEN_MIN_PER_DAY;
    if (p->unsure || today == p->pruned_day)
        return;
    p->pruned_day = today;
    playlog_prune(p->store.playlog, today);
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
    if (mono_ms() + PREPARE_MS < step_due(p))
        return;
    p->next_step = next_step(p, false);
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

/* Loads the live feed into *c / *f.  false (logged once per file) when
 * there is none or it cannot be used. */
static bool load_live(struct player *p, struct feed_content **c, struct feed **f)
{
    struct store_live l;
    char *why = NULL;
    enum store_live_result res = store_load_live(&p->store, 0, &l, &why);
    p->live = l.id;
    if (res != STORE_LIVE_OK) {
        /* A file that cannot even be opened reads as none, as ever. */
        if (res == STORE_LIVE_BAD && (l.id.dev || l.id.ino)) {
            if (!store_same_id(l.id, p->failed))
                log_error("cannot use the feed %s (%s): keeping what plays", p->store.feed,
                          why ? why : "read error");
            p->failed = l.id;
        }
        free(why);
        return false;
    }
    *c = l.content;             /* the player takes both over */
    *f = l.feed;
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
    fair_reset(&p->fair);
    show_step(p, 0, fade);
    log_step(p);
}

/* Checks DATA/feed.db's identity; a new file is opened and shown at once. */
static void poll_feed(struct player *p)
{
    struct store_id id = store_live_id(&p->store);
    if (store_same_id(id, p->live))
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
    p->last_good = clock_load_last_good(&p->store);     /* the import may have set the clock */
    replan(p, true);           /* the scene lets go of the old content here */
    content_destroy(old_c);
    feed_close(old_f);
}

/* ---------------------------------------------------------------- clock */

/* The schedule options and the clock's verdict for the minute shown, the
 * same way `plan` and `render` judge it (schedule_opts_for).  A new feed
 * is judged at the next minute, not at once: one built a moment ago in the
 * minute the player has not reached yet would flash date-free items. */
static void judge_clock(struct player *p, bool *changed)
{
    bool unsure = schedule_opts_for(p->cfg, p->c, p->last_good, p->minute, &p->opts) != CLOCK_OK;
    if (unsure != p->unsure) {
        char *why = clock_doubt(p->minute, p->c->created, p->last_good);
        if (unsure)
            log_warn("clock looks wrong (%s): playing date-free items only", why);
        else
            log_warn("clock trusted again");
        free(why);
        p->unsure = unsure;
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
    /* An import that set the clock (back, too) saved the new time as the
     * last good one: believe it at once, not after a restart. */
    if (jumped)
        p->last_good = clock_load_last_good(&p->store);
    judge_clock(p, &changed);
    if (changed || m >= p->plan.until)
        replan(p, false);
    prune_log(p);
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

/* ---------------------------------------------------------------- display */

/* Size changed or textures lost: everything is rebuilt from the laid-out
 * state (content and plan are untouched). */
static void rebuild(struct player *p, bool resized)
{
    drop_texture(&p->page);
    drop_texture(&p->prev);
    drop_texture(&p->next);
    scene_invalidate(p->scene);
    bool new_renderer, new_size;
    switch (display_rebuild(p->display, resized, &new_renderer, &new_size)) {
    case DISPLAY_REBUILT:
        break;
    case DISPLAY_KEPT:
        return;
    case DISPLAY_LOST:
        stop_requested = 1;     /* systemd restarts us on a fresh surface */
        return;
    }
    if (new_renderer)
        scene_set_renderer(p->scene, display_renderer(p->display));
    if (new_size) {
        int w, h;
        display_size(p->display, &w, &h);
        scene_resize(p->scene, w, h);
        fair_reset(&p->fair);   /* the pages were laid out again */
        /* Laid out again up to the step on screen only, the rest between
         * frames (a whole loop in one go was seconds without a frame). */
        while (scene_unfinished(p->scene) && p->step >= scene_steps(p->scene))
            scene_finish_some(p->scene, 0);
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
    if (!display_damage(p->display) || p->dirty || display_rotated(p->display) || p->plan.quiet)
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
    if (p->prev && display_damage(p->display) && !display_rotated(p->display) && !p->plan.quiet) {
        double f = *fade;
        if (partial && fade_step && p->area_fade >= 0 && p->area_fade < f &&
            !overlay_shown(p->overlay)) {
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
    bool damage = display_damage(p->display);
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
        fade_step = !damage || !scene_has_ticker(p->scene) || (p->frames & 1) == 0 ||
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
    display_begin(p->display, partial ? &band : NULL);
    if (p->plan.quiet) {
        SDL_Renderer *r = display_renderer(p->display);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
        SDL_RenderClear(r);
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
    SDL_Rect rects[2];
    int n = 0;
    SDL_Rect tick = scene_ticker_rect(p->scene);
    if (partial && fade_step && tick.w > 0 && tick.h > 0) {
        /* The ticker band first: the X server shows it before it copies
         * the 7 MB of the fade step, so the ticker keeps time. */
        rects[n++] = tick;
        rects[n++] = scene_area_rect(p->scene);
    } else if (partial) {
        rects[n++] = band;
    }
    display_present(p->display, rects, n);
    p->dirty = false;
}

static bool moving(const struct player *p)
{
    return !p->plan.quiet && (p->prev || scene_has_ticker(p->scene));
}

/* ---------------------------------------------------------------- loop */

/* Test hook for the watchdog: while STORE_TEST_FREEZE exists the loop
 * stands still, as a hung loop would, so the watchdog pings stop and
 * systemd would restart us.  Checked once a second with the feed poll. */
static void freeze_for_tests(struct player *p)
{
    char *path = store_state_path(&p->store, STORE_TEST_FREEZE);
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
    Uint64 until = overlay_deadline(p->overlay);
    if (until && until < next)
        next = until;
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
    /* At boot after a power cut in an import: its staging copy and a
     * "busy" state would stay until the next import (no import runs now,
     * or the lock says so). */
    syncstate_recover(&p->store);
    p->display = display_open(cfg, w, h);
    if (!p->display)
        goto out;
    catch_signals();
    p->fonts = fonts_create(cfg);
    if (!p->fonts)
        goto out;
    int lw, lh;
    display_size(p->display, &lw, &lh);
    p->scene = scene_create(display_renderer(p->display), p->fonts, cfg, lw, lh);
    p->overlay = overlay_create(&p->store, p->scene);
    p->log = playlog_open(p->store.playlog);
    fair_init(&p->fair, (int64_t)mono_ms());
    p->pruned_day = -1;

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
    prune_log(p);
    overlay_poll(p->overlay, true, mono_ms());

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
            if (overlay_poll(p->overlay, false, mono_ms()))
                p->dirty = true;
            freeze_for_tests(p);
            playlog_tick(p->log, now, false);
        }
        Uint64 ping_due = notify_watchdog(now);
        power_update(&p->power, !p->plan.quiet);
        if (overlay_expire(p->overlay, now))
            p->dirty = true;
        if (!p->plan.quiet && loops(p) &&
            now >= p->step_at + (Uint64)scene_step_seconds(p->scene, p->step) * 1000u) {
            /* A first slide shorter than the layout of a long loop: the
             * next slide only (one slide is bounded, SLIDE_MAX_PAGES), not
             * the rest of the loop in one go (5,000 rolls: 4.3 s without a
             * frame or a watchdog ping); the rest follows between frames. */
            while (scene_unfinished(p->scene) && p->step + 1 >= scene_steps(p->scene))
                scene_finish_some(p->scene, 0);
            show_step(p, next_step(p, true), true);
            log_step(p);
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
            Uint32 frame_ms = display_frame_ms(p->display);
            Uint64 pace = display_damage(p->display) && p->prev && !scene_has_ticker(p->scene)
                              ? 2u * frame_ms
                              : frame_ms;
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
            display_first_frame_done(p->display);
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
    if (p->log) {
        uint64_t bytes, writes;
        playlog_tick(p->log, 0, true);
        playlog_stats(p->log, &bytes, &writes);
        log_info("play log: %llu bytes in %llu writes", (unsigned long long)bytes,
                 (unsigned long long)writes);
        playlog_close(p->log);
    }
    fair_fini(&p->fair);
    free(p->fsteps);
    overlay_destroy(p->overlay);
    drop_texture(&p->page);
    drop_texture(&p->prev);
    drop_texture(&p->next);
    scene_destroy(p->scene);
    fonts_destroy(p->fonts);
    display_close(p->display);      /* after every texture of its renderer */
    if (p->have_plan)
        plan_free(&p->plan);
    content_destroy(p->c);
    feed_close(p->feed);
    store_fini(&p->store);
    return status;
}
