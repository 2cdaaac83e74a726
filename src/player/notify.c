/* notify.c — sd_notify from libsystemd; see notify.h. */
#include "player/notify.h"

#include <systemd/sd-daemon.h>
#include "core/log.h"

static uint64_t watchdog_ms;    /* 0: no watchdog */
static uint64_t last_ping_ms;
static bool have_pinged;

void notify_init(void)
{
    uint64_t usec = 0;
    /* unset_environment = 0: nothing we start needs to see it, but keeping
     * it costs nothing and helps debugging. */
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
        watchdog_ms = usec / 1000;
        log_info("systemd watchdog every %llu ms", (unsigned long long)watchdog_ms);
    }
}

void notify_ready(const char *status)
{
    sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

uint64_t notify_watchdog(uint64_t now_ms)
{
    if (!watchdog_ms)
        return UINT64_MAX;
    uint64_t half = watchdog_ms / 2;
    if (!have_pinged || now_ms - last_ping_ms >= half) {
        sd_notify(0, "WATCHDOG=1");
        last_ping_ms = now_ms;
        have_pinged = true;
        return half;
    }
    return half - (now_ms - last_ping_ms);
}

void notify_stopping(void)
{
    sd_notify(0, "STOPPING=1");
}
