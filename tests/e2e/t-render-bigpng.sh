# The player holds a feed's images to the sync tool's caps (issue 14, one
# image probe): a feed made elsewhere (or by an older sync tool) whose
# poster is a 6000x6000 PNG (36 megapixels, over PNG_MAX_PIXELS; 54 KB
# compressed, 180 MB once decoded) is refused before decoding, logged,
# and the page drawn without it, under a 256 MiB address-space cap and a
# 60 s limit; a truncated PNG likewise.  The sync tool refuses both at
# import with a sentence for staff.
at '2026-11-01 08:00'
mkdir -p stick/noticeboard/media
cp "$TOP/tests/fixtures/images/small.jpg" stick/noticeboard/media/poster.jpg
printf 'title,body,image\n海报,,media/poster.jpg\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }
/usr/bin/python3 - <<'PY'
import struct, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
def png(w, h):
    raw = (b"\0" + b"\x80" * w) * h
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
open("big.png", "wb").write(png(6000, 6000))
small = png(400, 300)
open("cut.png", "wb").write(small[:len(small) - 20])
PY
memcap=(prlimit --as=$((256 << 20)))
libs=$(ldd "$NB")
if grep -q libasan <<<"$libs"; then memcap=(); fi
for f in big cut; do
    cp data/feed.db feed.orig
    sqlite3 data/feed.db "UPDATE media SET data = readfile('$f.png'), mime = 'image/png'"
    got=0
    timeout 60 "${memcap[@]}" "$NB" render --data data --config open.conf --at '2026-11-22 10:00' \
        --out "out-$f" > "paths-$f.txt" 2> "err-$f.txt" || got=$?
    [ "$got" -ne 124 ] || die "$f: render hung (killed after 60 s)"
    [ "$got" -eq 0 ] || { cat "err-$f.txt"; die "$f: render exited $got"; }
    [ -s "out-$f/01-announcement.png" ] || die "$f: no page drawn"
    cp feed.orig data/feed.db
done
contains err-big.txt 'does not decode: PNG over PNG_MAX_PIXELS'
contains err-cut.txt 'does not decode: PNG chunk past the end'
# The sync tool says why in words staff understand.
cp big.png stick/noticeboard/media/poster.png
printf 'title,body,image\n海报,,media/poster.png\n' > stick/noticeboard/announcements.csv
rm stick/noticeboard/media/poster.jpg
"$SYNC" import --data data --config open.conf stick > import2.txt 2>&1 || true
contains import2.txt 'PNG 图片 6000×6000 像素太大'
