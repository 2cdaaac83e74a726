/* main.c — noticeboard-sync: parses the command line (docs/man/noticeboard-sync.1) and
 * dispatches to import, status, rollback and the authoring subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/args.h"
#include "sync/commands.h"
#include "sync/import.h"
#include "sync/inbox.h"


static const char usage_text[] =
    "Usage:\n"
    "  noticeboard-sync import   [--data DIR] [--config FILE] [--dry-run] SOURCE\n"
    "  noticeboard-sync status   [--data DIR]\n"
    "  noticeboard-sync rollback [--data DIR]\n"
    "  noticeboard-sync inbox    [--data DIR] [--config FILE]\n"
    "  noticeboard-sync export   [--csv] [--data DIR] DEST\n"
    "  noticeboard-sync init     [--csv] [--data DIR] [--config FILE] DEST\n"
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

/* inbox: one look at DATA/inbox (sync/inbox.c), for the courier's timer. */
static int cmd_inbox(int argc, char **argv)
{
    struct sync_args a;
    int st0 = parse_args(argc, argv, ARGS_CONFIG, 0, &a);
    if (st0 >= 0)
        return st0;
    struct inbox_opts o = {.data = a.data, .config = a.config,
                           .config_must_exist = a.config_given};
    return inbox_run(&o);
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

/* The sync state: last_sync as the state file's first line ("busy 40",
 * "ok", "fail"), then what it says in full; nothing when there is none. */
static void print_last_sync(const struct store *st)
{
    struct syncstate ss;
    if (!syncstate_read(st, &ss)) {
        char *path = store_state_path(st, STORE_LAST_SYNC);
        if (access(path, F_OK) == 0)
            printf("last_sync: unreadable\n");
        free(path);
        return;
    }
    char word[16];
    syncstate_word(&ss, word);
    printf("last_sync: %s\n", word);
    printf("last_sync_result: %s\n", syncstate_result_name(ss.result));
    if (ss.result == SYNCSTATE_BUSY)
        printf("last_sync_stage: %s\n", syncstate_stage_name(ss.stage));
    else {
        printf("last_sync_warnings: %zu\nlast_sync_problems: %zu\n", ss.warnings, ss.problems);
        /* saved, or why the report (and the week and the picture beside
         * it) is not on the stick: staff cannot read what happened. */
        printf("last_sync_report: %s\n", syncstate_report_name(ss.report));
    }
    /* Checked by syncstate_read; through sbuf_add_line all the same, as
     * every text status prints. */
    struct sbuf line = {0};
    sbuf_add_line(&line, ss.summary);
    printf("last_sync_summary: %s\n", line.s);
    sbuf_free(&line);
}

/* Parses the arguments of a command that reads the data folder and opens
 * it (without creating it).  Returns -1 when both worked, else the exit
 * status, the reason printed. */
static int open_data(int argc, char **argv, unsigned flags, struct sync_args *a,
                     struct store *st)
{
    int r = parse_args(argc, argv, flags, 0, a);
    if (r >= 0)
        return r;
    if (!store_init(st, a->data, false)) {
        fprintf(stderr, "noticeboard-sync: data folder %s: %s\n", a->data, strerror(errno));
        return 4;
    }
    return -1;
}

/* status: key: value lines for installers and scripts. */
static int cmd_status(int argc, char **argv)
{
    struct sync_args a;
    struct store st;
    int st0 = open_data(argc, argv, ARGS_CONFIG, &a, &st);
    if (st0 >= 0)
        return st0;
    struct config cfg;
    config_load(&cfg, a.config, a.config_given);
    struct store_live live;
    char *why = NULL;
    int status = 0;
    if (store_load_live(&st, 0, &live, &why) == STORE_LIVE_BAD) {
        fprintf(stderr, "noticeboard-sync: live feed %s unreadable: %s\n", st.feed,
                why ? why : "load failed");
        status = 4;
    }
    free(why);
    const struct feed_content *c = live.content;
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
    /* The player's judgement of the clock (clock.h): "unsure" means it
     * plays date-free items only and shows 时间未校准. */
    char now_s[17];
    int64_t now = now_civil(NULL);
    when_format(now, now_s);
    char *doubt = clock_doubt(now, c ? c->created : CLOCK_NONE, clock_load_last_good(&st));
    printf("clock: %s %s%s\n", now_s, doubt ? "unsure: " : "ok", doubt ? doubt : "");
    free(doubt);
    /* Text from the feed and the state folder is printed through
     * sbuf_add_line: no control character reaches the terminal. */
    struct sbuf line = {0};
    sbuf_add_line(&line, c ? c->org_name : "");
    printf("org_name: %s\n", line.s);
    line.len = 0;
    printf("trust: %s\n", trust_name(cfg.trust));
    sbuf_add_line(&line, st.feed);
    printf("feed: %s\n", line.s);
    sbuf_free(&line);
    print_last_sync(&st);
    char *seen = store_state_read(&st, STORE_INBOX_SEEN);
    const char *word = inbox_state_word(seen);
    if (word)
        printf("inbox: %s\n", word);
    free(seen);
    store_live_close(&live);
    config_free(&cfg);
    store_fini(&st);
    return status;
}

static int cmd_rollback(int argc, char **argv)
{
    struct sync_args a;
    struct store st;
    int st0 = open_data(argc, argv, 0, &a, &st);
    if (st0 >= 0)
        return st0;
    /* Not while an import is running: it would activate over us.  No
     * state folder: no import ever ran here, nothing to lock. */
    int lfd = -1;
    enum store_lock_result lr = store_lock(&st, &lfd);
    if (lr != STORE_LOCK_OK && lr != STORE_LOCK_NO_STATE) {
        printf("回退失败：%s屏幕内容没有改变。\n",
               lr == STORE_LOCK_BUSY     ? "另一个更新正在进行，请等它完成后再试。"
               : lr == STORE_LOCK_DENIED ? "设备的数据文件夹权限不对，请联系安装人员。"
                                         : "无法使用设备的数据文件夹，请联系安装人员。");
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
        /* The screen shows it as a finished update of the restored content. */
        struct syncstate ss = {.result = SYNCSTATE_OK};
        struct store_live live;
        if (store_load_live(&st, 0, &live, NULL) == STORE_LIVE_OK)
            syncstate_set_counts(&ss, live.content);
        store_live_close(&live);
        syncstate_set_summary(&ss, "已恢复到上一个版本的内容");
        syncstate_write(&st, &ss);
    } else {
        fprintf(stderr, "noticeboard-sync: rollback: %s\n", why ? why : "failed");
        printf("回退失败：%s屏幕内容没有改变。\n", "没有可以恢复的上一个版本，或读取失败。");
        status = 1;
    }
    free(why);
    store_unlock(lfd);
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
    if (!strcmp(cmd, "inbox"))
        return cmd_inbox(argc, argv);
    if (!strcmp(cmd, "export"))
        return export_main(argc, argv);
    if (!strcmp(cmd, "init"))
        return init_main(argc, argv);
    if (!strcmp(cmd, "pack"))
        return pack_main(argc, argv);
    return usage("unknown command %s", cmd);
}
