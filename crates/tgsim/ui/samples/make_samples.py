import struct, zlib, math, wave, io

def png(w, h, pixel, path):
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            raw.extend(pixel(x, y))
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

# photo: a sunset over hills and the sea, 320x240
def photo(x, y):
    t = y / 240
    r, g, b = int(255 - 50*t), int(165 - 25*t), int(95 + 100*t)
    d = math.hypot(x - 210, y - 105)
    if d < 38: r, g, b = 255, 228, 125
    elif d < 60:
        k = (60 - d) / 22 * 0.35
        r, g, b = int(r + (255-r)*k), int(g + (228-g)*k), int(b + (125-b)*k)
    hill = 165 + 22*math.sin(x/37.0) + 8*math.sin(x/13.0)
    if y > hill: r, g, b = 58, int(118 + 18*math.sin(x/23.0) + (y-hill)*0.3), 66
    if y > 205: r, g, b = 36, int(92 + (y-205)), int(150 + (y-205))
    return (r, g, b, 255)
png(320, 240, photo, "photo.png")

# second photo: a sailing boat on a blue sea, 320x240
def photo2(x, y):
    if y < 150: r, g, b = int(120 + y*0.5), int(180 + y*0.3), 242
    else: r, g, b = 30, int(110 + (y-150)*0.7), int(175 + (y-150)*0.6)
    if 60 <= y < 140 and 160 <= x <= 160 + (y-55)*0.75: r, g, b = 250, 250, 244
    if 60 <= y < 135 and 150 - (y-60)*0.45 <= x < 157: r, g, b = 236, 236, 230
    if 140 <= y < 162 and 105 + (y-140) <= x <= 215 - (y-140): r, g, b = 140, 72, 40
    if 55 <= y < 162 and 157 <= x < 160: r, g, b = 90, 60, 40
    return (r, g, b, 255)
png(320, 240, photo2, "photo2.png")

# sticker: a round smiling face on a transparent background, 256x256, edges smoothed by
# averaging 3x3 samples per pixel
def face(x, y):
    cx = cy = 128; d = math.hypot(x-cx, y-cy)
    if d > 118: return None
    if d > 112: return (200, 140, 20)
    if math.hypot(x-88, y-100) < 14 or math.hypot(x-168, y-100) < 14: return (60, 40, 20)
    if y > 140 and abs(math.hypot(x-128, y-118) - 56) < 6: return (60, 40, 20)
    return (255, 205, 60)
def sticker(x, y):
    acc = [0, 0, 0]; n = 0
    for i in range(3):
        for j in range(3):
            c = face(x + (i + .5) / 3, y + (j + .5) / 3)
            if c:
                n += 1
                for k in range(3): acc[k] += c[k]
    if not n: return (0, 0, 0, 0)
    return (acc[0] // n, acc[1] // n, acc[2] // n, 255 * n // 9)
png(256, 256, sticker, "sticker.png")

# a 1.2 s two-tone "voice" (encoded to Ogg Opus by opusenc afterwards)
buf = io.BytesIO()
with wave.open("/tmp/voice.wav", "wb") as wv:
    wv.setnchannels(1); wv.setsampwidth(2); wv.setframerate(16000)
    frames = bytearray()
    for i in range(int(16000*1.2)):
        t = i / 16000
        f = 440 if t < 0.6 else 550
        env = min(1, t*20, (1.2-t)*20)
        frames += struct.pack("<h", int(9000*env*math.sin(2*math.pi*f*t)))
    wv.writeframes(bytes(frames))

# a one-page PDF
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
stream = b"BT /F1 18 Tf 24 90 Td (Invoice #1042) Tj 0 -30 Td /F1 12 Tf (tgsim sample document) Tj ET"
objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
out = bytearray(b"%PDF-1.4\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs)+1)
for o in offs: out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs)+1, xref)
open("invoice.pdf", "wb").write(out)
