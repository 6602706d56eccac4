#!/usr/bin/python3
"""Builds the seed corpora in corpus/<target>/ (run from anywhere; needs a built specimen-cli).

Usage: make-seeds.py PATH-TO-specimen-cli

Seeds are the test fixtures (copied), hand-built ELF files (both classes and byte orders),
a small gcc-built ELF, text for the strings and indicator extractors, and JSON reports the
CLI writes for the fixtures. Inputs the fuzzer found are added next to them by hand
(crash-*, named after what they broke) and are never regenerated.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")
CORPUS = os.path.join(HERE, "corpus")


def out(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def fixture(*parts):
    with open(os.path.join(FIXTURES, *parts), "rb") as f:
        return f.read()


def elf(bits, big):
    """An ELF executable with one PT_LOAD, .text, .symtab, .strtab, .dynamic and .shstrtab."""
    e = ">" if big else "<"
    addr = "Q" if bits == 64 else "I"
    ehsize, phentsize, shentsize = (64, 56, 64) if bits == 64 else (52, 32, 40)
    text = b"\x90" * 16
    strtab = b"\0main\0_start\0libc.so.6\0"
    if bits == 64:
        sym = lambda name, value, info: struct.pack(e + "IBBHQQ", name, info, 0, 1, value, 0)
        dyn = lambda tag, val: struct.pack(e + "qQ", tag, val)
    else:
        sym = lambda name, value, info: struct.pack(e + "IIIBBH", name, value, 0, info, 0, 1)
        dyn = lambda tag, val: struct.pack(e + "iI", tag, val)
    symtab = sym(0, 0, 0) + sym(1, 0x401000, 0x12) + sym(6, 0x401000, 0x12)
    dynamic = dyn(1, 13) + dyn(0, 0)
    shstrtab = b"\0.text\0.symtab\0.strtab\0.dynamic\0.shstrtab\0"
    off = ehsize + phentsize
    layout = []
    for blob in (text, symtab, strtab, dynamic, shstrtab):
        layout.append(off)
        off += len(blob)
    shoff = (off + 7) & ~7
    machine = 62 if bits == 64 else 3
    ident = b"\x7fELF" + bytes([2 if bits == 64 else 1, 2 if big else 1, 1, 0]) + bytes(8)
    hdr = ident + struct.pack(e + "HHI" + addr + addr + addr + "IHHHHHH", 2, machine, 1,
                              0x401000 + layout[0], ehsize, shoff, 0, ehsize, phentsize, 1,
                              shentsize, 6, 5)
    if bits == 64:
        ph = struct.pack(e + "IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, off, off, 0x1000)
    else:
        ph = struct.pack(e + "IIIIIIII", 1, 0, 0x400000, 0x400000, off, off, 5, 0x1000)
    body = hdr + ph + text + symtab + strtab + dynamic + shstrtab
    body += bytes(shoff - len(body))

    def sh(name, typ, flags, offset, size, link=0, info=0, entsize=0):
        return struct.pack(e + "II" + addr + addr + addr + addr + "II" + addr + addr, name, typ,
                           flags, 0x400000 + offset if flags else 0, offset, size, link, info,
                           8 if bits == 64 else 4, entsize)

    sym_size = len(symtab) // 3
    dyn_size = len(dynamic) // 2
    shdrs = (bytes(shentsize) +
             sh(1, 1, 6, layout[0], len(text)) +
             sh(7, 2, 0, layout[1], len(symtab), 3, 1, sym_size) +
             sh(15, 3, 0, layout[2], len(strtab)) +
             sh(23, 6, 3, layout[3], len(dynamic), 3, 0, dyn_size) +
             sh(32, 3, 0, layout[4], len(shstrtab)))
    return body + shdrs


def gcc_elf(tmp):
    src = os.path.join(tmp, "t.c")
    exe = os.path.join(tmp, "t")
    with open(src, "w") as f:
        f.write("const char *url = \"http://example.com/a\";\n"
                "void _start (void) { for (;;) ; }\n")
    subprocess.run(["gcc", "-Os", "-nostdlib", "-static", "-s", "-o", exe, src], check=True)
    with open(exe, "rb") as f:
        return f.read()


def main():
    cli = sys.argv[1]
    for target in ("file-type", "pe", "elf", "bmp", "strings", "ioc", "image", "crypto",
                   "report-json"):
        d = os.path.join(CORPUS, target)
        if os.path.isdir(d):
            for name in os.listdir(d):
                if name.startswith("seed-"):
                    os.remove(os.path.join(d, name))

    images = sorted(n for n in os.listdir(os.path.join(FIXTURES, "images"))
                    if not n.endswith(".py"))
    pes = sorted(os.listdir(os.path.join(FIXTURES, "pe")))
    elfs = {"elf32-le": elf(32, False), "elf32-be": elf(32, True),
            "elf64-le": elf(64, False), "elf64-be": elf(64, True)}
    with tempfile.TemporaryDirectory() as tmp:
        elfs["gcc-static"] = gcc_elf(tmp)

    for name in pes:
        out("pe", "seed-" + name, fixture("pe", name))
        out("file-type", "seed-" + name, fixture("pe", name))
    for name, data in elfs.items():
        out("elf", "seed-" + name, data)
        out("file-type", "seed-" + name, data)
    for name in images:
        out("image", "seed-" + name, fixture("images", name))
        out("file-type", "seed-" + name, fixture("images", name))
        if name.endswith(".bmp"):
            out("bmp", "seed-" + name, fixture("images", name))
    for name in ("keyfile.spec", "password.spec"):
        out("crypto", "seed-" + name, fixture("crypto", name))
        out("file-type", "seed-" + name, fixture("crypto", name))
    for name, data in (("pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
                       ("zip", b"PK\x03\x04" + bytes(26) + b"PK\x05\x06" + bytes(18)),
                       ("script", b"#!/bin/sh\necho hi\n"),
                       ("utf16", "\ufeffhello world".encode("utf-16-le"))):
        out("file-type", "seed-" + name, data)

    text = (b"GetProcAddress\0LoadLibraryA\0http://evil.example.com/x.php?a=1\0"
            b"C:\\Windows\\System32\\cmd.exe\0HKEY_LOCAL_MACHINE\\Software\\Run\0"
            b"admin@example.org 10.0.0.1 2001:db8::1\0")
    wide = "http://example.net/p user@example.net \u4e2d\u6587 Software".encode("utf-16-le")
    for name, ctl, data in (("ascii", b"\x03\x00\x01\x00", text),
                            ("utf16", b"\x03\x03\x02\x00", wide + b"\0\0" + text),
                            ("long-run", b"\x03\x02\x05\x00", b"A" * 40000 + b"http://x.com/" +
                             b"B" * 40000),
                            ("long-utf16", b"\x03\x03\x07\x00",
                             ("x" * 20000 + "http://y.example.com/").encode("utf-16-le"))):
        out("strings", "seed-" + name, ctl + data)

    for i, line in enumerate((
            b"\0http://evil.example.com/path?q=1 and hxxps://bad[.]example[.]org/x",
            b"\0mail admin@example.com from 192.168.1.20 or 8.8.8[.]8, v6 fe80::1:2",
            b"\1C:\\Users\\Public\\x.exe HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
            b"\0d41d8cd98f00b204e9800998ecf8427e CVE-2021-44228 1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            b"\0bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq VirtualAlloc CreateRemoteThread",
            b"\0/etc/passwd /tmp/.x ~/.ssh/authorized_keys evil.example.co.uk")):
        out("ioc", "seed-%d" % i, line)

    with tempfile.TemporaryDirectory() as tmp:
        for name, path in (("pe", os.path.join(FIXTURES, "pe", "hello64.exe")),
                           ("bmp", os.path.join(FIXTURES, "images", "pal4.bmp")),
                           ("png", os.path.join(FIXTURES, "images", "rgb.png"))):
            report = os.path.join(tmp, name + ".json")
            subprocess.run([cli, "analyze", "--format=json", "--max-strings=20", "-o", report,
                            path], check=True)
            with open(report, "rb") as f:
                out("report-json", "seed-" + name, f.read())
        elf_path = os.path.join(tmp, "elf")
        with open(elf_path, "wb") as f:
            f.write(elfs["elf64-le"])
        report = os.path.join(tmp, "elf.json")
        subprocess.run([cli, "analyze", "--format=json", "-o", report, elf_path], check=True)
        with open(report, "rb") as f:
            out("report-json", "seed-elf", f.read())


if __name__ == "__main__":
    main()
