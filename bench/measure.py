#!/usr/bin/python3
"""Times specimen-cli, rhash and the coreutils+binutils sequence on each file with
/usr/bin/time, and prints medians and ratios. Called by bench/run.sh."""
import json
import os
import statistics
import subprocess
import sys
import tempfile

cli, repeats, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def tools(path):
    return [
        ("specimen", [cli, "-f", "json", "-o", "/dev/null", path]),
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
print("Repeats: %d (medians shown)\n" % repeats)
header = "%-22s %-20s %9s %9s %10s %12s" % ("file", "tool", "wall s", "cpu s", "peak MiB", "wall ratio")
print(header)
print("-" * len(header))
for path in files:
    results = {}
    for name, argv in tools(path):
        runs = [measure(argv) for _ in range(repeats)]
        results[name] = tuple(statistics.median(r[i] for r in runs) for i in range(3))
    base = os.path.basename(path)
    for name, (wall, cpu, rss) in results.items():
        ratio = ""
        if name != "specimen":
            ratio = "%.2fx" % (results["specimen"][0] / wall if wall > 0 else float("nan"))
        print("%-22s %-20s %9.2f %9.2f %10.1f %12s" % (base, name, wall, cpu, rss, ratio))
    count = string_count(path)
    budget = 64 + count * 16 / 1048576.0
    print("%-22s strings: %d; RSS budget 64 MiB + 16 B/string = %.1f MiB; specimen used %.1f MiB (%s)\n"
          % (base, count, budget, results["specimen"][2],
             "within" if results["specimen"][2] <= budget else "OVER"))
print("wall ratio = specimen wall time / peer wall time (below 1.00x: specimen is faster)")
