/* main.c — noticeboard-sync: parses the command line (docs/man/noticeboard-sync.1) and
 * dispatches to import, status, rollback and the authoring subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/config.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/args.h"
#include "sync/commands.h"
#include "sync/import.h"


static const char usage_text[] =
    "Usage:\n"
    "  noticeboard-sync import   [--data DIR] [--config FILE] [--dry-run] SOURCE\n"
    "  noticeboard-sync status   [--data DIR]\n"
    "  noticeboard-sync rollback [--data DIR]\n"
    "  noticeboard-sync export   [--data DIR] DEST\n"
    "  noticeboard-sync init     [--data DIR] [--config FILE] DEST\n"
    "  noticeboard-sync pack     SOURCE\n"
    "  noticeboard-sync --help | --version\n"
    "\n"
    "SOURCE / DEST is a mount point (or folder) holding the bundle folder noticeboard/.\n"
    "Defaults: --data " DEFAULT_DATA ", --config " DEFAULT_CONFIG "\n"
    "Exit status: 0 done, 1 content rejected, 2 usage error, 3 not authorized,\n"
    "4 I/O failure.\n";

static int usage(const char *fmt, const char *arg)
{
    if (fmt) {
        fputs("noticeboard-sync: ", stderr);
        fprintf(stderr, fmt, arg);
        fputc('\n', stderr);
    }
    fputs(usage_text, stderr);
    return 2;
}

/* Subcommand options through the shared parser: 0 to go on, else the
 * exit status (0 after --help, 2 after a usage error). */
static int parse_args(int argc, char **argv, unsigned allow, int npos, struct sync_args *a)
{
    enum args_result r = args_parse(argc, argv, allow, npos, usage_text, a);
    return r == ARGS_OK ? -1 : r == ARGS_HELP ? 0 : 2;
}

static int cmd_import(int argc, char **argv)
{
    struct sync_args a;
    int st0 = parse_args(argc, argv, ARGS_CONFIG | ARGS_DRY_RUN, 1, &a);
    if (st0 >= 0)
        return st0;
    struct import_opts o = {.data = a.data, .config = a.config,
                            .config_must_exist = a.config_given, .dry_run = a.dry_run,
                            .source = a.pos[0]};
    return import_run(&o);
}

static size_t honor_entries(const struct feed_content *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nrolls; i++)
        n += c->rolls[i].nentries;
    return n;
}

static const char *trust_name(enum trust_mode t)
{
    return t == TRUST_OPEN ? "open" : t == TRUST_SIGNED ? "signed" : "key";
}

/* status: key: value lines for installers and scripts. */
static int cmd_status(int argc, char **argv)
{
    struct sync_args a;
    int st0 = parse_args(argc, argv, ARGS_CONFIG, 0, &a);
    if (st0 >= 0)
        return st0;
    struct store st;
    if (!store_init(&st, a.data, false)) {
        fprintf(stderr, "noticeboard-sync: data folder %s: %s\n", a.data, strerror(errno));
        return 4;
    }
    struct config cfg;
    config_load(&cfg, a.config, a.config_given);
    struct feed_content *c = NULL;
    struct feed *f = NULL;
    int status = 0;
    if (access(st.feed, F_OK) == 0) {
        char *why = NULL;
        f = feed_open(st.feed, &why);
        c = f ? feed_load(f) : NULL;
        if (!c) {
            fprintf(stderr, "noticeboard-sync: live feed %s unreadable: %s\n", st.feed,
                    why ? why : "load failed");
            status = 4;
        }
        free(why);
    }
    char imported[17] = "-";
    if (c && c->created != CLOCK_NONE)
        when_format(c->created, imported);
    printf("feed_version: %lld\n", (long long)(c ? c->feed_version : 0));
    printf("announcements: %zu\n", c ? c->nann : 0);
    printf("events: %zu\n", c ? c->nevents : 0);
    printf("honors: %zu\n", c ? honor_entries(c) : 0);
    printf("rolls: %zu\n", c ? c->nrolls : 0);
    printf("ticker: %zu\n", c ? c->nticker : 0);
    printf("holidays: %zu\n", c ? c->nholidays : 0);
    printf("imported_at: %s\n", imported);
    /* Text from the feed and the state folder is printed through
     * sbuf_add_line: no control character reaches the terminal. */
    struct sbuf line = {0};
    sbuf_add_line(&line, c ? c->org_name : "");
    printf("org_name: %s\n", line.s);
    line.len = 0;
    printf("trust: %s\n", trust_name(cfg.trust));
    sbuf_add_line(&line, st.feed);
    printf("feed: %s\n", line.s);
    line.len = 0;
    char *last = store_state_read(&st, "last-sync.txt");
    if (last) {
        last[strcspn(last, "\n")] = '\0';
        sbuf_add_line(&line, last);
        printf("last_sync: %s\n", line.s);
        free(last);
    }
    sbuf_free(&line);
    content_destroy(c);
    if (f)
        feed_close(f);
    config_free(&cfg);
    store_fini(&st);
    return status;
}

static int cmd_rollback(int argc, char **argv)
{
    struct sync_args a;
    int st0 = parse_args(argc, argv, 0, 0, &a);
    if (st0 >= 0)
        return st0;
    struct store st;
    if (!store_init(&st, a.data, false)) {
        fprintf(stderr, "noticeboard-sync: data folder %s: %s\n", a.data, strerror(errno));
        return 4;
    }
    /* Not while an import is running: it would activate over us. */
    char *lock = xasprintf("%s/sync.lock", st.state);
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    free(lock);
    /* No state folder: no import ever ran here, nothing to lock. */
    bool busy = lfd < 0 ? errno != ENOENT : flock(lfd, LOCK_EX | LOCK_NB) < 0;
    if (busy) {
        fprintf(stderr, "noticeboard-sync: another import is running\n");
        puts("回退失败：另一个更新正在进行，请等它完成后再试。");
        if (lfd >= 0)
            close(lfd);
        store_fini(&st);
        return 4;
    }
    int64_t before = store_live_version(&st);
    char *why = NULL;
    int status = 0;
    if (store_rollback(&st, &why)) {
        int64_t after = store_live_version(&st);
        printf("回退成功：屏幕内容已恢复到版本 %lld（原为 %lld）\n", (long long)after,
               (long long)before);
        char *s = xasprintf("ok\n已恢复到上一个版本的内容\n");
        store_state_write(&st, "last-sync.txt", s);
        free(s);
    } else {
        fprintf(stderr, "noticeboard-sync: rollback: %s\n", why ? why : "failed");
        printf("回退失败：%s屏幕内容没有改变。\n", "没有可以恢复的上一个版本，或读取失败。");
        status = 1;
    }
    free(why);
    if (lfd >= 0)
        close(lfd);
    store_fini(&st);
    return status;
}

int main(int argc, char **argv)
{
    log_init("noticeboard-sync", LOG_LEVEL_WARN);
    if (!now_init())            /* a malformed NB_TEST_CLOCK: never the real clock */
        return 2;
    if (argc < 2)
        return usage("missing command", NULL);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("noticeboard-sync %s\n", NB_VERSION);
        return 0;
    }
    argc--, argv++;
    if (!strcmp(cmd, "import"))
        return cmd_import(argc, argv);
    if (!strcmp(cmd, "status"))
        return cmd_status(argc, argv);
    if (!strcmp(cmd, "rollback"))
        return cmd_rollback(argc, argv);
    if (!strcmp(cmd, "export"))
        return export_main(argc, argv);
    if (!strcmp(cmd, "init"))
        return init_main(argc, argv);
    if (!strcmp(cmd, "pack"))
        return pack_main(argc, argv);
    return usage("unknown command %s", cmd);
}
