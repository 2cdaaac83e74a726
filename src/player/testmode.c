/* testmode.c — the soak/test mode behind NB_TEST_* (see testmode.h): the
 * loop's monotonic clock at the test clock's speed (the wall clock itself is
 * core/now.c's), a wall clock that repeats, simulated render resets, and
 * counters for tests/robust/r-soak.sh. */
#include "player/testmode.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/now.h"
#include "core/when.h"

static struct {
    bool on;
    int64_t start_min;          /* wall clock at start, civil minute */
    Uint64 speed;
    Uint64 real0;               /* SDL_GetTicks64() at init */
    unsigned long reset_every;
    unsigned long wrap;         /* NB_TEST_WRAP: minutes the wall clock repeats */
    const char *stats;
    unsigned long slides, switches, resets, pushed;
    unsigned long pages;        /* pages rasterised */
    unsigned long images;       /* feed images decoded */
    Uint64 last_report;
    long (*textures)(void);     /* from the texture-count shim, if preloaded */
} tm = { .speed = 1 };

static bool env_ulong(const char *name, unsigned long lo, unsigned long hi, unsigned long *out)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return true;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v < lo || v > hi) {
        log_error("%s=%s: want a whole number %lu..%lu", name, s, lo, hi);
        return false;
    }
    *out = v;
    tm.on = true;
    return true;
}

bool testmode_init(void)
{
    tm.real0 = SDL_GetTicks64();
    /* NB_TEST_CLOCK and NB_TEST_SPEED are the core clock's (now.c). */
    if (!now_init())
        return false;
    tm.on = now_is_test();
    if (!env_ulong("NB_TEST_RESET_EVERY", 1, 1000000, &tm.reset_every) ||
        !env_ulong("NB_TEST_WRAP", 1, 1000000, &tm.wrap))
        return false;
    tm.speed = now_speed();
    tm.stats = getenv("NB_TEST_STATS");
    if (tm.stats && *tm.stats)
        tm.on = true;
    else
        tm.stats = NULL;
    if (!tm.on)
        return true;
    tm.start_min = now_civil(NULL);
    const char *clock = getenv("NB_TEST_CLOCK");
    /* tests/robust/texcount.c, when LD_PRELOADed, counts live textures. */
    *(void **)&tm.textures = dlsym(RTLD_DEFAULT, "texcount_live");
    log_warn("TEST MODE: clock from %s at %lux (repeating every %lu min), a render reset every "
             "%lu slides%s", clock && *clock ? clock : "now", (unsigned long)tm.speed, tm.wrap, tm.reset_every,
             tm.textures ? ", textures counted" : "");
    return true;
}

bool testmode_on(void)
{
    return tm.on;
}

Uint64 testmode_mono_ms(void)
{
    Uint64 t = SDL_GetTicks64();
    return tm.on ? (t - tm.real0) * tm.speed + tm.real0 : t;
}

int64_t testmode_now(int *sec)
{
    int64_t m = now_civil(sec);
    if (tm.wrap && m > tm.start_min) /* a repeating stretch: content comes back */
        m = tm.start_min + (m - tm.start_min) % (int64_t)tm.wrap;
    return m;
}

/* Times the wall clock went back to its start (0 without a wrap). */
static unsigned long wraps(void)
{
    int64_t m = now_civil(NULL);
    if (!tm.wrap || m <= tm.start_min)
        return 0;
    return (unsigned long)((m - tm.start_min) / (int64_t)tm.wrap);
}

int testmode_real_ms(int ms)
{
    if (!tm.on || ms <= 0)
        return ms;
    return (int)(((Uint64)ms + tm.speed - 1) / tm.speed);
}

void testmode_count(enum testmode_event e)
{
    if (!tm.on)
        return;
    switch (e) {
    case TM_SLIDE:
        tm.slides++;
        if (tm.reset_every && tm.slides % tm.reset_every == 0) {
            SDL_Event ev = { .type = tm.pushed++ % 2 ? SDL_RENDER_DEVICE_RESET
                                                     : SDL_RENDER_TARGETS_RESET };
            SDL_PushEvent(&ev);
        }
        break;
    case TM_FEED_SWITCH:
        tm.switches++;
        break;
    case TM_RESET:
        tm.resets++;
        break;
    case TM_PAGE:
        tm.pages++;
        break;
    case TM_IMAGE:
        tm.images++;
        break;
    }
}

void testmode_report(bool force)
{
    if (!tm.on || !tm.stats)
        return;
    Uint64 now = SDL_GetTicks64();
    if (!force && now < tm.last_report + 1000u)
        return;
    tm.last_report = now;
    FILE *f = fopen(tm.stats, "a");
    if (!f)
        return;                 /* the test notices the missing lines */
    int sec = 0;
    char at[17];
    when_format(testmode_now(&sec), at);
    fprintf(f, "clock=%s slides=%lu switches=%lu resets=%lu textures=%ld wraps=%lu pages=%lu "
            "images=%lu\n", at, tm.slides, tm.switches, tm.resets,
            tm.textures ? tm.textures() : -1L, wraps(), tm.pages, tm.images);
    fclose(f);
}
