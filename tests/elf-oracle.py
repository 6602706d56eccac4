#!/usr/bin/python3
"""Independent oracle for test-elf: runs binutils readelf on an ELF file and
prints what it reports as JSON in the shape of Specimen's "elf" section, so
the C test can compare field by field. Only readelf's output is used."""

import json
import re
import subprocess
import sys

# readelf's machine names for the e_machine values the tests use.
MACHINES = {
    "Advanced Micro Devices X86-64": 62,
    "Intel 80386": 3,
    "PowerPC": 20,
    "PowerPC64": 21,
    "IBM S/390": 22,
    "AArch64": 183,
    "ARM": 40,
    "MIPS R3000": 8,
    "RISC-V": 243,
}


def readelf(*args):
    result = subprocess.run(
        ["readelf", "-W", *args],
        check=True,
        capture_output=True,
        text=True,
        errors="replace",
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    return result.stdout


def header(path, out):
    fields = {}
    for line in readelf("-h", path).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    out["class"] = fields["Class"]
    out["endianness"] = "little" if "little endian" in fields["Data"] else "big"
    out["type"] = fields["Type"].split()[0]
    out["entry"] = int(fields["Entry point address"], 16)
    # With extended numbering readelf prints "0 (9)": the real count is in parentheses.
    count = re.search(r"\((\d+)\)", fields["Number of section headers"])
    out["number_of_sections"] = int(count.group(1) if count else fields["Number of section headers"].split()[0])
    if fields["Machine"] in MACHINES:
        out["machine"] = MACHINES[fields["Machine"]]


def sections(path, out):
    lines = readelf("-t", path).splitlines()
    result = []
    i = 0
    while i < len(lines):
        match = re.match(r"^\s*\[\s*(\d+)\] ?(.*)$", lines[i])
        if match and match.group(1).isdigit() and i + 2 < len(lines) and not lines[i].strip().startswith("[Nr]"):
            fields = lines[i + 1].split()
            flags = re.match(r"^\s*\[([0-9a-f]+)\]", lines[i + 2])
            # Type, Address, Off, Size, ES, Lk, Inf, Al
            result.append(
                {
                    "name": match.group(2).rstrip(),
                    "type": " ".join(fields[:-7]),
                    "address": int(fields[-7], 16),
                    "offset": int(fields[-6], 16),
                    "size": int(fields[-5], 16),
                    "flags_value": int(flags.group(1), 16),
                }
            )
            i += 3
        else:
            i += 1
    out["sections"] = result
    out["stripped"] = not any(s["type"] == "SYMTAB" for s in result)


def segments(path, out):
    result = []
    pattern = re.compile(
        r"^\s+(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) "
        r"([RWE ]{3}) 0x([0-9a-f]+)$"
    )
    for line in readelf("-l", path).splitlines():
        match = pattern.match(line)
        if match:
            result.append(
                {
                    "type": match.group(1),
                    "offset": int(match.group(2), 16),
                    "virtual_address": int(match.group(3), 16),
                    "file_size": int(match.group(5), 16),
                    "memory_size": int(match.group(6), 16),
                    "flags": match.group(7).replace(" ", ""),
                    "align": int(match.group(8), 16),
                }
            )
        interp = re.search(r"\[Requesting program interpreter: (.*)\]", line)
        if interp:
            out["interpreter"] = interp.group(1)
    out["segments"] = result


def dynamic(path, out):
    needed = []
    for line in readelf("-d", path).splitlines():
        match = re.search(r"\(NEEDED\)\s+Shared library: \[(.*)\]", line)
        if match:
            needed.append(match.group(1))
        match = re.search(r"\(SONAME\)\s+Library soname: \[(.*)\]", line)
        if match:
            out["soname"] = match.group(1)
    if needed or "soname" in out:
        out["needed"] = needed


def symbols(path, out):
    out["symbols"] = 0
    out["dynamic_symbols"] = 0
    for line in readelf("--syms", path).splitlines():
        match = re.match(r"^Symbol table '(.*)' contains (\d+) entr", line)
        if match:
            key = "dynamic_symbols" if match.group(1) == ".dynsym" else "symbols"
            out[key] += int(match.group(2))


def main(path):
    out = {}
    header(path, out)
    sections(path, out)
    segments(path, out)
    dynamic(path, out)
    symbols(path, out)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
