#!/usr/bin/python3
"""Writes a text-heavy benchmark file: log-like ASCII lines full of indicators,
UTF-16LE runs and some binary noise, SIZE bytes (default 1 GiB), to PATH.
Deterministic (fixed seed) so every run measures the same file."""
import random
import sys

path = sys.argv[1]
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 30
rng = random.Random(1234)
words = ("connect send recv update beacon config token session agent proxy upload "
         "download install service thread memory kernel registry").split()
tlds = ["com", "net", "org", "io", "co.uk", "de", "ru", "cn"]

def line():
    kind = rng.randrange(8)
    host = "%s%d.example.%s" % (rng.choice(words), rng.randrange(1000), rng.choice(tlds))
    if kind == 0:
        return "GET https://%s/%s?id=%d HTTP/1.1" % (host, rng.choice(words), rng.randrange(99999))
    if kind == 1:
        return "peer %d.%d.%d.%d:%d %s" % (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256),
                                          rng.randrange(256), rng.randrange(1, 65536), rng.choice(words))
    if kind == 2:
        return "mail from %s@%s" % (rng.choice(words), host)
    if kind == 3:
        return "HKLM\\Software\\%s\\%s" % (rng.choice(words).title(), rng.choice(words).title())
    if kind == 4:
        return "C:\\Windows\\System32\\%s%d.dll" % (rng.choice(words), rng.randrange(100))
    if kind == 5:
        return " ".join(rng.choice(words) for _ in range(rng.randrange(3, 12)))
    if kind == 6:
        return "%064x" % rng.getrandbits(256)
    return "CreateRemoteThread WriteProcessMemory VirtualAllocEx %d" % rng.randrange(1000)

block = []
block_size = 0
while block_size < (4 << 20):
    text = line()
    if rng.randrange(10) == 0:
        piece = text.encode("utf-16-le") + b"\0\0"
    else:
        piece = text.encode("ascii") + b"\n"
    if rng.randrange(20) == 0:
        piece += bytes(rng.randrange(256) for _ in range(rng.randrange(8, 64)))
    block.append(piece)
    block_size += len(piece)
chunk = b"".join(block)

with open(path, "wb") as out:
    written = 0
    counter = 0
    while written < size:
        # Vary each repetition a little so digests and strings differ across the file.
        stamp = b"chunk %012d\n" % counter
        data = (stamp + chunk)[: size - written]
        out.write(data)
        written += len(data)
        counter += 1
