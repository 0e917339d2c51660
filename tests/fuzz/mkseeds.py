#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the seed corpora (corpus/NAME/seed-*) from the fixture trees and the
driver database. Run again after fixtures change; inputs found by fuzzing
(crash regressions, interesting finds) live beside the seeds as other names."""
import hashlib
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = HERE.parent.parent
FIXTURES = [TOP / "tests/fixtures", TOP / "tests/cli/fixtures"]
MAX_SEED = 64 * 1024


def trees():
    for base in FIXTURES:
        for d in sorted(base.iterdir()):
            if d.is_dir():
                yield d


def files(pattern):
    for t in trees():
        for f in sorted(t.glob(pattern)):
            if f.is_file() and not f.is_symlink():
                yield f


def write(name, data):
    data = data[:MAX_SEED]
    d = HERE / "corpus" / name
    d.mkdir(parents=True, exist_ok=True)
    (d / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def main():
    for t in trees():
        ep = t / "sys/firmware/dmi/tables/smbios_entry_point"
        tab = t / "sys/firmware/dmi/tables/DMI"
        if ep.is_file() and tab.is_file():
            e = ep.read_bytes()[:255]
            write("smbios", bytes([len(e)]) + e + tab.read_bytes())

    for f in files("sys/firmware/acpi/tables/**/*"):
        write("acpi", f.read_bytes())

    for f in files("cpuid.txt"):
        write("cpuid_dump", f.read_bytes())
    write("cpuid_dump", (TOP / "tests/cli/bad-dump.txt").read_bytes())

    for conf in sorted((TOP / "data/drivers.d").glob("*.conf")):
        text = conf.read_bytes()
        write("driverdb", b"\x01" + text)
        write("driverdb", b"\x00" + text)

    aliases = [f.read_bytes().strip() for f in files("sys/bus/*/devices/*/modalias")]
    patterns = [b"pci:v00001AF4*", b"virtio:d00000001v*,pci:v00001AF4d00001000*",
                b"vmbus:*", b"acpi:QEMU0002:*", b"!pci:v00008086*,pci:*", b"pci:v0000[0-9]*d*"]
    for i, a in enumerate(sorted(set(aliases))):
        write("modalias", patterns[i % len(patterns)] + b"\n" + a)
        write("platform", a + b"\n")

    strings = set()
    for f in files("sys/class/dmi/id/*"):
        strings.add(f.read_bytes())
    for s in sorted(strings):
        write("json", s)
        write("shell", b"\xff" + s)
        write("shell", b"\x10" + s)
    for s in (b"it's \"quoted\"\\", b"\x1b[31mred\x1b[0m", b"\xc2\x9b2J", b"\xe2\x80\xae", b"\xff\xfe",
              b"$(reboot)`id`", b"-n", b"~root", b"a\nb\tc\r", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80"):
        write("json", s)
        write("shell", b"\xff" + s)
        write("shell", b"\x08" + s)

    for pattern in ("proc/cpuinfo", "proc/sysinfo", "proc/device-tree/**/compatible",
                    "proc/device-tree/model", "etc/os-release", "usr/lib/os-release",
                    "sys/bus/pci/devices/*/vendor", "sys/bus/pci/devices/*/class"):
        for f in files(pattern):
            write("platform", f.read_bytes())

    # The verdict harness reads its own encoding: deterministic random seeds.
    rng = random.Random(6)
    for n in (16, 64, 256, 512, 1024, 2048, 4096):
        for _ in range(3):
            write("verdict", bytes(rng.randrange(256) for _ in range(n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
