# Sync: a data folder the importing user may not write (init run as root,
# then imports as the noticeboard user) is a permission problem, and staff
# are told so — not 另一个更新正在进行; the log names the lock, the user and
# the owner.  Nothing changes.  Run as root, the import runs as nobody; run
# as a normal user, the state folder is made read-only instead.
at '2026-11-23 09:00'
mkdir -p stick/noticeboard
printf 'title,body\n通知,内容\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > first.txt 2>&1 || { cat first.txt; die "first import"; }
cp data/feed.db before.db
printf 'title,body\n新通知,内容\n' > stick/noticeboard/announcements.csv
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$T"                                  # nobody reads the stick and the config
    chmod -R a+rX stick open.conf
    other() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    user=nobody
else
    chmod 0444 data/state/sync.lock
    chmod 0555 data/state
    other() { "$@"; }
    user=$(id -un)
fi
st=0
other "$SYNC" import --data data --config open.conf stick > out.txt 2> err.txt || st=$?
[ "$st" -eq 4 ] || { cat out.txt err.txt; die "import exited $st, expected 4"; }
contains out.txt "设备的数据文件夹权限不对，请联系安装人员"
contains out.txt "屏幕内容没有改变"
grep -qF "另一个更新正在进行" out.txt && die "a permission problem reported as a running update"
contains err.txt "cannot open the lock data/state/sync.lock as user $user"
contains err.txt "the data folder must belong to the user that runs noticeboard-sync"
cmp data/feed.db before.db || die "the live feed changed"
# Rollback says the same; status still reads.
st=0
other "$SYNC" rollback --data data > rb.txt 2> rb-err.txt || st=$?
[ "$st" -eq 4 ] || { cat rb.txt rb-err.txt; die "rollback exited $st, expected 4"; }
contains rb.txt "回退失败：设备的数据文件夹权限不对，请联系安装人员"
other "$SYNC" status --data data > status.txt || die "status as the other user"
contains status.txt "announcements: 1"
contains status.txt "last_sync: ok"
[ "$(id -u)" = 0 ] || chmod 0755 data/state
