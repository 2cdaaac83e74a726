/* test-store.c — the data folder: activation by rename, pruning to five
 * kept feeds, rollback, switch detection by inode, state files, staging,
 * loading the live feed with its identity, the lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/content.h"
#include "core/feed.h"
#include "core/store.h"
#include "core/util.h"
#include "../testutil.h"

static char dir[] = "/tmp/nb-test-store.XXXXXX";

/* A staged feed whose one ticker item names its version. */
static char *stage(struct store *s, int64_t version)
{
    char *p = xasprintf("%s/new-%lld.db", s->staging, (long long)version);
    struct feed_writer *w = feed_writer_create(p, NULL);
    assert_non_null(w);
    struct feed_content *c = content_create();
    c->nticker = 1;
    c->ticker = xcalloc(1, sizeof *c->ticker);
    c->ticker[0] = (struct nb_ticker){1, xasprintf("v%lld", (long long)version), WHEN_ALWAYS, WHEN_NEVER};
    assert_true(feed_writer_finish(w, c, version, NULL));
    content_destroy(c);
    return p;
}

static bool kept(struct store *s, int64_t v)
{
    char *p = xasprintf("%s/%08lld.db", s->feeds, (long long)v);
    bool ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

/* store_1_1: activation makes the staged feed live, changes the inode the
 * player watches, and removes the staged file. */
static void store_1_1(void **st)
{
    struct store s;
    char *d = xasprintf("%s/a", dir);
    assert_true(store_init(&s, d, true));
    assert_int_equal(store_live_version(&s), 0);
    assert_int_equal(store_live_id(&s).ino, 0);
    assert_int_equal(store_next_version(&s), 1);
    char *p = stage(&s, 1);
    assert_true(store_activate(&s, p, 1));
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(store_live_version(&s), 1);
    struct store_id id1 = store_live_id(&s);
    assert_true(id1.ino != 0);
    free(p);
    p = stage(&s, 2);
    assert_true(store_activate(&s, p, 2));
    struct store_id id2 = store_live_id(&s);
    assert_true(id2.ino != id1.ino);
    assert_int_equal(store_live_version(&s), 2);
    assert_int_equal(store_next_version(&s), 3);
    char *tmp = xasprintf("%s/feed.db.new", d);
    assert_int_equal(access(tmp, F_OK), -1);
    free(tmp);
    free(p);
    /* a feed that does not exist cannot go live; the live one stays */
    assert_false(store_activate(&s, "/nonexistent/x.db", 3));
    assert_int_equal(store_live_version(&s), 2);
    free(d);
    store_fini(&s);
}

/* store_1_2: only the newest five are kept; rollback walks back and keeps
 * the rolled-back-from feed; pruning never deletes the live feed. */
static void store_1_2(void **st)
{
    struct store s;
    char *d = xasprintf("%s/b", dir);
    assert_true(store_init(&s, d, true));
    for (int64_t v = 1; v <= 7; v++) {
        char *p = stage(&s, v);
        assert_true(store_activate(&s, p, v));
        free(p);
    }
    for (int64_t v = 1; v <= 7; v++)
        assert_int_equal(kept(&s, v), v >= 3);
    char *why = NULL;
    assert_true(store_rollback(&s, &why));
    assert_int_equal(store_live_version(&s), 6);
    assert_true(kept(&s, 7));
    assert_true(store_rollback(&s, &why));
    assert_true(store_rollback(&s, &why));
    assert_true(store_rollback(&s, &why));
    assert_int_equal(store_live_version(&s), 3);
    assert_false(store_rollback(&s, &why));     /* nothing older kept */
    assert_non_null(why);
    free(why);
    assert_int_equal(store_live_version(&s), 3);
    /* new imports get a version above all kept ones; live v3 survives pruning */
    assert_int_equal(store_next_version(&s), 8);
    for (int64_t v = 8; v <= 12; v++) {
        char *p = stage(&s, v);
        assert_true(store_activate(&s, p, v));
        free(p);
        if (v == 8) {
            /* live is now 8; v3 is pruned only when not live */
            assert_int_equal(store_live_version(&s), 8);
        }
    }
    assert_false(kept(&s, 7));
    assert_true(kept(&s, 12) && kept(&s, 8));
    free(d);
    store_fini(&s);
}

/* store_1_3: after rolling back to the oldest, a new import prunes it only
 * once it is no longer live. */
static void store_1_3(void **st)
{
    struct store s;
    char *d = xasprintf("%s/c", dir);
    assert_true(store_init(&s, d, true));
    for (int64_t v = 1; v <= 5; v++) {
        char *p = stage(&s, v);
        assert_true(store_activate(&s, p, v));
        free(p);
    }
    for (int k = 0; k < 4; k++)
        assert_true(store_rollback(&s, NULL));
    assert_int_equal(store_live_version(&s), 1);
    /* activating v6 prunes v1 from feeds/ — v1 is no longer live then */
    char *p = stage(&s, 6);
    assert_true(store_activate(&s, p, 6));
    free(p);
    assert_false(kept(&s, 1));
    assert_true(kept(&s, 2));
    assert_int_equal(store_live_version(&s), 6);
    for (int64_t v = 2; v <= 6; v++)
        assert_true(kept(&s, v));
    free(d);
    store_fini(&s);
}

/* store_2_1: state files round-trip, each under its own name in state/;
 * staging is emptied. */
static void store_2_1(void **st)
{
    struct store s;
    char *d = xasprintf("%s/d", dir);
    assert_true(store_init(&s, d, true));
    assert_null(store_state_read(&s, STORE_CLOCK));
    assert_true(store_state_write(&s, STORE_CLOCK, "2026-11-22 09:30\n"));
    char *t = store_state_read(&s, STORE_CLOCK);
    assert_string_equal(t, "2026-11-22 09:30\n");
    free(t);
    char *p = xasprintf("%s/clock.txt", s.state);
    t = read_file(p, 100, NULL);
    assert_non_null(t);
    assert_string_equal(t, "2026-11-22 09:30\n");
    free(t);
    free(p);
    /* Every file has a name of its own, a plain one inside state/. */
    for (int i = 0; i < STORE_NFILES; i++) {
        const char *n = store_file_name((enum store_file)i);
        assert_true(*n && *n != '.' && !strchr(n, '/'));
        for (int j = 0; j < i; j++)
            assert_string_not_equal(n, store_file_name((enum store_file)j));
        char *path = store_state_path(&s, (enum store_file)i);
        char *want = xasprintf("%s/%s", s.state, n);
        assert_string_equal(path, want);
        free(path);
        free(want);
    }
    char *sub = xasprintf("%s/bundle/media", s.staging);
    assert_true(mkdir_p(sub, 0700));
    char *f = xasprintf("%s/a.jpg", sub);
    FILE *fp = fopen(f, "w");
    fputs("x", fp);
    fclose(fp);
    char *spare = xasprintf("%s/.00000009.db.new", s.feeds);
    char *spare2 = xasprintf("%s/feed.db.new", d);
    char *keep = xasprintf("%s/00000009.db", s.feeds);
    fclose(fopen(spare, "w"));
    fclose(fopen(spare2, "w"));
    fclose(fopen(keep, "w"));
    store_clean_staging(&s);
    assert_int_equal(access(f, F_OK), -1);
    assert_int_equal(access(spare, F_OK), -1);
    assert_int_equal(access(spare2, F_OK), -1);
    assert_int_equal(access(keep, F_OK), 0);
    free(spare);
    free(spare2);
    free(keep);
    assert_int_equal(access(s.staging, F_OK), 0);
    free(f);
    free(sub);
    free(d);
    store_fini(&s);
}

/* The ticker text of loaded content ("v3"), which names its version. */
static const char *ticker0(const struct feed_content *c)
{
    return c && c->nticker ? c->ticker[0].text : "";
}

/* store_3_1: the live feed loads with the identity of the very file it
 * came from; none is NONE, a damaged one BAD with a reason, and with
 * STORE_LIVE_KEPT the newest kept feed that reads stands in for it. */
static void store_3_1(void **st)
{
    struct store s;
    char *d = xasprintf("%s/e", dir);
    assert_true(store_init(&s, d, true));
    struct store_live l;
    char *why = NULL;
    assert_int_equal(store_load_live(&s, 0, &l, &why), STORE_LIVE_NONE);
    assert_null(why);
    assert_null(l.feed);
    assert_null(l.content);
    assert_int_equal(l.id.ino, 0);
    store_live_close(&l);
    for (int64_t v = 1; v <= 2; v++) {
        char *p = stage(&s, v);
        assert_true(store_activate(&s, p, v));
        free(p);
    }
    assert_int_equal(store_load_live(&s, 0, &l, &why), STORE_LIVE_OK);
    assert_null(why);
    assert_true(store_same_id(l.id, store_live_id(&s)));
    assert_non_null(l.feed);
    assert_string_equal(ticker0(l.content), "v2");
    assert_int_equal(l.kept_version, 0);
    store_live_close(&l);
    assert_null(l.content);
    /* Damaged in place (a fresh file, as a bad copy would be). */
    char *tmp = xasprintf("%s/bad.db", d);
    FILE *f = fopen(tmp, "w");
    fputs("not a database", f);
    fclose(f);
    assert_int_equal(rename(tmp, s.feed), 0);
    assert_int_equal(store_load_live(&s, 0, &l, &why), STORE_LIVE_BAD);
    assert_non_null(why);
    free(why);
    assert_true(l.id.ino != 0 && store_same_id(l.id, store_live_id(&s)));
    assert_null(l.feed);
    assert_null(l.content);
    store_live_close(&l);
    assert_int_equal(store_load_live(&s, STORE_LIVE_KEPT, &l, NULL), STORE_LIVE_OK);
    assert_int_equal(l.kept_version, 2);
    assert_string_equal(ticker0(l.content), "v2");
    store_live_close(&l);
    free(tmp);
    free(d);
    store_fini(&s);
}

/* store_4_1: one import or rollback at a time: a second lock is BUSY until
 * the first is released; no state folder is NO_STATE; a state folder we
 * may not write is DENIED (run as another user when root). */
static void store_4_1(void **st)
{
    struct store s;
    char *d = xasprintf("%s/f", dir);
    assert_true(store_init(&s, d, false));
    int fd = -2, fd2 = -2;
    assert_int_equal(store_lock(&s, &fd), STORE_LOCK_NO_STATE);
    assert_int_equal(fd, -1);
    store_fini(&s);
    assert_true(store_init(&s, d, true));
    assert_int_equal(store_lock(&s, &fd), STORE_LOCK_OK);
    assert_true(fd >= 0);
    assert_int_equal(store_lock(&s, &fd2), STORE_LOCK_BUSY);
    assert_int_equal(fd2, -1);
    store_unlock(fd);
    assert_int_equal(store_lock(&s, &fd2), STORE_LOCK_OK);
    store_unlock(fd2);
    store_unlock(-1);
    /* Another user's data folder (init run as root). */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(2);
        } else {
            chmod(s.state, 0555);
            char *lock = xasprintf("%s/sync.lock", s.state);
            chmod(lock, 0444);
            free(lock);
        }
        int cfd;
        bool denied = store_lock(&s, &cfd) == STORE_LOCK_DENIED && cfd == -1;
        store_fini(&s);             /* the child leaves nothing behind (valgrind) */
        free(d);
        _exit(denied ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    chmod(s.state, 0755);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    free(d);
    store_fini(&s);
}

/* store_4_2: a command run as root (rollback in the installer's root
 * shell) on a data folder of another user gives the state files and the
 * lock it makes to that user; run as that user, they are its own. */
static void store_4_2(void **st)
{
    struct store s;
    char *d = xasprintf("%s/g", dir);
    assert_true(store_init(&s, d, true));
    uid_t want = geteuid();
    gid_t wantg = getegid();
    if (geteuid() == 0) {
        want = 65534, wantg = 65534;
        const char *const ds[] = {s.dir, s.state, s.feeds, s.staging};
        for (size_t i = 0; i < ARRAY_LEN(ds); i++)
            assert_int_equal(chown(ds[i], want, wantg), 0);
    }
    assert_true(store_state_write(&s, STORE_LAST_SYNC, "fail\n\nresult: io-error\nwarnings: 0\nproblems: 0\n"));
    int fd = -1;
    assert_int_equal(store_lock(&s, &fd), STORE_LOCK_OK);
    store_unlock(fd);
    const enum store_file fs[] = {STORE_LAST_SYNC, STORE_LOCK};
    for (size_t i = 0; i < ARRAY_LEN(fs); i++) {
        char *p = store_state_path(&s, fs[i]);
        struct stat sb;
        assert_int_equal(stat(p, &sb), 0);
        if (sb.st_uid != want || sb.st_gid != wantg)
            fail_msg("%s belongs to %u:%u, not the data folder's %u:%u", p, (unsigned)sb.st_uid,
                     (unsigned)sb.st_gid, (unsigned)want, (unsigned)wantg);
        free(p);
    }
    store_fini(&s);
    free(d);
}

/* store_4_3: folders an earlier root run left as root's in another user's
 * data folder (init as root on a fresh box) are given back when a command
 * opens the store, and a feed activated as root is that user's. */
static void store_4_3(void **st)
{
    struct store s;
    char *d = xasprintf("%s/h", dir);
    assert_true(store_init(&s, d, true));
    uid_t want = geteuid();
    gid_t wantg = getegid();
    if (geteuid() == 0) {
        want = 65534, wantg = 65534;
        assert_int_equal(chown(s.dir, want, wantg), 0);    /* the rest stays root's */
    }
    store_fini(&s);
    assert_true(store_init(&s, d, true));
    char *p = stage(&s, 1);
    assert_true(store_activate(&s, p, 1));
    const char *const ps[] = {s.state, s.feeds, s.staging, s.feed};
    for (size_t i = 0; i < ARRAY_LEN(ps); i++) {
        struct stat sb;
        assert_int_equal(stat(ps[i], &sb), 0);
        if (sb.st_uid != want || sb.st_gid != wantg)
            fail_msg("%s belongs to %u:%u, not the data folder's %u:%u", ps[i],
                     (unsigned)sb.st_uid, (unsigned)sb.st_gid, (unsigned)want, (unsigned)wantg);
    }
    free(p);
    store_fini(&s);
    free(d);
}

static int teardown(void **st)
{
    return rm_tree(dir);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_1_1), cmocka_unit_test(store_1_2),
        cmocka_unit_test(store_1_3), cmocka_unit_test(store_2_1),
        cmocka_unit_test(store_3_1), cmocka_unit_test(store_4_1),
        cmocka_unit_test(store_4_2), cmocka_unit_test(store_4_3),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
