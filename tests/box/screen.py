"""screen.py — what is on the box's screen, against what the project's own
`noticeboard render` draws for the same moment.  Comparison with ImageMagick
(`compare -metric AE -fuzz`): the share of pixels that differ by more than the
fuzz, so anti-aliasing and the ticker's position count little and a different
slide, a message box or a black screen count a lot."""
import os
import subprocess
import time

FUZZ = '20%'
# Both pictures are first scaled down 4 times (box filter): anti-aliasing and
# sub-pixel placement wash out, text and layout stay.  The ticker band (the
# bottom 8 %) is cut off: it scrolls.  Measured (tests/box/README.md): the
# same slide at the same minute differs in under 0.1 % of the scaled pixels,
# at another minute in 0.7 % (the idle screen's big clock), the message pill
# above the ticker in 1.5 % or more, another slide in 10 % or more.
SAME = 0.003
TICKER = 0.92
# While an import's result card is up (15 s) only the top of the screen is
# compared: the card's top edge is at 69.6 % of the height (1920x1080).
TOP = 0.65
# The header and a slide's title: above a card with two lines of detail.
HEAD = 0.4
SMALL = 4
TMP = None          # where the scaled copies go (set by box.py)


def small(png, crop=1.0, out=None):
    """png scaled down SMALL times (and cut to its top `crop` share)."""
    out = out or os.path.join(TMP or os.path.dirname(png), '%s-small%d.png' % (
        os.path.basename(png)[:-4] + '-' + str(abs(hash(png)) % 10**8), int(crop * 100)))
    if not os.path.exists(out):
        w, h = size(png)
        cmd = ['convert', png]
        if crop < 1.0:
            cmd += ['-crop', '%dx%d+0+0' % (w, int(h * crop)), '+repage']
        cmd += ['-scale', '%dx%d!' % (w // SMALL, int(h * crop) // SMALL), out]
        subprocess.run(cmd, check=True)
    return out


def diff(a, b):
    """Share of pixels of a and b that differ (1.0 when the sizes differ)."""
    r = subprocess.run(['compare', '-metric', 'AE', '-fuzz', FUZZ, a, b, 'null:'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode > 1:
        return 1.0
    try:
        n = float(r.stderr.split()[0])
    except (ValueError, IndexError):
        return 1.0
    w, h = size(a)
    return n / (w * h)


def size(png):
    with open(png, 'rb') as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], 'big'), int.from_bytes(head[20:24], 'big')


def mean(png):
    """Mean brightness 0..1."""
    r = subprocess.run(['convert', png, '-colorspace', 'gray', '-format', '%[fx:mean]', 'info:'],
                       capture_output=True, text=True)
    try:
        return float(r.stdout.strip())
    except ValueError:
        return -1.0


def card_colour(png):
    """Mean (r, g, b) 0..1 of a strip inside the import's card, right of its
    text (the progress card is blue, a result card green or red)."""
    w, h = size(png)
    r = subprocess.run(['convert', png, '-crop', '%dx%d+%d+%d' % (w // 5, h // 50, w * 73 // 100,
                                                                   h * 83 // 100),
                        '+repage', '-scale', '1x1!', '-format', '%[fx:r] %[fx:g] %[fx:b]',
                        'info:'], capture_output=True, text=True)
    try:
        return tuple(float(x) for x in r.stdout.split())
    except ValueError:
        return (0.0, 0.0, 0.0)


def card_kind(png):
    """The import's card on screen by its colour (notecard.c): 'ok' (green),
    'warn' (amber: imported with warnings), 'fail' (red, or purple when not
    authorised), 'progress' (blue), or None (no card)."""
    r, g, b = card_colour(png)
    if max(r, g, b) - min(r, g, b) < 0.25:
        return None
    if g > r and g > b:
        return 'ok'
    if r > g:
        return 'warn' if g > 0.45 else 'fail'
    return 'progress' if b > g > r else None


class Renders:
    """`noticeboard render` of a host data folder at a minute, cached."""

    def __init__(self, nb, out_dir, size):
        self.nb, self.dir, self.size = nb, out_dir, size
        self.cache = {}

    def at(self, data, conf, minute):
        key = (data, conf, minute)
        if key not in self.cache:
            out = os.path.join(self.dir, 'render-%d' % len(self.cache))
            os.makedirs(out)
            r = subprocess.run([self.nb, 'render', '--data', data, '--config', conf,
                                '--at', minute, '--size', self.size, '--out', out],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError('render failed: %s' % r.stderr.strip())
            self.cache[key] = [ln for ln in r.stdout.split('\n') if ln.endswith('.png')]
        return self.cache[key]


def minute_of(ns):
    """The civil minute of ns in the guest's time zone (box.py sets TZ)."""
    return time.strftime('%Y-%m-%d %H:%M', time.localtime(ns / 1e9))


_last = {}


def best(shot, pngs, crop=TICKER):
    """(share of differing pixels, png) of the closest render; the render
    that matched last time is tried first."""
    a = small(shot, crop)
    order = sorted(pngs, key=lambda p: p != _last.get(crop))
    scored = []
    for p in order:
        d = diff(a, small(p, crop))
        scored.append((d, p))
        if d <= SAME / 3:
            break
    d, p = min(scored)
    if d <= SAME:
        _last[crop] = p
    return d, p
