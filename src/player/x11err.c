/* x11err.c — the player's X error handler: BadWindow on a SendEvent (SDL's
 * wake-up of a window it has just destroyed) is logged, anything else goes to
 * the handler that was in place (Xlib's default: message and exit 1). */
#include "player/x11err.h"

#include <X11/Xlib.h>
#include <X11/Xproto.h>
#include "core/log.h"

static XErrorHandler previous;

bool x11err_tolerated(unsigned char request_code, unsigned char error_code)
{
    return request_code == X_SendEvent && error_code == BadWindow;
}

/* No Xlib call here: Xlib forbids them in an error handler. */
static int on_error(Display *dpy, XErrorEvent *e)
{
    if (x11err_tolerated(e->request_code, e->error_code)) {
        log_warn("X11: passed over BadWindow on SendEvent to window 0x%lx (request %lu): "
                 "a wake-up for a window already destroyed",
                 (unsigned long)e->resourceid, (unsigned long)e->serial);
        return 0;
    }
    return previous ? previous(dpy, e) : 0;
}

void x11err_install(void)
{
    XErrorHandler was = XSetErrorHandler(on_error);
    if (was != on_error)
        previous = was;
}
