#!/usr/bin/python3
"""Independent reader for Specimen encrypted reports.

Written from docs/encrypted-report.md alone, with PyNaCl (Argon2id) and
PyCryptodome (AES-256-GCM) instead of our C code, so that a test passing
means the document and the implementation agree.

  decrypt-report.py (--password-file F | --key-file F) IN OUT
  decrypt-report.py --self-test      TAP test driving $SPECIMEN_CLI
"""

import argparse
import json
import os
import stat
import struct
import subprocess
import sys
import tempfile

import nacl.pwhash
from Cryptodome.Cipher import AES

HEADER = struct.Struct("<8sBBBBQQ16s12s")
assert HEADER.size == 56
TAG_SIZE = 16
MAX_OPSLIMIT = 16
MAX_MEMLIMIT = 1 << 30


class FormatError(Exception):
    pass


def parse_header(blob):
    if len(blob) < 8 or blob[:8] != b"SPECIMEN":
        raise FormatError("not a Specimen encrypted file")
    if len(blob) < HEADER.size:
        raise FormatError("truncated header")
    magic, version, cipher, key_source, payload, ops, mem, salt, nonce = HEADER.unpack_from(blob)
    if version != 1:
        raise FormatError("unknown version %d" % version)
    if cipher != 1:
        raise FormatError("unknown cipher %d" % cipher)
    if key_source not in (1, 2):
        raise FormatError("unknown key source %d" % key_source)
    if payload not in (1, 2):
        raise FormatError("unknown payload type %d" % payload)
    if key_source == 1:
        if not (1 <= ops <= MAX_OPSLIMIT and 8192 <= mem <= MAX_MEMLIMIT):
            raise FormatError("KDF parameters out of range")
    elif ops != 0 or mem != 0 or salt != bytes(16):
        raise FormatError("key-file header with KDF parameters")
    return dict(key_source=key_source, payload=payload, ops=ops, mem=mem, salt=salt, nonce=nonce)


def read_password(path):
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    return data


def decrypt(blob, password=None, key=None):
    """Returns (payload type, plaintext); raises on any problem."""
    header = parse_header(blob)
    if len(blob) < HEADER.size + TAG_SIZE:
        raise FormatError("truncated body")
    if header["key_source"] == 1:
        if password is None:
            raise FormatError("file wants a password")
        key = nacl.pwhash.argon2id.kdf(32, password, header["salt"],
                                       opslimit=header["ops"], memlimit=header["mem"])
    elif key is None or len(key) != 32:
        raise FormatError("file wants a 32-byte key file")
    cipher = AES.new(key, AES.MODE_GCM, nonce=header["nonce"], mac_len=TAG_SIZE)
    cipher.update(blob[:HEADER.size])
    body = blob[HEADER.size:]
    plaintext = cipher.decrypt_and_verify(body[:-TAG_SIZE], body[-TAG_SIZE:])
    return header["payload"], plaintext


def encrypt(plaintext, payload, password=None, key=None, ops=1, mem=8192):
    """The writer side, also from the document, to check that our C reader agrees."""
    if password is not None:
        salt = os.urandom(16)
        key = nacl.pwhash.argon2id.kdf(32, password, salt, opslimit=ops, memlimit=mem)
        header = HEADER.pack(b"SPECIMEN", 1, 1, 1, payload, ops, mem, salt, os.urandom(12))
    else:
        header = HEADER.pack(b"SPECIMEN", 1, 1, 2, payload, 0, 0, bytes(16), os.urandom(12))
    cipher = AES.new(key, AES.MODE_GCM, nonce=header[44:56], mac_len=TAG_SIZE)
    cipher.update(header)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return header + ciphertext + tag


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, name))
        if not ok:
            self.failed += 1
            for line in str(detail).splitlines():
                print("# " + line)
        sys.stdout.flush()


def run(args, stdin=None, env=None):
    return subprocess.run(args, input=stdin, capture_output=True, env=env)


def self_test():
    cli = os.environ.get("SPECIMEN_CLI")
    if not cli:
        print("1..0 # SKIP SPECIMEN_CLI is not set")
        return 0
    fast = dict(os.environ, SPECIMEN_KDF_PROFILE="interactive")
    slow = {k: v for k, v in os.environ.items() if k != "SPECIMEN_KDF_PROFILE"}
    tap = Tap()
    work = tempfile.mkdtemp(prefix="specimen-decrypt-")

    def path(name):
        return os.path.join(work, name)

    binary = os.urandom(5000) + b"\x00SPECIMEN\n"
    with open(path("binary.bin"), "wb") as f:
        f.write(binary)
    report = {"schema": "specimen-report/1", "file": {"name": "caf\u00e9.exe", "size": 3}}
    report_bytes = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
    with open(path("report.json"), "wb") as f:
        f.write(report_bytes)
    password = "correct horse \u00e9 battery".encode("utf-8")
    with open(path("pw.txt"), "wb") as f:
        f.write(password + b"\n")

    # 1. Key file: made by keygen, used by encrypt, read back here.
    r = run([cli, "keygen", "-o", path("k.key")])
    mode = stat.S_IMODE(os.stat(path("k.key")).st_mode) if r.returncode == 0 else None
    key = open(path("k.key"), "rb").read() if r.returncode == 0 else b""
    tap.check(r.returncode == 0 and len(key) == 32 and mode == 0o600,
              "keygen writes 32 bytes with mode 0600", (r.returncode, r.stderr, mode))
    r = run([cli, "encrypt", "--key-file=" + path("k.key"), "-o", path("binary.spec"),
             path("binary.bin")])
    try:
        blob = open(path("binary.spec"), "rb").read()
        kind, plain = decrypt(blob, key=key)
        tap.check(r.returncode == 0 and plain == binary and kind == 2
                  and len(blob) == 56 + len(binary) + 16 and blob[10] == 2,
                  "key-file container decrypts byte-exact, payload type 2")
    except Exception as e:
        tap.check(False, "key-file container decrypts byte-exact, payload type 2", (e, r.stderr))

    # 2. Password from a file (one trailing newline stripped), JSON report payload.
    r = run([cli, "encrypt", "--password-file=" + path("pw.txt"), "-o", path("report.spec"),
             path("report.json")], env=fast)
    try:
        blob = open(path("report.spec"), "rb").read()
        kind, plain = decrypt(blob, password=password)
        ops, mem = struct.unpack_from("<QQ", blob, 12)
        tap.check(r.returncode == 0 and plain == report_bytes and kind == 1
                  and (ops, mem) == (2, 64 << 20),
                  "password container decrypts byte-exact, payload type 1")
    except Exception as e:
        tap.check(False, "password container decrypts byte-exact, payload type 1", (e, r.stderr))

    # 3. Password on standard input, CRLF stripped.
    r = run([cli, "encrypt", "--password-file=-", "-o", path("stdin.spec"), path("binary.bin")],
            stdin=password + b"\r\n", env=fast)
    try:
        kind, plain = decrypt(open(path("stdin.spec"), "rb").read(), password=password)
        tap.check(r.returncode == 0 and plain == binary, "password from stdin, CRLF stripped")
    except Exception as e:
        tap.check(False, "password from stdin, CRLF stripped", (e, r.stderr))

    # 4. Default parameters, once: the documented MODERATE values.
    r = run([cli, "encrypt", "--password-file=" + path("pw.txt"), "-o", path("default.spec"),
             path("report.json")], env=slow)
    try:
        blob = open(path("default.spec"), "rb").read()
        ops, mem = struct.unpack_from("<QQ", blob, 12)
        kind, plain = decrypt(blob, password=password)
        tap.check(r.returncode == 0 and (ops, mem) == (3, 268435456) and plain == report_bytes,
                  "default Argon2id parameters are opslimit 3, memlimit 256 MiB",
                  (ops, mem))
    except Exception as e:
        tap.check(False, "default Argon2id parameters", (e, r.stderr))

    # 5. A tampered file fails here and in the CLI, which then writes nothing.
    blob = bytearray(open(path("report.spec"), "rb").read())
    blob[60] ^= 0x01
    with open(path("tampered.spec"), "wb") as f:
        f.write(blob)
    try:
        decrypt(bytes(blob), password=password)
        python_refused = False
    except Exception:
        python_refused = True
    r = run([cli, "decrypt", "--password-file=" + path("pw.txt"), "-o", path("tampered.out"),
             path("tampered.spec")])
    tap.check(python_refused and r.returncode == 1 and not os.path.exists(path("tampered.out")),
              "tampered file refused by both readers, no output", (r.returncode, r.stderr))

    # 6. The other direction: a file written from the document, read by the CLI.
    blob = encrypt(report_bytes, 1, password=password, ops=2, mem=1 << 20)
    with open(path("python.spec"), "wb") as f:
        f.write(blob)
    r = run([cli, "decrypt", "--password-file=" + path("pw.txt"), path("python.spec")])
    tap.check(r.returncode == 0 and r.stdout == report_bytes,
              "CLI decrypts a password file written by this script", r.stderr)
    blob = encrypt(binary, 2, key=key)
    with open(path("python-key.spec"), "wb") as f:
        f.write(blob)
    r = run([cli, "decrypt", "--key-file=" + path("k.key"), "-o", path("python-key.out"),
             path("python-key.spec")])
    out = open(path("python-key.out"), "rb").read() if r.returncode == 0 else None
    tap.check(out == binary, "CLI decrypts a key-file file written by this script", r.stderr)

    # 7. analyze --encrypt writes an encrypted JSON report directly.
    r = run([cli, "analyze", "--encrypt", "--key-file=" + path("k.key"), "-o",
             path("analysis.spec"), path("binary.bin")], env=fast)
    try:
        kind, plain = decrypt(open(path("analysis.spec"), "rb").read(), key=key)
        doc = json.loads(plain.decode("utf-8"))
        # The CLI writes a JSON array of reports, one per file given.
        tap.check(r.returncode == 0 and kind == 1 and isinstance(doc, list) and len(doc) == 1
                  and doc[0].get("schema") == "specimen-report/1"
                  and doc[0]["file"]["size"] == len(binary),
                  "analyze --encrypt writes an encrypted specimen-report/1")
    except Exception as e:
        tap.check(False, "analyze --encrypt writes an encrypted specimen-report/1", (e, r.stderr))

    print("1..%d" % tap.n)
    for name in os.listdir(work):
        os.unlink(os.path.join(work, name))
    os.rmdir(work)
    return 1 if tap.failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--self-test", action="store_true")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password-file")
    group.add_argument("--key-file")
    parser.add_argument("input", nargs="?")
    parser.add_argument("output", nargs="?")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.input or not args.output or not (args.password_file or args.key_file):
        parser.error("need a password or key file, IN and OUT")
    blob = open(args.input, "rb").read()
    try:
        if args.password_file:
            kind, plain = decrypt(blob, password=read_password(args.password_file))
        else:
            kind, plain = decrypt(blob, key=open(args.key_file, "rb").read())
    except Exception as e:
        print("decrypt-report.py: %s: %s" % (args.input, e or "wrong password or damaged"),
              file=sys.stderr)
        return 1
    with open(args.output, "wb") as f:
        f.write(plain)
    print("payload type %d, %d bytes" % (kind, len(plain)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
