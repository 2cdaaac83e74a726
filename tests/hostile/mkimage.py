#!/usr/bin/env python3
"""mkimage.py — hostile images for the robustness cases, made at test time
(Python stdlib only) instead of committed as binaries.

  mkimage.py scans OUT W H SCANS [arith]   a progressive JPEG (SOF2, or SOF10
        with arithmetic coding) of one grey component whose SCANS scans are
        all empty DC scans: 11 bytes each, but each makes libjpeg walk every
        block of the image ("scan bomb": 20,000 scans in 220 KB)
  mkimage.py coefs OUT W H COMPONENTS      a progressive JPEG of W x H with
        COMPONENTS full-resolution components and a single empty scan: a
        header of about 150 bytes that makes libjpeg allocate the whole
        image's DCT coefficients (W/8 * H/8 * 128 bytes per component)
        before it decodes anything, whatever the decode scale
  mkimage.py baseline OUT W H             a valid baseline grey JPEG of
        W x H, every block flat mid-grey (for sizes that must still import)
  mkimage.py png OUT W H COLOR_TYPE       a valid 8-bit PNG of W x H, flat
        grey, COLOR_TYPE 0 (grey), 2 (RGB), 3 (palette) or 6 (RGBA): a few
        hundred KB that decode to W*H*(1..4) bytes

Every file starts with SOI, has its tables before the frame and ends with
EOI, so the marker walk of the sync tool accepts it and the decoder is
what must refuse it.
"""
import struct
import sys
import zlib


def seg(marker, body):
    return struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body


def dqt():
    return seg(0xDB, bytes([0x00]) + bytes([1] * 64))


def dht_dc():
    # One DC table (class 0, id 0) with a single 1-bit code for category 0
    # (a difference of 0: every block keeps the DC of the one before).
    counts = bytes([1] + [0] * 15)
    return seg(0xC4, bytes([0x00]) + counts + bytes([0]))


def dht_ac():
    # One AC table (class 1, id 0) with a single 1-bit code for EOB.
    counts = bytes([1] + [0] * 15)
    return seg(0xC4, bytes([0x10]) + counts + bytes([0]))


def sof(marker, w, h, ncomp, hv=0x11):
    body = struct.pack(">BHHB", 8, h, w, ncomp)
    for c in range(ncomp):
        body += bytes([c + 1, hv, 0])
    return seg(marker, body)


def sos(comps, ss, se, ah_al):
    body = bytes([len(comps)])
    for c in comps:
        body += bytes([c, 0x00])
    body += bytes([ss, se, ah_al])
    return seg(0xDA, body)


def scans(w, h, n, arith):
    out = b"\xFF\xD8" + dqt()
    if not arith:
        out += dht_dc()
    out += sof(0xCA if arith else 0xC2, w, h, 1)
    # Empty DC first scans: the entropy data is one byte, then the next
    # marker; libjpeg warns "premature end of data segment", pads the scan
    # with zeros and goes on to the next.
    scan = sos([1], 0, 0, 0x00) + b"\x00"
    out += scan * n
    return out + b"\xFF\xD9"


def coefs(w, h, ncomp):
    out = b"\xFF\xD8" + dqt() + dht_dc() + sof(0xC2, w, h, ncomp)
    out += sos(list(range(1, ncomp + 1)), 0, 0, 0x00) + b"\x00"
    return out + b"\xFF\xD9"


class Bits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, nbits):
        for i in range(nbits - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = 0
                self.n = 0

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)
        return bytes(self.out)


def baseline(w, h):
    out = b"\xFF\xD8" + dqt() + dht_dc() + dht_ac() + sof(0xC0, w, h, 1)
    out += sos([1], 0, 63, 0x00)
    blocks = ((w + 7) // 8) * ((h + 7) // 8)
    bits = Bits()
    for _ in range(blocks):
        bits.put(0, 1)      # DC difference 0
        bits.put(0, 1)      # EOB
    return out + bits.flush() + b"\xFF\xD9"


def png(w, h, color_type):
    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    bpp = {0: 1, 2: 3, 3: 1, 6: 4}[color_type]
    z = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * (w * bpp)
    idat = b"".join(z.compress(row) for _ in range(h)) + z.flush()
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
    if color_type == 3:
        out += chunk(b"PLTE", b"\x80\x80\x80" * 256)
    return out + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def main(argv):
    if len(argv) >= 6 and argv[1] == "scans":
        data = scans(int(argv[3]), int(argv[4]), int(argv[5]), len(argv) > 6 and argv[6] == "arith")
    elif len(argv) == 6 and argv[1] == "coefs":
        data = coefs(int(argv[3]), int(argv[4]), int(argv[5]))
    elif len(argv) == 5 and argv[1] == "baseline":
        data = baseline(int(argv[3]), int(argv[4]))
    elif len(argv) == 6 and argv[1] == "png":
        data = png(int(argv[3]), int(argv[4]), int(argv[5]))
    else:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[2], "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
