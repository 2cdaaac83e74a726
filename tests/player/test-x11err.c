/* test-x11err.c — the player's X error handler (player/x11err.c): BadWindow
 * on a SendEvent is passed over, every other error reaches the handler that
 * was in place before, and installing twice keeps that one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <X11/Xlib.h>
#include <X11/Xproto.h>

#include "core/log.h"
#include "player/x11err.h"

static int earlier_calls;
static unsigned char earlier_saw;

static int earlier(Display *dpy, XErrorEvent *e)
{
    (void)dpy;
    earlier_calls++;
    earlier_saw = e->request_code;
    return 0;
}

static XErrorEvent error(unsigned char request, unsigned char code)
{
    XErrorEvent e = { .type = 0, .resourceid = 0x200002, .serial = 7,
                      .error_code = code, .request_code = request };
    return e;
}

/* x11err_1_1: only BadWindow on SendEvent is tolerated. */
static void x11err_1_1(void **state)
{
    (void)state;
    assert_true(x11err_tolerated(X_SendEvent, BadWindow));
    assert_false(x11err_tolerated(X_SendEvent, BadValue));
    assert_false(x11err_tolerated(X_GetProperty, BadWindow));
    assert_false(x11err_tolerated(X_DestroyWindow, BadWindow));
    assert_false(x11err_tolerated(X_ChangeProperty, BadMatch));
}

/* x11err_1_2: installed in front of another handler (Xlib's default in the
 * player), the handler passes the wake-up over and hands everything else
 * on; a second install (SDL_Init after SDL_Quit) keeps the earlier one. */
static void x11err_1_2(void **state)
{
    (void)state;
    XSetErrorHandler(earlier);
    x11err_install();
    x11err_install();
    XErrorHandler ours = XSetErrorHandler(NULL);
    assert_non_null(ours);
    assert_ptr_not_equal(ours, earlier);

    XErrorEvent e = error(X_SendEvent, BadWindow);
    earlier_calls = 0;
    assert_int_equal(ours(NULL, &e), 0);
    assert_int_equal(earlier_calls, 0);

    e = error(X_GetProperty, BadWindow);
    ours(NULL, &e);
    assert_int_equal(earlier_calls, 1);
    assert_int_equal(earlier_saw, X_GetProperty);

    e = error(X_SendEvent, BadValue);
    ours(NULL, &e);
    assert_int_equal(earlier_calls, 2);
    assert_int_equal(earlier_saw, X_SendEvent);
}

int main(void)
{
    log_init("test-x11err", LOG_LEVEL_INFO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(x11err_1_1),
        cmocka_unit_test(x11err_1_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
