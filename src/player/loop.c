/* loop.c — placeholder while the loop is written. */
#include "player/loop.h"
#include "core/log.h"

int loop_run(const struct config *cfg, const char *data_dir, int w, int h)
{
    (void)cfg; (void)data_dir; (void)w; (void)h;
    log_error("the window loop is not built yet");
    return 1;
}
