#!/bin/sh
# Regenerates the demo samples that `make run` opens (needs gcc-mingw-w64-x86-64 and python3-pil):
#   demo.exe  a harmless PE32+ program with strings, indicators, imports and version info
#   demo.bmp  a small picture with text appended after the pixels (strings, indicators, image page)
set -eu
cd "$(dirname "$0")"
x86_64-w64-mingw32-windres demo.rc -O coff -o demo-res.o
x86_64-w64-mingw32-gcc -O2 -s -o demo.exe demo.c demo-res.o -Wl,--no-insert-timestamp
rm -f demo-res.o
/usr/bin/python3 - <<'PY'
from PIL import Image, ImageDraw
image = Image.new("RGB", (96, 64), (246, 245, 244))
draw = ImageDraw.Draw(image)
for x in range(96):
    for y in range(64):
        if (x // 8 + y // 8) % 2 == 0:
            image.putpixel((x, y), (53, 132, 228))
draw.ellipse((28, 12, 68, 52), fill=(230, 97, 0))
image.save("demo.bmp")
trailer = (b"\x00" * 16 + b"Appended after the pixels: http://stego.example.com/exfil?d=1\x00"
           + "hidden wide note 203.0.113.9".encode("utf-16-le") + b"\x00\x00")
with open("demo.bmp", "ab") as f:
    f.write(trailer)
PY
