#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""detect-hypervisor's selection against the modtree fixture's stub kernels: exit statuses.

    cli.py DETECT_HYPERVISOR MODTREE

0 when the target has every boot-tier module, 3 when one is missing (with the warning
that says which), in every output format and with --load --dry-run; 2 for a bad
--moddir. Offline: the kernels are tests/modtree/mkmodtree.py's.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DB = os.path.join(HERE, "drivers.d")
KA, KB = "6.1.0-1-hvdtest", "6.12.0-2-hvdtest"
FORMATS = ["modules", "packages", "dracut", "modules-load", "initramfs-tools"]


def main():
    tool, tree = sys.argv[1:3]
    sysroot = os.path.join(HERE, "..", "integration", "fixtures", "kvm")
    failures = []

    def run(kernel, *args):
        argv = [tool, "--sysroot", sysroot, "--db-dir", DB, "--moddir", os.path.join(tree, "lib/modules", kernel)]
        p = subprocess.run(argv + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return p.returncode, p.stdout, p.stderr

    def expect(what, got, want):
        if got != want:
            failures.append("%s: %r, expected %r" % (what, got, want))

    missing = "boot-tier module vmw_pvscsi is missing from kernel %s" % KB
    for fmt in FORMATS + ["json"]:
        args = ["--json"] if fmt == "json" else ["--format", fmt]
        if fmt == "packages":
            args += ["--distro", "debian"]
        rc, out, err = run(KB, "--hypervisor", "vmware", *args)
        expect("vmware on %s, %s: exit" % (KB, fmt), rc, 3)
        expect("vmware on %s, %s: warning" % (KB, fmt), missing in err, True)
        rc, out, err = run(KA, "--hypervisor", "vmware", *args)
        expect("vmware on %s, %s: exit" % (KA, fmt), rc, 0)
        expect("vmware on %s, %s: output" % (KA, fmt), bool(out), True)
    rc, out, err = run(KB, "--hypervisor", "vmware", "--load", "--dry-run")
    expect("--load --dry-run on %s: exit" % KB, rc, 3)
    expect("--load --dry-run on %s: vmw_pvscsi" % KB, any(l.split()[:1] == ["vmw_pvscsi"] and l.rstrip().endswith("missing")
                                                          for l in out.splitlines()), True)
    rc, out, err = run(KA, "--load", "--dry-run")
    expect("--load --dry-run on %s: exit" % KA, rc, 0)
    rc, out, err = run("6.6.6-none")
    expect("a missing --moddir: exit", rc, 2)
    expect("a missing --moddir: message", "no kernel module tree at" in err, True)

    # Packages need no module tree (issue 16): the fixture has none; --modules still needs one.
    def bare(*args):
        p = subprocess.run([tool, "--sysroot", sysroot, "--db-dir", DB, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        return p.returncode, p.stdout, p.stderr
    for args, want in ((["--packages"], "qemu-guest-agent\n"), (["--format", "packages"], "qemu-guest-agent\n"),
                       (["--packages", "--hypervisor", "vmware"], "open-vm-tools\n")):
        rc, out, err = bare(*args)
        expect("%s without a module tree: exit" % " ".join(args), rc, 0)
        expect("%s without a module tree: output" % " ".join(args), out, want)
    rc, out, err = bare("--modules")
    expect("--modules without a module tree: exit", rc, 2)
    expect("--modules without a module tree: message", "no kernel module tree" in err, True)

    for f in failures:
        print("modtree cli: " + f, file=sys.stderr)
    if not failures:
        print("modtree cli: exit 0 and 3 in %d formats, --load --dry-run, exit 2" % (len(FORMATS) + 1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
