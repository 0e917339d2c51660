#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""--capture replays to the same verdict, and keeps file modes no wider than the source's.

  capture_replay.py DETECT_HYPERVISOR [NAME ...]

For every fixture tree (tests/fixtures/*/ with an expected.json, and every tree in
tests/cli/fixtures/), or only those NAMEs: the verdict on the tree, then --capture of
the tree (its cpuid.txt is picked up by --sysroot), then the verdict on the capture.
The two must agree on the exit status, the verdict fields, arch, confidence and
the set of (source, key, value) evidence entries. Prints "N of M replay identically".
Then CPUID dumps the probes find nothing in (as cpuid.txt and as --cpuid-dump),
kept distinct from no dump at all; and a tree with a mode-0400 product_serial
captured under three umasks.
"""
import json
import os
import stat
import sys
import tempfile

from cli_common import FIXTURES as CLI_FIXTURES, HERE, Checker, run, tool_path

FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")
KEYS = ("hypervisor", "platform", "generation", "firmware", "role", "confidential", "systemd_id", "arch",
        "confidence")


def trees(names):
    found = [(n, os.path.join(FIXTURES, n)) for n in sorted(os.listdir(FIXTURES))
             if os.path.isfile(os.path.join(FIXTURES, n, "expected.json"))]
    found += [("cli/" + n, os.path.join(CLI_FIXTURES, n)) for n in sorted(os.listdir(CLI_FIXTURES))
              if os.path.isdir(os.path.join(CLI_FIXTURES, n))]
    return [t for t in found if not names or t[0] in names or t[0].split("/")[-1] in names]


def verdict(tool, root, *args):
    """(exit status, verdict fields, evidence set) or (status, None, stderr)."""
    p = run(tool, "--json", "--sysroot", root, *args)
    if p.returncode not in (0, 1):
        return p.returncode, None, p.stderr.decode(errors="replace").strip()
    v = json.loads(p.stdout)
    return p.returncode, {k: v.get(k) for k in KEYS}, {(e["source"], e["key"], e["value"]) for e in v["evidence"]}


def differences(a, b):
    if a[1] is None or b[1] is None:
        return [f"exit {a[0]} / {b[0]}: {a[2] if a[1] is None else b[2]}"]
    bad = [f"exit status {a[0]} -> {b[0]}"] if a[0] != b[0] else []
    bad += [f"{k} {a[1][k]!r} -> {b[1][k]!r}" for k in KEYS if a[1][k] != b[1][k]]
    bad += [f"evidence lost {e}" for e in sorted(a[2] - b[2])]
    bad += [f"evidence gained {e}" for e in sorted(b[2] - a[2])]
    return bad


def check_replays(tool, names, c, tmp):
    same = 0
    found = trees(names)
    for name, root in found:
        cap = os.path.join(tmp, name.replace("/", "_"))
        p = run(tool, "--capture", cap, "--sysroot", root)
        if not c.check(p.returncode == 0, f"{name}: --capture exit 0 (got {p.returncode}, {p.stderr!r})"):
            continue
        bad = differences(verdict(tool, root), verdict(tool, cap))
        same += not bad
        c.check(not bad, f"{name}: the capture replays identically" + "".join("\n      " + b for b in bad))
    print(f"{same} of {len(found)} replay identically")


def leaf(n, eax=0, ebx=0, ecx=0, edx=0):
    return f"   0x{n:08x} 0x00: eax=0x{eax:08x} ebx=0x{ebx:08x} ecx=0x{ecx:08x} edx=0x{edx:08x}\n"


def check_cpuid(tool, c, tmp):
    """Dumps holding none of the leaves the probes ask for still replay as dumps."""
    dumps = {"unqueried": "CPU:\n" + leaf(7),
             # A hypervisor leaf without its range's base: the probe looks for the base and finds none.
             "no-base": "CPU:\n" + leaf(0, 1) + leaf(1, ecx=1 << 31) + leaf(0x40000005, 1)}
    for name, text in dumps.items():
        src = os.path.join(tmp, "cpuid-" + name)
        os.makedirs(src)
        with open(os.path.join(src, "cpuid.txt"), "w") as f:
            f.write(text)
        for how, root, args in (("cpuid.txt", src, ()),
                                ("--cpuid-dump", os.path.join(tmp, "cpuid-none"), ("--cpuid-dump", f.name))):
            os.makedirs(root, exist_ok=True)
            cap = os.path.join(tmp, f"cap-{name}-{how.strip('-')}")
            p = run(tool, "--capture", cap, "--sysroot", root, *args)
            if not c.check(p.returncode == 0, f"{name} dump as {how}: --capture exit 0 ({p.stderr!r})"):
                continue
            bad = differences(verdict(tool, root, *args), verdict(tool, cap))
            c.check(not bad and os.path.isfile(os.path.join(cap, "cpuid.txt")),
                    f"{name} dump as {how}: captured as a dump, replays identically" +
                    "".join("\n      " + b for b in bad))
    # No dump at all stays no dump (no CPUID source), not an empty one.
    cap = os.path.join(tmp, "cap-none")
    p = run(tool, "--capture", cap, "--sysroot", os.path.join(tmp, "cpuid-none"))
    c.check(p.returncode == 0 and not os.path.exists(os.path.join(cap, "cpuid.txt")),
            f"no dump: the capture holds no cpuid.txt ({p.stderr!r})")
    bad = differences(verdict(tool, os.path.join(tmp, "cpuid-none")), verdict(tool, cap))
    c.check(not bad, "no dump: replays identically" + "".join("\n      " + b for b in bad))


def modes(root):
    return {os.path.relpath(os.path.join(d, n), root): stat.S_IMODE(os.lstat(os.path.join(d, n)).st_mode)
            for d, dirs, files in os.walk(root) for n in dirs + files}


def check_modes(tool, c, tmp):
    """Captured files: the source's mode less the umask, never wider; directories 0777 less the umask."""
    src = os.path.join(tmp, "modes-src")
    os.makedirs(os.path.join(src, "sys/class/dmi/id"))
    os.makedirs(os.path.join(src, "sys/firmware/dmi/tables"))
    want = {"sys/class/dmi/id/sys_vendor": (b"VMware, Inc.\n", 0o644),
            "sys/class/dmi/id/product_serial": (b"VMware-42 1a\n", 0o400),
            "sys/class/dmi/id/product_name": (b"VMware7,1\n", 0o664),
            "sys/firmware/dmi/tables/DMI": (b"\x7f\x04\x00\x00\x00\x00", 0o400),
            "sys/firmware/dmi/tables/smbios_entry_point": (b"_SM3_", 0o400)}
    for rel, (data, mode) in want.items():
        with open(os.path.join(src, rel), "wb") as f:
            f.write(data)
        os.chmod(os.path.join(src, rel), mode)
    old = os.umask(0)
    try:
        for mask in (0o022, 0o077, 0o002):
            os.umask(mask)
            cap = os.path.join(tmp, f"modes-{mask:03o}")
            p = run(tool, "--capture", cap, "--sysroot", src)
            if not c.check(p.returncode == 0, f"umask {mask:03o}: --capture exit 0 ({p.stderr!r})"):
                continue
            got = modes(cap)
            top = stat.S_IMODE(os.stat(cap).st_mode)
            c.check(top == 0o777 & ~mask, f"umask {mask:03o}: the capture directory is {0o777 & ~mask:03o} (got {top:03o})")
            for rel, (_, mode) in want.items():
                c.check(got.get(rel) == mode & ~mask,
                        f"umask {mask:03o}: {rel}, mode {mode:03o}, captured {mode & ~mask:03o} (got {got.get(rel, 0):03o})")
            dirs = {r: f"{m:03o}" for r, m in got.items() if os.path.isdir(os.path.join(cap, r))}
            c.check(dirs and all(m == f"{0o777 & ~mask:03o}" for m in dirs.values()),
                    f"umask {mask:03o}: the {len(dirs)} directories are {0o777 & ~mask:03o} ({dirs})")
    finally:
        os.umask(old)


def main():
    tool = tool_path()
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        check_replays(tool, sys.argv[2:], c, tmp)
        if not sys.argv[2:]:
            check_cpuid(tool, c, tmp)
            check_modes(tool, c, tmp)
    c.done()


if __name__ == "__main__":
    main()
