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

    issue15_seeds()

    # The verdict harness reads its own encoding: deterministic random seeds.
    rng = random.Random(6)
    for n in (16, 64, 256, 512, 1024, 2048, 4096):
        for _ in range(3):
            write("verdict", bytes(rng.randrange(256) for _ in range(n)))
    return 0


def issue15_seeds():
    """The hostile inputs of issue 15 ("Hardening, round two"), for the harnesses they reach."""
    # Renderers (fuzz_selformat): flags, then version, moddir, hypervisor, platform, modules, "", packages, "", warnings.
    def sel(flags, version, moddir, hv, platform, modules, packages=(b"qemu-guest-agent",), warnings=()):
        return bytes([flags]) + b"\0".join([version, moddir, hv, platform, *modules, b"", *packages, b"", *warnings])
    good = [b"virtio_pci", b"virtio_blk", b"virtio_net", b"hv_vmbus"]
    write("selformat", sel(0, b"6.1.0-13-amd64", b"/lib/modules/6.1.0-13-amd64", b"kvm", b"", good))
    write("selformat", sel(3, b"5.14.0-362.8.1.el9_3.x86_64", b"/mnt/sysimage/usr/lib/modules/5.14.0", b"hyperv",
                           b"azure", good))
    write("selformat", sel(5, b"6.1\ntouch PWNED\n#", b"/tmp/v/6.1\ntouch PWNED\n#", b"kvm", b"", good))
    write("selformat", sel(6, b"6.1 $(touch PWNED)", b"/x", b"vmware", b"", good))
    write("selformat", sel(7, b"6.1\x1b[31mred", b"\xff\xfe/\x1b]0;t\x07", b"xen", b"", good))
    write("selformat", sel(9, b"-rf", b"", b"kvm", b"aws", good))
    write("selformat", sel(0, b"6.1.0", b"/m", b"kvm", b"", [b"x\x1b[31mRED$(id)", b"virtio_net"]))
    write("selformat", sel(1, b"6.1.0", b"/m", b"kvm", b"", [b"virtio_net\" touch PWNED #", b"a b"]))
    write("selformat", sel(2, b"6.1.0", b"/m", b"kvm\nrm -rf /", b"aws\x1b[2J", good))
    write("selformat", sel(4, b"6.1.0", b"/m", b"kvm", b"", good, [b"pkg$(id)", b"ok-pkg", b"\xc2\x9b2J"],
                           [b"warning \x1b[31m", b"\xed\xa0\x80"]))
    write("selformat", sel(0, b"\xe2\x80\xaebidi", b"/m", b"kvm", b"", [b"-n", b"~root", b"%s%n"]))
    write("selformat", sel(0, b"v" * 65, b"/" + b"d" * 5000, b"kvm", b"", [b"m" * 256]))
    # Drop-in parsing (fuzz_driverdb): amplification, broken lines inside rules, too long a line.
    amp = b"match arch=" + b",".join([b"a"] * 2040) + b"\n"
    write("driverdb", b"\x01" + amp * 6)
    write("driverdb", b"\x01match hypervisor=kvm\nmodule " + b"x" * 5000 + b" boot\n")
    write("driverdb", b"\x01match hypervisor=kvm\nmodule virtio_net b\xc3\xb6\xc3\xb6t\nmodule bad/name boot\n")
    write("driverdb", b"\x00match hypervisor=kvm\nmodule virtio_net boot \x1b[2J\n")
    write("driverdb", b"\x01" + b"x\n" * 3000)
    # SMBIOS (fuzz_smbios): type 11 structures of 255 blank strings (the 0.3 s quadratic walk), 64 KiB of them.
    one = bytes([11, 5, 1, 0, 255]) + b" \0" * 255 + b"\0"
    table = one * (65536 // len(one))
    ep = bytearray(b"_SM3_" + bytes([0, 0x18, 3, 4, 0, 1, 0]) + len(table).to_bytes(4, "little") + bytes(8))
    ep[5] = (-sum(ep)) & 0xFF
    write("smbios", bytes([len(ep)]) + bytes(ep) + table)
    # Messages (fuzz_shell: term_escape_ends): long paths before the reason, cut inside escapes and UTF-8.
    for cols in (16, 40, 100):
        write("shell", bytes([cols]) + b"/tmp/" + b"d" * 300 + b": File name too long")
        write("shell", bytes([cols]) + b"\xe2\x82\xac" * 100 + b"\x1b[31m" * 20 + b": reason")
        write("shell", bytes([cols]) + b"\n\t\x7f" * 80 + b"\xf0\x9f\x98\x80end")


if __name__ == "__main__":
    sys.exit(main())
