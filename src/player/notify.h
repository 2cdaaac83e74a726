/* notify.h — telling systemd we are alive (sd_notify): READY=1 after the
 * first frame, WATCHDOG=1 from the render loop, so a hung loop is killed
 * and restarted (WatchdogSec= in deploy/noticeboard.service).  Without
 * NOTIFY_SOCKET (not under systemd) every call is a cheap no-op. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* Reads WATCHDOG_USEC once.  Call at start-up. */
void notify_init(void);
/* READY=1 plus a STATUS= line (once, after the first frame is on screen). */
void notify_ready(const char *status);
/* Sends WATCHDOG=1 when half the watchdog interval has passed since the
 * last ping.  now_ms is the monotonic clock.  Returns how many ms may pass
 * before the next call is due (UINT64_MAX when there is no watchdog), so
 * the loop can bound its sleep. */
uint64_t notify_watchdog(uint64_t now_ms);
/* STOPPING=1 before a clean exit. */
void notify_stopping(void);
