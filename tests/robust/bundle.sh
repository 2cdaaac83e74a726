# Shared by r-crash.sh and r-faults.sh (sourced, not run by run.sh): makes
# the large fixture bundles and the content digest of a feed.

# make_photos DIR : 30 distinct 3000×2000 JPEGs p1..p30.jpg, made once with
# ImageMagick and cached in $TOP/$BUILD/robust/photos (a number drawn on
# each, so every photo decodes to different pixels; in the project's own font,
# since a fresh machine has no font ImageMagick's default "helvetica" maps to).
make_photos() {
    local build=${BUILD:-build}
    [ "${build#/}" != "$build" ] || build=$TOP/$build
    local cache=$build/robust/photos
    if [ ! -f "$cache/p30.jpg" ]; then
        command -v convert >/dev/null || die "ImageMagick convert missing (make deps)"
        local tmp
        mkdir -p "$build"
        tmp=$(mktemp -d "$build/robust.XXXXXX")
        seq 1 30 | xargs -P2 -I{} convert "$TOP/tests/fixtures/images/big.jpg" \
            -font "$TOP/fonts/NotoSansSC-NB-Bold.otf" -fill white -pointsize 300 -annotate +200+600 "{}" -quality 85 "$tmp/p{}.jpg" ||
            die "could not make the fixture photos"
        [ -f "$tmp/p30.jpg" ] || die "could not make the fixture photos"
        mkdir -p "$(dirname "$cache")"
        # Another run may have won the race: keep whichever landed first.
        mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
    fi
    mkdir -p "$1"
    cp "$cache"/p*.jpg "$1/"
}

# make_bundle DIR VARIANT : a stick folder DIR/noticeboard with 1,000
# announcements, 3,000 events, 3,000 honors, 20 ticker lines, 30 photos.
make_bundle() {
    make_photos "$1/noticeboard/media"
    python3 "$TOP/tests/robust/mkbundle.py" "$1" "$2" 30
}

# digest FEED : sha256 of everything a feed shows — every content table,
# media blobs included, and meta except the version and creation time that
# differ between two imports of the same bundle.
digest() {
    { sqlite3 -readonly "$1" '.dump announcements events honor_rolls honor_entries ticker holidays settings media' &&
      sqlite3 -readonly "$1" "select key, value from meta where key not in ('feed_version', 'created_at') order by key"
    } | sha256sum | cut -c1-64
}

# quick_check FEED : returns 1 (and says why) unless quick_check says ok.
quick_check() {
    local r
    r=$(sqlite3 -readonly "$1" 'pragma quick_check' 2>&1) || true
    [ "$r" = ok ] || { echo "quick_check of $1: $r" >&2; return 1; }
}

# now_ms : monotonic-enough wall time in milliseconds.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
