#!/usr/bin/python3
"""Independent oracle for test-bmp.

  bmp-oracle.py make DIR   writes bitmaps with python3-pil into DIR and prints their paths (JSON)
  bmp-oracle.py walk FILE  prints the header fields of FILE from a plain struct walk (JSON)
"""

import json
import os
import struct
import sys


def make(directory):
    from PIL import Image

    paths = []
    for mode, size in (("1", (13, 7)), ("L", (5, 3)), ("P", (17, 9)), ("RGB", (13, 7)), ("RGBA", (3, 11))):
        image = Image.new(mode, size)
        for x in range(size[0]):
            image.putpixel((x, x % size[1]), 1 if mode in ("1", "L", "P") else (x * 20 % 256,) * len(mode))
        path = os.path.join(directory, "pil-%s.bmp" % mode)
        image.save(path)
        paths.append(path)
    json.dump({"paths": paths}, sys.stdout)


def walk(path):
    with open(path, "rb") as f:
        data = f.read()
    out = {}
    signature, file_size, _, _, pixel_offset = struct.unpack_from("<2sIHHI", data, 0)
    (header_size,) = struct.unpack_from("<I", data, 14)
    out.update(
        signature=signature.decode("latin-1"),
        file_size=file_size,
        pixel_offset=pixel_offset,
        header_size=header_size,
    )
    if header_size == 12:
        width, height, planes, bpp = struct.unpack_from("<HHHH", data, 18)
        out.update(width=width, height=height, planes=planes, bits_per_pixel=bpp)
    else:
        width, height, planes, bpp = struct.unpack_from("<iiHH", data, 18)
        out.update(width=width, height=height, planes=planes, bits_per_pixel=bpp)
        if header_size >= 40:
            compression, image_size, xppm, yppm, used, important = struct.unpack_from("<IIiiII", data, 30)
            out.update(
                compression=compression,
                image_size=image_size,
                x_pixels_per_meter=xppm,
                y_pixels_per_meter=yppm,
                colors_used=used,
                colors_important=important,
            )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    {"make": make, "walk": walk}[sys.argv[1]](sys.argv[2])
