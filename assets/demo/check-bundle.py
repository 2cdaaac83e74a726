#!/usr/bin/env python3
"""check-bundle.py — sanity check of a bundle folder (the demo by default),
independent of the C importer: detects each CSV's encoding the way docs/bundle.md
says, parses it, checks the required columns and that media files exist.
Usage: check-bundle.py [DIR/noticeboard]   Exit 0 when all is well."""
import csv, io, os, sys

COLS = {  # file: (required, optional) — English and Chinese names
    'announcements': ([('title', '标题')],
                      [('body', '内容'), ('image', '图片'), ('start', '开始'), ('end', '结束'),
                       ('days', '星期'), ('hours', '时段'), ('duration', '时长'), ('priority', '级别')]),
    'events': ([('date', '日期'), ('title', '活动')],
               [('start_time', '开始时间'), ('end_time', '结束时间'), ('place', '地点'),
                ('organizer', '主办'), ('note', '备注')]),
    'honors': ([('roll', '榜单'), ('name', '姓名')],
               [('honor', '荣誉'), ('unit', '单位'), ('year', '年度'), ('photo', '照片'),
                ('start', '开始'), ('end', '结束')]),
    'ticker': ([('text', '内容')], [('start', '开始'), ('end', '结束')]),
    'holidays': ([('date', '日期'), ('kind', '类型')], [('name', '名称')]),
    'settings': ([('key', '项目'), ('value', '值')], []),
}
MEDIA_COLS = {('image', '图片'), ('photo', '照片')}


def decode(raw):
    """Returns (text, delimiter, encoding name) following docs/bundle.md's rules."""
    if raw.startswith(b'\xef\xbb\xbf'):
        return raw[3:].decode('utf-8'), ',', 'utf-8-bom'
    if raw.startswith(b'\xff\xfe'):
        return raw[2:].decode('utf-16-le'), '\t', 'utf-16le'
    if raw.startswith(b'\xfe\xff'):
        return raw[2:].decode('utf-16-be'), '\t', 'utf-16be'
    try:
        return raw.decode('utf-8'), ',', 'utf-8'
    except UnicodeDecodeError:
        return raw.decode('gb18030'), ',', 'gb18030'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'noticeboard')
    bad = 0
    for kind, (req, opt) in COLS.items():
        path = os.path.join(top, kind + '.csv')
        if not os.path.exists(path):
            continue
        text, delim, enc = decode(open(path, 'rb').read())
        rows = list(csv.reader(io.StringIO(text, newline=''), delimiter=delim, strict=True))
        head = [h.strip() for h in rows[0]]
        known = {n for pair in req + opt for n in pair}
        for h in head:
            if h not in known:
                print(f'{kind}.csv: unknown column {h!r}'); bad += 1
        for pair in req:
            if not any(n in head for n in pair):
                print(f'{kind}.csv: missing column {pair[0]}'); bad += 1
        media = [i for i, h in enumerate(head) if any(h in p for p in MEDIA_COLS)]
        if kind == 'settings':
            media = []
        for n, r in enumerate(rows[1:], 2):
            if len(r) != len(head):
                print(f'{kind}.csv:{n}: {len(r)} cells, header has {len(head)}'); bad += 1
            for i in media:
                if i < len(r) and r[i] and not os.path.isfile(os.path.join(top, r[i])):
                    print(f'{kind}.csv:{n}: no such media {r[i]}'); bad += 1
            if kind == 'settings' and r[0] in ('logo', '标志') and \
                    not os.path.isfile(os.path.join(top, r[1])):
                print(f'settings.csv:{n}: no such media {r[1]}'); bad += 1
        print(f'{kind}.csv: {enc}, {len(rows) - 1} rows, columns {",".join(head)}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
