/* overlay.c — the sync overlay: polls the sync state file by its time of
 * change, reads it through syncstate.c, and puts the words on the scene:
 * 正在更新内容… N% until the import ends, then its result card
 * (notecard.c) for 20 s to a minute. */
#include "player/overlay.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "player/notecard.h"
#include "player/scene.h"

#define BUSY_STALE_S 600        /* a "busy" older than this is a sync that died */

struct overlay {
    const struct store *store;
    struct scene *scene;
    char *path;                 /* the sync state file, polled by its mtime */
    struct timespec mtime;      /* of the state last seen */
    Uint64 until;               /* monotonic ms; 0 with on = until it changes */
    bool on;
};

struct overlay *overlay_create(const struct store *s, struct scene *sc)
{
    struct overlay *o = xcalloc(1, sizeof *o);
    o->store = s;
    o->scene = sc;
    o->path = store_state_path(s, STORE_LAST_SYNC);
    return o;
}

void overlay_destroy(struct overlay *o)
{
    if (!o)
        return;
    free(o->path);
    free(o);
}

bool overlay_poll(struct overlay *o, bool startup, Uint64 now)
{
    struct stat st;
    if (stat(o->path, &st) != 0)
        return false;
    if (st.st_mtim.tv_sec == o->mtime.tv_sec && st.st_mtim.tv_nsec == o->mtime.tv_nsec)
        return false;
    o->mtime = st.st_mtim;
    if (startup)                    /* an old result: not news */
        return false;
    struct syncstate ss;
    if (!syncstate_read(o->store, &ss))
        return false;
    char word[16];
    syncstate_word(&ss, word);
    log_info("sync state: %s (%s)%s%s", word, syncstate_result_name(ss.result),
             ss.report ? ", report not on the stick: " : "",
             ss.report ? syncstate_report_name(ss.report) : "");
    struct notecard card;
    int show_ms;
    notecard_from_syncstate(&ss, &card, &show_ms);
    o->until = show_ms ? now + (Uint64)show_ms : 0;
    scene_set_overlay(o->scene, &card);
    notecard_fini(&card);
    o->on = true;
    return true;
}

bool overlay_expire(struct overlay *o, Uint64 now)
{
    if (!o->on)
        return false;
    bool stale_busy = !o->until && now_real_unix() - o->mtime.tv_sec > BUSY_STALE_S;
    if (!(o->until && now >= o->until) && !stale_busy)
        return false;
    scene_set_overlay(o->scene, NULL);
    o->on = false;
    o->until = 0;       /* a past deadline would make every wait 0 ms */
    return true;
}

Uint64 overlay_deadline(const struct overlay *o)
{
    return o->on ? o->until : 0;
}

bool overlay_shown(const struct overlay *o)
{
    return o->on;
}
