/* x11err.h — what an X protocol error does to the player: a wake-up sent to
 * a window already destroyed is logged and passed over; every other error
 * still ends the player, as Xlib's default handler does. */
#pragma once
#include <stdbool.h>

/* Installs the player's X error handler in front of the one in place (Xlib's
 * default, which prints the error and exits 1).  Call once, before SDL_Init:
 * SDL's own handler then passes errors on to it, and SDL puts it back before
 * it closes its connections at SDL_Quit, where a late error is reported.
 * Harmless when SDL ends up on KMS (no connection, no error).  Cannot fail. */
void x11err_install(void);

/* Whether an error with this request and error code is passed over: only
 * BadWindow on SendEvent.  SDL wakes a thread blocked in SDL_WaitEventTimeout
 * with a SendEvent to its own window on a second connection, and the X server
 * orders no requests across connections: the window, destroyed on the first
 * connection at shutdown, can be gone when the wake-up is processed. */
bool x11err_tolerated(unsigned char request_code, unsigned char error_code);
