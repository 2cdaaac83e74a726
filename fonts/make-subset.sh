#!/bin/sh
# make-subset.sh — regenerates the pinned test fonts from Debian's fonts-noto-cjk
# (Noto Sans CJK SC = face 2 of the .ttc): ASCII, CJK and general punctuation,
# full-width forms, GB2312 level-1 hanzi, and every character the demo bundle,
# the sources and the tests use.  Run from anywhere: fonts/make-subset.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=${NOTO_DIR:-/usr/share/fonts/opentype/noto}
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT

# Debian's python3 has fontTools; a pyenv python may not.
/usr/bin/python3 - "$top" >"$chars" <<'PY'
import glob, os, sys
top = sys.argv[1]
cps = set(range(0x20, 0x7F))                        # ASCII
cps |= set(range(0x3000, 0x3040))                   # CJK symbols and punctuation
cps |= set(range(0xFF01, 0xFF5F)) | set(range(0xFFE0, 0xFFE7))   # full-width forms
cps |= set(range(0x2010, 0x2028)) | set(range(0x2030, 0x203C))   # dashes, quotes, …, ‰ ′ ″
cps |= {0xA0, 0xA5, 0xA7, 0xB0, 0xB1, 0xB7, 0xD7, 0xF7, 0x2103, 0x2116, 0x2192, 0x2190,
        0x2191, 0x2193, 0x25CB, 0x25CF, 0x25A0, 0x25A1, 0x2605, 0x2606, 0x203B, 0x30FB,
        0x2460, 0x2461, 0x2462, 0x2463, 0x2464, 0x2465, 0x2466, 0x2467, 0x2468, 0x2469}
# GB2312 level 1: rows 0xB0..0xD7, cells 0xA1..0xFE (0xD7FA..0xD7FE are unassigned).
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            cps.add(ord(bytes([hi, lo]).decode('gb2312')))
        except UnicodeDecodeError:
            pass

def text_of(path):
    raw = open(path, 'rb').read()
    encs = ['utf-16'] if raw[:2] in (b'\xff\xfe', b'\xfe\xff') else ['utf-8-sig', 'gb18030']
    for enc in encs:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return ''       # a deliberately broken fixture: nothing to draw from it

files = []
for pat in ('assets/demo/**/*.csv', 'assets/demo/*.conf', 'src/**/*.[ch]'):
    files += glob.glob(os.path.join(top, pat), recursive=True)
for ext in ('c', 'h', 'sh', 'csv', 'txt', 'conf', 'ini', 'py'):
    files += glob.glob(os.path.join(top, 'tests', '**', '*.' + ext), recursive=True)
for f in sorted(files):
    cps |= {ord(c) for c in text_of(f) if ord(c) >= 0x20}
# Rare name characters staff type on honor rolls (all in Noto Sans CJK SC).
cps |= {ord(c) for c in '喆堃玥赟燚昇珺琦瑄婧祎犇淼垚焱鑫磊森晶鹏'}
print(','.join('U+%04X' % c for c in sorted(cps)))
PY

for w in Regular Bold; do
    pyftsubset "$src/NotoSansCJK-$w.ttc" --font-number=2 \
        --unicodes-file="$chars" --layout-features='*' --name-IDs='*' \
        --notdef-outline --output-file="$top/fonts/NotoSansSC-NB-$w.otf"
done
ls -l "$top"/fonts/*.otf
