#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Driver selection against a real Debian kernel module tree, on fixture sysroots.

  run.py TOOL            (TOOL = the built detect-hypervisor)
  UPDATE_GOLDEN=1 run.py TOOL   rewrites golden/ from the current output

The kernel comes from tests/kernel/fetch-kernel (exit 77 = skip). Golden files
hold every output format for every fixture; the "Done when" module sets of
issue 3 are also checked explicitly, so a wrong golden cannot hide them.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
DB = os.path.join(SRC, "data", "drivers.d")
FIXTURES = ["hyperv-gen2", "hyperv-gen1", "azure", "vmware", "kvm", "aws", "gce"]
FORMATS = ["modules", "packages", "dracut", "modules-load", "initramfs-tools", "json"]
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(tool, *args):
    p = subprocess.run([tool] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def fetch_kernel():
    p = subprocess.run([os.path.join(SRC, "tests", "kernel", "fetch-kernel")], capture_output=True, text=True)
    if p.returncode == 77:
        print("SKIP: no Debian kernel available (fetch-kernel exit 77)")
        sys.exit(77)
    if p.returncode != 0:
        print(p.stderr)
        sys.exit(1)
    root, ver = p.stdout.split()
    return os.path.join(root, "lib", "modules", ver), ver


def select(tool, moddir, fixture, *extra):
    return run(tool, "--sysroot", os.path.join(HERE, "fixtures", fixture), "--db-dir", DB, "--moddir", moddir, *extra)


def golden(tool, moddir, ver):
    for fx in FIXTURES:
        for fmt in FORMATS:
            rc, out, err = select(tool, moddir, fx, "--format", fmt) if fmt != "json" else select(tool, moddir, fx, "--json")
            if rc != 0:
                fail("%s --format %s: exit %d: %s" % (fx, fmt, rc, err.strip()))
                continue
            if fmt == "json":
                # Only the selection is golden here: the verdict has golden tests of its own.
                out = json.dumps(json.loads(out)["selection"], indent=1, sort_keys=True) + "\n"
            # Paths vary by checkout and cache: CI clones elsewhere.
            out = out.replace(DB, "@DB@").replace(moddir, "@MODDIR@").replace(ver, "@KVER@")
            path = os.path.join(HERE, "golden", "%s.%s" % (fx, fmt))
            if UPDATE:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(out)
                continue
            try:
                want = open(path).read()
            except FileNotFoundError:
                fail("%s: missing (run with UPDATE_GOLDEN=1)" % path)
                continue
            if out != want:
                fail("%s differs from the golden file:\n%s" % (path, "".join(
                    __import__("difflib").unified_diff(want.splitlines(True), out.splitlines(True), "golden", "actual"))))


def modules(tool, moddir, fx, *extra):
    rc, out, err = select(tool, moddir, fx, "--modules", *extra)
    if rc != 0:
        fail("%s --modules: exit %d: %s" % (fx, rc, err.strip()))
    return out.split()


def check_done_when(tool, moddir):
    # Hyper-V gen2: the exact set of selected (non-dependency) modules, and nothing of VMware or virtio.
    rc, out, err = select(tool, moddir, "hyperv-gen2", "--json")
    sel = json.loads(out)["selection"]
    chosen = {m["name"] for m in sel["modules"] if not m["dependency"]}
    want = {"hv_vmbus", "hv_storvsc", "hv_netvsc", "hyperv_keyboard", "hv_utils", "hv_balloon", "hid_hyperv",
            "hyperv_drm", "hv_sock"}
    if chosen != want:
        fail("hyperv-gen2 selected %s, want %s" % (sorted(chosen), sorted(want)))
    order = [m["name"] for m in sel["modules"]]
    for m in sel["modules"]:
        if m["reason"].startswith(("dependency of ", "softdep of ")):
            parent = m["reason"].split(" of ", 1)[1]
            if order.index(m["name"]) > order.index(parent):
                fail("hyperv-gen2: %s comes after %s, which needs it" % (m["name"], parent))
    if order.index("hv_vmbus") > order.index("hv_storvsc"):
        fail("hyperv-gen2: hv_vmbus must come before hv_storvsc")
    if len(order) != len(set(order)):
        fail("hyperv-gen2: duplicate modules in %s" % order)
    bad = [n for n in order if n.startswith(("vmw", "vmxnet", "virtio"))]
    if bad:
        fail("hyperv-gen2: VMware or virtio modules selected: %s" % bad)
    if sel["packages"] != ["hyperv-daemons"] or sel["distro"] != "debian":
        fail("hyperv-gen2: packages %s for %s, want hyperv-daemons for debian" % (sel["packages"], sel["distro"]))
    if any(m["state"] != "loadable" for m in sel["modules"]):
        fail("hyperv-gen2: every module should be loadable from the Debian tree")

    mods = set(modules(tool, moddir, "vmware"))
    want = {"vmw_pvscsi", "vmxnet3", "vmwgfx", "vmw_vmci", "vmw_vsock_vmci_transport", "vmw_balloon"}
    if not want <= mods:
        fail("vmware: missing %s" % sorted(want - mods))
    if any(m.startswith(("hv_", "hyperv", "virtio")) for m in mods):
        fail("vmware: foreign modules in %s" % sorted(mods))
    rc, out, _ = select(tool, moddir, "vmware", "--packages")
    if out.split() != ["open-vm-tools"]:
        fail("vmware: packages %r" % out)

    mods = modules(tool, moddir, "kvm")
    for m in ("virtio_pci", "virtio_net", "virtio_blk", "virtio_scsi", "virtio_balloon", "virtio_rng"):
        if m not in mods:
            fail("kvm: %s missing from %s" % (m, mods))
    if mods.index("virtio") > mods.index("virtio_blk") or mods.index("virtio_pci") > mods.index("virtio_net"):
        fail("kvm: dependency order broken: %s" % mods)
    if any(m.startswith(("hv_", "vmw", "vmxnet")) for m in mods):
        fail("kvm: foreign modules in %s" % mods)
    rc, out, _ = select(tool, moddir, "kvm", "--packages")
    if out.split() != ["qemu-guest-agent"]:
        fail("kvm: packages %r" % out)

    # Each fixture's distribution family, and --distro overriding it.
    rc, out, _ = select(tool, moddir, "hyperv-gen1", "--packages")
    if out.split() != ["linux-cloud-tools-virtual"]:
        fail("hyperv-gen1 (ubuntu): packages %r" % out)
    rc, out, _ = select(tool, moddir, "hyperv-gen1", "--packages", "--distro", "suse")
    if out.split() != ["hyper-v"]:
        fail("hyperv-gen1 --distro suse: packages %r" % out)
    rc, out, _ = select(tool, moddir, "azure", "--packages")
    if sorted(out.split()) != ["WALinuxAgent", "hyperv-daemons"]:
        fail("azure (rhel): packages %r" % out)

    # Portable: this target's own selection, plus the boot drivers of every hypervisor.
    rc, out, _ = select(tool, moddir, "hyperv-gen2", "--json")
    own = {m["name"]: m for m in json.loads(out)["selection"]["modules"]}
    rc, out, _ = select(tool, moddir, "hyperv-gen2", "--portable", "--json")
    if rc != 0:
        fail("--portable: exit %d" % rc)
    sel = json.loads(out)["selection"]
    names = {m["name"] for m in sel["modules"]}
    for m in ("hv_storvsc", "vmw_pvscsi", "virtio_blk", "virtio_scsi", "xen_blkfront", "nvme"):
        if m not in names:
            fail("--portable: %s missing" % m)
    if not set(own) <= names:
        fail("--portable: lost the target's own modules %s" % sorted(set(own) - names))
    extras = [m for m in sel["modules"] if m["name"] not in own and not m["dependency"]]
    if not extras or any(m["tier"] != "boot" for m in extras):
        fail("--portable: extras beyond the target's own selection must be boot-tier: %r"
             % [(m["name"], m["tier"]) for m in extras])
    # A portable extra the kernel lacks is a warning, not a missing boot module (exit 0).
    tmp = tempfile.mkdtemp()
    try:
        shutil.copytree(DB, os.path.join(tmp, "db"))
        with open(os.path.join(tmp, "db", "zz-other.conf"), "w") as f:
            f.write("match hypervisor=acrn\nmodule no_such_driver_xyz boot initramfs\n")
        rc, out, err = run(tool, "--sysroot", os.path.join(HERE, "fixtures", "hyperv-gen2"), "--db-dir",
                           os.path.join(tmp, "db"), "--moddir", moddir, "--portable", "--modules")
        if rc != 0 or "no_such_driver_xyz" not in err:
            fail("--portable with a missing extra: exit %d, stderr %r" % (rc, err))
    finally:
        shutil.rmtree(tmp)


def check_errors(tool, moddir):
    tmp = tempfile.mkdtemp()
    try:
        # A malformed line: file:line on stderr, exit 2, and no selection printed.
        shutil.copytree(DB, os.path.join(tmp, "db"))
        with open(os.path.join(tmp, "db", "50-local.conf"), "w") as f:
            f.write("# local additions\nmatch hypervisor=hyperv\nmodule hv_vmbus boot initramfs\nmodule hv_netvsc speedy\n")
        bad = os.path.join(tmp, "db", "50-local.conf")
        rc, out, err = run(tool, "--check-db", "--db-dir", os.path.join(tmp, "db"))
        if rc != 2 or err != "%s:4: unknown tier 'speedy' (expected boot, network, integration or display)\n" % bad:
            fail("--check-db: exit %d, stderr %r" % (rc, err))
        rc, out, err = run(tool, "--sysroot", os.path.join(HERE, "fixtures", "hyperv-gen2"), "--db-dir",
                           os.path.join(tmp, "db"), "--moddir", moddir, "--modules")
        if rc != 2 or out or "%s:4:" % bad not in err:
            fail("bad database: exit %d, stdout %r, stderr %r" % (rc, out, err))
        rc, out, err = run(tool, "--sysroot", os.path.join(HERE, "fixtures", "hyperv-gen2"), "--db-dir",
                           os.path.join(tmp, "db"), "--moddir", moddir, "--load", "--dry-run")
        if rc != 2 or out:
            fail("bad database with --load: exit %d, stdout %r" % (rc, out))
        rc, out, err = run(tool, "--check-db", "--db-dir", DB)
        if rc != 0 or err:
            fail("--check-db on the shipped database: exit %d %r" % (rc, err))

        # A boot-tier module the kernel lacks: exit 3, a warning naming it.
        os.remove(bad)
        with open(os.path.join(tmp, "db", "50-local.conf"), "w") as f:
            f.write("match hypervisor=hyperv\nmodule hv_imaginary_disk boot initramfs\nmodule hv_imaginary_toy integration\n")
        rc, out, err = run(tool, "--sysroot", os.path.join(HERE, "fixtures", "hyperv-gen2"), "--db-dir",
                           os.path.join(tmp, "db"), "--moddir", moddir, "--modules")
        if rc != 3 or "boot-tier module hv_imaginary_disk is missing" not in err or \
                "integration-tier module hv_imaginary_toy is missing" not in err or "hv_imaginary" in out:
            fail("missing boot module: exit %d, stderr %r" % (rc, err))

        # No module tree at all: one clear line, exit 2.
        rc, out, err = run(tool, "--sysroot", os.path.join(HERE, "fixtures", "kvm"), "--db-dir", DB, "--modules")
        if rc != 2 or "no kernel module tree" not in err or "--moddir" not in err:
            fail("no module tree: exit %d, stderr %r" % (rc, err))
        rc, out, err = run(tool, "--sysroot", os.path.join(HERE, "fixtures", "kvm"), "--db-dir", DB,
                           "--moddir", os.path.join(tmp, "nowhere"), "--modules")
        if rc != 2 or "no kernel module tree at" not in err:
            fail("--moddir nowhere: exit %d, stderr %r" % (rc, err))

        # A blacklist in the sysroot's modprobe.d drops the module, with the reason.
        fx = os.path.join(tmp, "fx")
        shutil.copytree(os.path.join(HERE, "fixtures", "vmware"), fx)
        os.makedirs(os.path.join(fx, "etc", "modprobe.d"))
        with open(os.path.join(fx, "etc", "modprobe.d", "bl.conf"), "w") as f:
            f.write("blacklist vmwgfx\n")
        rc, out, err = run(tool, "--sysroot", fx, "--db-dir", DB, "--moddir", moddir, "--json")
        sel = json.loads(out)["selection"]
        m = [m for m in sel["modules"] if m["name"] == "vmwgfx"]
        if rc != 0 or not m or m[0]["state"] != "blacklisted" or "blacklisted" not in err:
            fail("blacklist: exit %d, %s, %r" % (rc, m, err))
        rc, out, err = run(tool, "--sysroot", fx, "--db-dir", DB, "--moddir", moddir, "--modules")
        if "vmwgfx" in out.split():
            fail("blacklisted vmwgfx still in --modules")

        # --load needs the running kernel; --dry-run reports an outcome per module.
        rc, out, err = select(tool, moddir, "vmware", "--load")
        if rc != 2 or "not the running kernel" not in err:
            fail("--load on another kernel: exit %d %r" % (rc, err))
        rc, out, err = run(tool, "--sysroot", fx, "--db-dir", DB, "--moddir", moddir, "--load", "--dry-run")
        lines = dict((l.split()[0], l.split(None, 2)[2]) for l in out.splitlines())
        if rc != 0 or lines.get("vmwgfx") != "blacklisted" or lines.get("vmw_pvscsi") != "would insert":
            fail("--load --dry-run: exit %d, %r" % (rc, out))
    finally:
        shutil.rmtree(tmp)


def main():
    tool = sys.argv[1]
    moddir, ver = fetch_kernel()
    golden(tool, moddir, ver)
    if not UPDATE:
        check_done_when(tool, moddir)
        check_errors(tool, moddir)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
