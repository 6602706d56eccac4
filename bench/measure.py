#!/usr/bin/python3
"""Times specimen-cli, rhash and the coreutils+binutils sequence on each file with
/usr/bin/time, and prints medians, ratios and the targets as a Markdown table.
Called by bench/run.sh.

Usage: measure.py [--also NAME=CLI]... CLI REPEATS FILE...
  --also runs another specimen-cli build too (e.g. the GChecksum digest backend)."""
import json
import os
import statistics
import subprocess
import sys
import tempfile

args = sys.argv[1:]
extra = []
while args and args[0] == "--also":
    name, _, path = args[1].partition("=")
    extra.append((name, path))
    args = args[2:]
cli, repeats, files = args[0], int(args[1]), args[2:]

def tools(path):
    specimens = [("specimen", cli)] + extra
    return [(name, [binary, "-f", "json", "-o", "/dev/null", path]) for name, binary in specimens] + [
        ("rhash", ["rhash", "--md5", "--sha1", "--sha256", "--sha512", path]),
        ("coreutils+binutils", ["sh", "-c",
            'md5sum "$1"; sha1sum "$1"; sha256sum "$1"; sha512sum "$1"; '
            'strings -a "$1"; strings -a -e l "$1"', "sh", path]),
    ]

def measure(argv):
    with tempfile.NamedTemporaryFile("r") as stats:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats.name] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall, user, system, rss_kib = stats.read().split()
    return float(wall), float(user) + float(system), int(rss_kib) / 1024.0

def string_count(path):
    out = subprocess.run([cli, "-f", "json", "--no-strings", path], capture_output=True, check=True)
    return json.loads(out.stdout)[0]["strings"]["count"]

print("Machine: %s, %d cores" % (os.uname().machine, os.cpu_count()))
with open("/proc/cpuinfo") as cpuinfo:
    for line in cpuinfo:
        if line.startswith("model name"):
            print("CPU:", line.split(":", 1)[1].strip())
            break
with open("/proc/loadavg") as loadavg:
    print("Load average before the run:", " ".join(loadavg.read().split()[:3]))
print("Repeats: %d (medians shown)\n" % repeats)
print("| file | tool | wall s | CPU s | peak RSS MiB | specimen/tool wall | target |")
print("|---|---|---:|---:|---:|---:|---|")
verdicts = []
for path in files:
    results = {}
    # Interleave the tools so that a change in the machine's load hits them alike.
    runs = {name: [] for name, _ in tools(path)}
    for _ in range(repeats):
        for name, argv in tools(path):
            runs[name].append(measure(argv))
    for name, samples in runs.items():
        results[name] = tuple(statistics.median(r[i] for r in samples) for i in range(3))
    base = os.path.basename(path)
    spec_wall = results["specimen"][0]
    for name, (wall, cpu, rss) in results.items():
        ratio, target = "", ""
        if name == "rhash":
            ratio = "%.2fx" % (spec_wall / wall)
            target = "<= 1.00x: %s" % ("met" if spec_wall <= wall else "not met")
        elif name == "coreutils+binutils":
            ratio = "%.2fx" % (spec_wall / wall)
            target = "<= 0.35x: %s" % ("met" if spec_wall <= 0.35 * wall else "not met")
        print("| %s | %s | %.2f | %.2f | %.1f | %s | %s |" % (base, name, wall, cpu, rss, ratio, target))
    count = string_count(path)
    budget = 64 + count * 16 / 1048576.0
    verdicts.append("%s: %d strings; RSS budget 64 MiB + 16 B/string = %.1f MiB; specimen used "
                    "%.1f MiB (%s)" % (base, count, budget, results["specimen"][2],
                                       "met" if results["specimen"][2] <= budget else "not met"))
print()
for line in verdicts:
    print(line)
print("\nspecimen/tool wall = specimen's median wall time / the tool's (below 1.00x: specimen is faster)")
