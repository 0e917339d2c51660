# SPDX-License-Identifier: LGPL-2.1-or-later
"""Issue 15, "Hardening, round two": one regression test per way an
attacker-controlled tree still got through, each written to fail on the
binary before its fix. Trees are built at test time; module trees are made by
depmod (and a .ko by the C compiler), so no kernel download is needed. A test
skips only when depmod or a compiler is missing.

Environment as for test_hostile.py: HVD_CLI, HVD_SRCDIR, HVD_TIMEOUT."""
import os
import shutil
import stat
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import test_hostile as H

CLI = H.CLI
SRC = H.SRC
DB = str(SRC / "data" / "drivers.d")
TIMEOUT = H.TIMEOUT
VIRTIO_NET = "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00"
SELECT_FORMATS = [["--modules"], ["--packages", "--distro", "debian"], ["--format", "dracut"],
                  ["--format", "modules-load"], ["--format", "initramfs-tools"], ["--json", "--modules"],
                  ["--load", "--dry-run"]]


def run(*args, cwd=None, timeout=None):
    return subprocess.run([CLI, *[str(a) for a in args]], capture_output=True, cwd=cwd or tempfile.gettempdir(),
                          timeout=timeout or TIMEOUT)


def one_error_line(p, what=""):
    """Exit 2 with exactly one printable line on stderr and nothing on stdout."""
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 2, f"{what}: exit {p.returncode} (want 2), stdout {p.stdout[:300]!r}, stderr {err[:300]!r}"
    assert p.stdout == b"", f"{what}: exit 2 with output {p.stdout[:300]!r}"
    assert err.endswith("\n") and err.count("\n") == 1, f"{what}: one line wanted, got {err!r}"
    assert all(0x20 <= b < 0x7f or b in (0x0a, 0x09) or b >= 0x80 for b in p.stderr), f"{what}: control bytes {err!r}"
    return err


def depmod():
    for d in ("/usr/sbin", "/sbin", "/usr/bin", "/bin"):
        if os.access(os.path.join(d, "depmod"), os.X_OK):
            return os.path.join(d, "depmod")
    pytest.skip("depmod (kmod) is not installed")


def module_tree(root, version, modules=()):
    """ROOT/lib/modules/VERSION indexed by depmod. MODULES are (file name, [aliases], exports, imports),
    the last two optional: .ko objects built with those .modinfo aliases, exporting and using those
    symbols, so that depmod's own dependency resolution links them. depmod refuses some versions this
    test wants (non-ASCII, a leading '-'): those are renamed into place."""
    final = Path(root) / "lib" / "modules" / version
    version = "6.1.0-depmod" if final.name != version or not version[0].isalnum() or not version.isascii() else version
    moddir = Path(root) / "lib" / "modules" / version
    (moddir / "kernel").mkdir(parents=True, exist_ok=True)
    for f in ("modules.order", "modules.builtin", "modules.builtin.modinfo"):
        (moddir / f).touch()
    for name, aliases, *sym in modules:
        exports, imports = (sym + [[], []])[:2]
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc:
            pytest.skip("no C compiler to build a test module")
        src = "".join('__attribute__((section(".modinfo"), used)) static const char a%d[] = "alias=%s";\n' % (i, a)
                      for i, a in enumerate(aliases))
        src += '__attribute__((section(".modinfo"), used)) static const char l[] = "license=GPL";\n'
        for i, e in enumerate(exports):
            src += '__attribute__((section("__ksymtab_strings"), used)) static const char e%d[] = "%s";\n' % (i, e)
            src += "int %s;\n" % e
        for i, u in enumerate(imports):
            src += "extern int %s; int use%d(void) { return %s; }\n" % (u, i, u)
        with tempfile.TemporaryDirectory() as tmp:
            c = Path(tmp) / "m.c"
            c.write_text(src)
            subprocess.run([cc, "-c", str(c), "-o", os.fsencode(moddir / "kernel") + b"/" + name + b".ko"],
                           check=True)
    subprocess.run([depmod(), "-b", str(root), version], check=True, capture_output=True)
    if moddir != final:
        moddir.rename(final)
    return final


def kvm_sysroot(root, devices=(VIRTIO_NET,)):
    root = Path(root)
    (root / "cpuid.txt").parent.mkdir(parents=True, exist_ok=True)
    (root / "cpuid.txt").write_text(H.kvm_cpuid())
    for i, alias in enumerate(devices):
        d = root / ("sys/bus/pci/devices/0000:00:%02x.0" % (i + 1))
        d.mkdir(parents=True, exist_ok=True)
        (d / "modalias").write_text(alias + "\n")
    return root


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory(prefix="hvd-round2-") as d:
        os.chmod(d, 0o755)
        yield Path(d)


# Device nodes and FIFOs (items 2 and 4)
class NodeWatch:
    """IN_OPEN on any device node or FIFO of a tree (inotify on every directory; O_PATH opens nothing)."""

    def __init__(self, root):
        self.fd = H._libc.inotify_init1(H.IN_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0
        self.wd = {}
        self.nodes = set()
        for d, dirs, files in os.walk(root):
            wd = H._libc.inotify_add_watch(self.fd, os.fsencode(d), H.IN_OPEN)
            assert wd >= 0
            self.wd[wd] = d
            for f in files:
                m = os.lstat(os.path.join(d, f)).st_mode
                if stat.S_ISCHR(m) or stat.S_ISBLK(m) or stat.S_ISFIFO(m):
                    self.nodes.add(os.path.join(d, f))
        self.opened()

    def opened(self):
        out = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return out
            i = 0
            while i < len(buf):
                wd, mask, _, n = struct.unpack_from("iIII", buf, i)
                name = buf[i + 16:i + 16 + n].rstrip(b"\0").decode()
                path = os.path.join(self.wd.get(wd, "?"), name)
                if path in self.nodes:
                    out.append(path)
                i += 16 + n

    def close(self):
        os.close(self.fd)


NODE_PATHS = [H.DMI + f for f in ("sys_vendor", "product_name", "product_serial", "bios_vendor", "board_name",
                                    "chassis_asset_tag", "modalias")] + [
    H.ACPI + "FACP", H.ACPI + "DSDT", "sys/firmware/dmi/tables/smbios_entry_point", "sys/firmware/dmi/tables/DMI",
    "proc/cpuinfo", "proc/sysinfo", "proc/sys/kernel/osrelease", "proc/sys/kernel/arch", "proc/xen/capabilities",
    "proc/ppc64/lparcfg", "proc/device-tree/compatible", "proc/device-tree/model", "sys/hypervisor/type",
    "sys/devices/system/clocksource/clocksource0/available_clocksource",
    "sys/devices/system/clocksource/clocksource0/current_clocksource",
    "sys/bus/vmbus/devices/dev0/class_id", "sys/bus/pci/devices/0000:00:09.0/modalias",
    "sys/bus/pci/devices/0000:00:09.0/vendor", "sys/bus/platform/devices/x/modalias", "etc/os-release",
    "usr/lib/os-release"]


def plant_nodes(root, paths, fifo_every=3):
    for i, rel in enumerate(paths):
        p = Path(root) / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if i % fifo_every == fifo_every - 1:
            os.mkfifo(p)
        else:
            # /dev/null's numbers: harmless if the test fails, and the open is what inotify reports.
            os.mknod(p, 0o644 | stat.S_IFCHR, os.makedev(1, 3))


@pytest.fixture
def as_root():
    if os.geteuid() != 0:
        pytest.skip("mknod of a character device needs root")


# ------------------------------------------------------------------ item 1
@pytest.mark.parametrize("fmt", SELECT_FORMATS)
def test_1_kernel_version_from_moddir_name(tmp, fmt):
    """A --moddir whose name carries a newline and a command: refused, never written into a file."""
    tree = module_tree(tmp / "real", "6.1.0-fake")
    bad = "6.1\ntouch PWNED\n#"
    (tmp / "v").mkdir()
    os.symlink(tree, tmp / "v" / bad)
    root = kvm_sysroot(tmp / "root")
    p = run("--sysroot", root, "--db-dir", DB, "--moddir", tmp / "v" / bad, *fmt, cwd=tmp)
    if fmt[0] == "--format":
        (tmp / "x.conf").write_bytes(p.stdout)
        subprocess.run(["bash", "-c", ". ./x.conf"], cwd=tmp, capture_output=True)
        assert not (tmp / "PWNED").exists(), "the generated file ran a command"
    err = one_error_line(p, " ".join(fmt))
    assert "invalid kernel version" in err and "--moddir" in err, err
    assert "\\x0a" in err, err


@pytest.mark.parametrize("bad", ["6.1\ntouch PWNED\n#", "6.1 $(touch PWNED)", "6.1\x1b[31mred", "-rf", "\u00e9t\u00e9"])
def test_1_kernel_version_from_sysroot(tmp, bad):
    """The only kernel below the sysroot's lib/modules, and --kernel, are checked the same way."""
    root = kvm_sysroot(tmp / "root")
    module_tree(root, bad)
    for extra in ([], ["--kernel", bad]):
        for fmt in (["--format", "dracut"], ["--format", "initramfs-tools"], ["--format", "modules-load"]):
            p = run("--sysroot", root, "--db-dir", DB, *extra, *fmt, cwd=tmp)
            err = one_error_line(p, f"{extra} {fmt}")
            assert "invalid kernel version" in err, err
    assert not (tmp / "PWNED").exists()


def test_1_good_versions_still_work(tmp):
    for v in ("6.1.0-13-amd64", "5.14.0-362.8.1.el9_3.x86_64", "4.18.0-80.el8.x86_64+debug", "6.8.0~rc1"):
        root = kvm_sysroot(tmp / v)
        module_tree(root, v)
        p = run("--sysroot", root, "--db-dir", DB, "--format", "dracut")
        assert p.returncode in (0, 3), p.stderr
        assert p.stdout.startswith(b"# Generated by hvdetect ") and (", kernel %s." % v).encode() in p.stdout


# ------------------------------------------------------------------ item 2
def outside_tree(tmp, version):
    """A module tree and a modprobe.d outside the sysroot, as a host's own would be."""
    out = tmp / "outside"
    module_tree(out, version, [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    (out / "modprobe.d").mkdir()
    (out / "modprobe.d" / "host.conf").write_text("blacklist virtio_net\n")
    return out


LOAD_AND_FORMATS = [["--load", "--dry-run"], ["--modules"], ["--json", "--modules"], ["--format", "dracut"]]


def watched(out, args):
    w = H.Watch(out)
    try:
        p = run(*args)
        return p, w.events()
    finally:
        w.close()


@pytest.mark.parametrize("fmt", LOAD_AND_FORMATS)
@pytest.mark.parametrize("kernel", [True, False])
def test_2_tree_and_modprobe_d_linked_to_the_host(tmp, fmt, kernel):
    """lib/modules/V and etc/modprobe.d are absolute links to host directories: neither is read."""
    v = "6.1.0-host"
    out = outside_tree(tmp, v)
    root = kvm_sysroot(tmp / "root")
    (root / "lib/modules").mkdir(parents=True)
    os.symlink(out / "lib/modules" / v, root / "lib/modules" / v)
    (root / "etc").mkdir()
    os.symlink(out / "modprobe.d", root / "etc/modprobe.d")
    p, events = watched(out, ["--sysroot", root, "--db-dir", DB, *(["--kernel", v] if kernel else []), *fmt])
    assert events == [], f"read outside the sysroot: {events}"
    err = one_error_line(p, str(fmt))
    assert "no kernel module tree" in err, err


@pytest.mark.parametrize("fmt", LOAD_AND_FORMATS)
def test_2_modprobe_d_files_linked_to_the_host(tmp, fmt):
    """The tree is the sysroot's own; modprobe.d files link out (ignored) and in (used, resolved inside)."""
    v = "6.1.0-fake"
    out = outside_tree(tmp, v)
    root = kvm_sysroot(tmp / "root", devices=(VIRTIO_NET, "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"))
    module_tree(root, v, [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"]),
                          (b"virtio_blk", ["pci:v00001AF4d00001001sv*sd*bc*sc*i*"])])
    (root / "etc/modprobe.d").mkdir(parents=True)
    (root / "usr/lib/modprobe.d").mkdir(parents=True)
    os.symlink(out / "modprobe.d" / "host.conf", root / "etc/modprobe.d/host.conf")
    (root / "usr/lib/modprobe.d/blk.conf").write_text("blacklist virtio_blk\n")
    os.symlink("/usr/lib/modprobe.d/blk.conf", root / "etc/modprobe.d/blk.conf")
    p, events = watched(out, ["--sysroot", root, "--db-dir", DB, *fmt])
    assert events == [], f"read outside the sysroot: {events}"
    assert p.returncode in (0, 3), p.stderr
    err = p.stderr.decode()
    assert "virtio_blk is blacklisted" in err, err
    assert "virtio_net is blacklisted" not in err, err


def test_2_merged_usr_with_an_absolute_link(tmp):
    """lib -> /usr/lib, absolute: the tree under usr/lib/modules of the sysroot is the one used."""
    v = "6.1.0-merged"
    root = kvm_sysroot(tmp / "root")
    module_tree(root / "usr", v, [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    os.symlink("/usr/lib", root / "lib")
    for extra in ([], ["--kernel", v]):
        p = run("--sysroot", root, "--db-dir", DB, "--json", "--modules", *extra)
        assert p.returncode in (0, 3), p.stderr
        sel = __import__("json").loads(p.stdout)["selection"]
        assert sel["kernel"] == v
        assert os.path.realpath(sel["moddir"]).startswith(os.path.realpath(root)), sel["moddir"]
        assert "virtio_net" in [m["name"] for m in sel["modules"]]


@pytest.mark.parametrize("what", ["link-out", "chardev", "fifo", "directory"])
def test_2_index_files_of_the_tree(tmp, what, as_root):
    """A modules.* file that links out of the sysroot or is not a regular file: the tree is refused unread."""
    v = "6.1.0-fake"
    out = outside_tree(tmp, v)
    root = kvm_sysroot(tmp / "root")
    moddir = module_tree(root, v, [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    victim = moddir / "modules.alias.bin"
    victim.unlink()
    if what == "link-out":
        os.symlink(out / "lib/modules" / v / "modules.alias.bin", victim)
    elif what == "chardev":
        os.mknod(victim, 0o644 | stat.S_IFCHR, os.makedev(1, 3))
    elif what == "fifo":
        os.mkfifo(victim)
    else:
        victim.mkdir()
    w = NodeWatch(root)
    try:
        p, events = watched(out, ["--sysroot", root, "--db-dir", DB, "--load", "--dry-run"])
        assert w.opened() == [], w.opened()
    finally:
        w.close()
    assert events == [], f"read outside the sysroot: {events}"
    err = one_error_line(p, what)
    assert "modules.alias.bin" in err and "refusing the module tree" in err, err


def test_2_modprobe_d_nodes(tmp, as_root):
    """A device node and a FIFO named *.conf in modprobe.d: left out, never opened (a FIFO blocked libkmod)."""
    root = kvm_sysroot(tmp / "root")
    module_tree(root, "6.1.0-fake", [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    plant_nodes(root, ["etc/modprobe.d/a.conf", "etc/modprobe.d/b.conf", "run/modprobe.d/c.alias",
                       "lib/modprobe.d/d.conf"], fifo_every=2)
    w = NodeWatch(root)
    try:
        for fmt in LOAD_AND_FORMATS:
            p = run("--sysroot", root, "--db-dir", DB, *fmt, timeout=10)
            assert p.returncode in (0, 3), p.stderr
            assert w.opened() == [], f"{fmt}: opened {w.opened()}"
    finally:
        w.close()


def test_2_libkmod_prints_nothing_for_a_hostile_softdep(tmp):
    """libkmod parses the tree's modules.softdep in kmod_new(), before a log function can be set, and printed
    every line it rejected on stderr, raw: the tree is refused first, in one line, with nothing of it printed."""
    root = kvm_sysroot(tmp / "root")
    moddir = module_tree(root, "6.1.0-fake", [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    (moddir / "modules.softdep").write_bytes(b"softdep ext4 pre: crc32c\n\x1b]0;owned\x07\x1b[2J $(id)\n")
    for fmt in LOAD_AND_FORMATS:
        p = run("--sysroot", root, "--db-dir", DB, *fmt)
        err = one_error_line(p, str(fmt))
        assert "modules.softdep line 2 is not a line depmod writes" in err, err
        assert b"\x1b" not in p.stderr and b"libkmod" not in p.stderr, p.stderr


def test_2_libkmod_prints_nothing_for_hostile_modprobe_d(tmp):
    """Lines of modprobe.d libkmod would reject (on stderr, raw) are left out before it sees them;
    the others keep working, continuation lines included."""
    root = kvm_sysroot(tmp / "root", devices=(VIRTIO_NET, "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"))
    module_tree(root, "6.1.0-fake", [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"]),
                                     (b"virtio_blk", ["pci:v00001AF4d00001001sv*sd*bc*sc*i*"])])
    (root / "etc/modprobe.d").mkdir(parents=True)
    (root / "etc/modprobe.d/x.conf").write_bytes(
        b"\x1b]0;owned\x07\x1b[2J $(id)\n  # indented\ninclude /etc/foo\nalias a[b virtio_net\noptions virtio_net\n"
        b"blacklist \\\nvirtio_blk\ninstall virtio_net /bin/true\n")
    p = run("--sysroot", root, "--db-dir", DB, "--load", "--dry-run")
    assert p.returncode in (0, 3), p.stderr
    assert b"\x1b" not in p.stderr and b"libkmod" not in p.stderr, p.stderr
    out = {l.split()[0]: l.split(None, 2)[2] for l in p.stdout.decode().splitlines()}
    assert out.get("virtio_blk") == "blacklisted", out
    assert out.get("virtio_net") == "would run its modprobe.d install command instead", out
    p = run("--sysroot", root, "--db-dir", DB, "--load", "--dry-run", "-v")
    assert b"x.conf line 1: left out: libkmod would reject '\\x1b]0;owned\\x07" in p.stderr, p.stderr


# ------------------------------------------------------------------ item 3
HOSTILE_MODULE = b"x\x1b[31mRED$(id)"


@pytest.mark.parametrize("fmt", SELECT_FORMATS + [["--hypervisor", "kvm", "--load", "--dry-run"]])
def test_3_module_name_from_index(tmp, fmt):
    """A .ko named x<ESC>[31mRED$(id).ko indexed by depmod, bound to a device of the sysroot."""
    root = kvm_sysroot(tmp / "root")
    module_tree(root, "6.1.0-fake", [(HOSTILE_MODULE, ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    p = run("--sysroot", root, "--db-dir", DB, *fmt)
    assert HOSTILE_MODULE not in p.stdout and b"\x1b" not in p.stdout and b"$(id)" not in p.stdout, p.stdout
    if fmt[0] == "--hypervisor":
        # A named target scans no devices: the hostile module is never looked up, and nothing else is wrong.
        assert p.returncode in (0, 3), p.stderr
        return
    if fmt[0] == "--packages":
        # Packages open no module tree (issue 16): the hostile index is never read.
        assert p.returncode == 0 and p.stdout == b"qemu-guest-agent\n", (p.returncode, p.stdout, p.stderr)
        return
    err = one_error_line(p, " ".join(fmt))
    assert "x\\x1b[31mRED$(id)" in err and "not a module name" in err, err


def test_3_module_name_as_dependency(tmp):
    """The hostile module reached as a dependency (by symbol, resolved by depmod) of a database module."""
    root = kvm_sysroot(tmp / "root")
    moddir = module_tree(root, "6.1.0-fake", [(b"virtio_pci", ["pci:v00001AF4d*sv*sd*bc*sc*i*"], [], ["evil_sym"]),
                                             (HOSTILE_MODULE, [], ["evil_sym"])])
    assert b"kernel/virtio_pci.ko: kernel/" + HOSTILE_MODULE in (moddir / "modules.dep").read_bytes()
    for fmt in (["--format", "dracut"], ["--modules"], ["--hypervisor", "kvm", "--format", "initramfs-tools"]):
        p = run("--sysroot", root, "--db-dir", DB, *fmt)
        err = one_error_line(p, "dependency")
        assert "not a module name" in err


# ------------------------------------------------------------------ item 4
@pytest.mark.parametrize("dump", [False, True])
def test_4_no_device_node_opened_by_detection(tmp, as_root, dump):
    root = tmp / "root"
    plant_nodes(root, NODE_PATHS + (["cpuid.txt"] if dump else []))
    w = NodeWatch(root)
    try:
        for mode in H.MODES + [["--capture", str(tmp / "cap")]]:
            p = run("--sysroot", root, *mode)
            assert p.returncode in (0, 1, 2), p.stderr
            assert w.opened() == [], f"{mode}: opened {w.opened()}"
    finally:
        w.close()


def test_4_no_device_node_opened_by_selection(tmp, as_root):
    root = kvm_sysroot(tmp / "root")
    module_tree(root, "6.1.0-fake")
    plant_nodes(root, NODE_PATHS)
    w = NodeWatch(root)
    try:
        for fmt in SELECT_FORMATS:
            p = run("--sysroot", root, "--db-dir", DB, *fmt)
            assert p.returncode in (0, 1, 2, 3), p.stderr
            assert w.opened() == [], f"{fmt}: opened {w.opened()}"
    finally:
        w.close()


def test_4_no_module_file_opened_that_is_a_device(tmp, as_root):
    """A .ko that is a device node or FIFO: the tree's architecture (modarch.c) is read from plain files only."""
    root = kvm_sysroot(tmp / "root")
    moddir = module_tree(root, "6.1.0-fake", [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"]),
                                              (b"virtio_blk", ["pci:v00001AF4d00001001sv*sd*bc*sc*i*"])])
    for i, name in enumerate(("virtio_net.ko", "virtio_blk.ko")):
        (moddir / "kernel" / name).unlink()
    plant_nodes(moddir, ["kernel/virtio_net.ko", "kernel/virtio_blk.ko"], fifo_every=2)
    w = NodeWatch(root)
    try:
        for fmt in (["--modules"], ["--load", "--dry-run"], ["--hypervisor", "kvm", "--format", "dracut"]):
            p = run("--sysroot", root, "--db-dir", DB, *fmt, timeout=10)
            assert p.returncode in (0, 3), p.stderr
            assert w.opened() == [], f"{fmt}: opened {w.opened()}"
    finally:
        w.close()


def test_4_host_files_named_by_the_caller(tmp, as_root):
    """--cpuid-dump and a drivers.d file that are device nodes or FIFOs: refused unopened."""
    (tmp / "db").mkdir()
    shutil.copy(Path(DB) / "kvm.conf", tmp / "db" / "kvm.conf")
    plant_nodes(tmp, ["dump", "fifo-dump", "db/00-dev.conf", "db/10-fifo.conf"], fifo_every=2)
    w = NodeWatch(tmp)
    try:
        for args in (["--cpuid-dump", tmp / "dump"], ["--cpuid-dump", tmp / "fifo-dump"],
                     ["--check-db", "--db-dir", tmp / "db"],
                     ["--modules", "--hypervisor", "kvm", "--db-dir", tmp / "db"]):
            p = run("--sysroot", SRC / "tests/cli/fixtures/empty", *args)
            assert w.opened() == [], f"{args}: opened {w.opened()}"
            assert p.returncode == 2 and (b"dump" in p.stderr or b"conf" in p.stderr), p.stderr
    finally:
        w.close()


# ------------------------------------------------------------------ item 6
def many_devices(root, n_buses, n_devices, modalias):
    """N_BUSES bus directories whose devices are links to one directory of N_DEVICES devices."""
    shared = Path(root) / "sys/devices/shared"
    for i in range(n_devices):
        d = shared / ("dev%05d" % i)
        d.mkdir(parents=True)
        (d / "modalias").write_bytes(modalias)
    for b in range(n_buses):
        bus = Path(root) / ("sys/bus/bus%03d" % b)
        bus.mkdir(parents=True)
        os.symlink("../../devices/shared", bus / "devices")


def test_6_device_scan_has_an_overall_cap(tmp):
    """200 buses x 20,000 devices with malformed modaliases: 48 s before; now one line, quickly."""
    root = kvm_sysroot(tmp / "root", devices=())
    module_tree(root, "6.1.0-fake")
    many_devices(root, 200, 20000, b"not a modalias\n")
    t = time.perf_counter()
    p = run("--sysroot", root, "--db-dir", DB, "--modules")
    t = time.perf_counter() - t
    err = one_error_line(p, "many devices")
    assert "more than 100000 entries below sys/bus" in err, err
    assert t < TIMEOUT / 2, f"{t:.1f} s"


def test_6_too_many_valid_devices_says_so(tmp):
    """6 buses x 20,000 valid devices: a clear message, not "Argument list too long"."""
    root = kvm_sysroot(tmp / "root", devices=())
    module_tree(root, "6.1.0-fake")
    many_devices(root, 6, 20000, VIRTIO_NET.encode() + b"\n")
    p = run("--sysroot", root, "--db-dir", DB, "--modules")
    err = one_error_line(p, "many valid devices")
    assert "device scan: more than 100000" in err and "Argument list too long" not in err, err


def test_6_a_real_machine_still_scans(tmp):
    root = kvm_sysroot(tmp / "root", devices=())
    module_tree(root, "6.1.0-fake", [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    many_devices(root, 3, 3000, VIRTIO_NET.encode() + b"\n")
    p = run("--sysroot", root, "--db-dir", DB, "--modules")
    assert p.returncode in (0, 3) and b"virtio_net" in p.stdout, p.stderr


# ------------------------------------------------------------------ item 7
# Under ASan/UBSan/TSan (.ci/sanitize) memory and time are the instrumentation's: shadow memory
# alone passes the RSS bounds, and a 10x slowdown the time ratios. Those bounds are checked by the
# plain build's run of this file (the README's test command); the sanitizer run checks the rest.
SANITIZED = any(v in os.environ for v in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS"))


def bounded(value, limit, what):
    """Assert VALUE < LIMIT, except under a sanitizer (see SANITIZED)."""
    if not SANITIZED:
        assert value < limit, what


def run_measured(*args):
    """Run the CLI; return (exit status, stdout, stderr, seconds, peak RSS in KiB) of that one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen([CLI, *[str(a) for a in args]], stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        t = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), t, usage.ru_maxrss


def test_7_database_memory_is_bounded(tmp):
    """100 files of 'match arch=a,a,a,...' (100 MB): 1-2 GB before; now a few MB and one clear error."""
    line = "match arch=" + ",".join(["a"] * 2040) + "\n"
    data = line * ((1 << 20) // len(line))
    (tmp / "db").mkdir()
    for i in range(100):
        (tmp / "db" / ("%03d.conf" % i)).write_text(data)
    for args in (["--check-db"], ["--modules", "--hypervisor", "kvm"]):
        rc, out, err, t, rss = run_measured(*args, "--db-dir", tmp / "db", "--sysroot", tmp)
        assert rc == 2, err[-500:]
        if args == ["--check-db"]:
            # Selection stops at the first error (the rule without a module); validation reads on.
            assert b"more than 65536 rules, match values, module names and packages" in err, err[-500:]
        bounded(rss, 64 * 1024, f"{args}: peak RSS {rss} KiB")
        bounded(t, 5, f"{args}: {t:.1f} s")


def test_7_database_size_is_bounded(tmp):
    """Comments cost nothing but reading: the whole database is bounded too (4 MiB of text)."""
    (tmp / "db").mkdir()
    for i in range(6):
        (tmp / "db" / ("%d.conf" % i)).write_text(("# " + "c" * 1000 + "\n") * 1000)
    p = run("--check-db", "--db-dir", tmp / "db")
    assert p.returncode == 2, p.stderr
    # Four files of 1,002,000 bytes fit in 4 MiB; the fifth does not.
    assert b"/4.conf:1: the database is larger than 4194304 bytes in all" in p.stderr, p.stderr


def test_7_report_is_bounded(tmp):
    """200,000 bad lines: the first 1,000 are reported, then a count."""
    (tmp / "db").mkdir()
    (tmp / "db" / "bad.conf").write_text("x\n" * 200000)
    rc, out, err, t, rss = run_measured("--check-db", "--db-dir", tmp / "db")
    lines = err.decode().splitlines()
    assert rc == 2
    assert len(lines) <= 1001, len(lines)
    assert lines[-1].endswith(": 199000 more errors not shown"), lines[-1]
    bounded(rss, 64 * 1024, rss)


# ------------------------------------------------------------------ item 8
def check_db(db):
    p = run("--check-db", "--db-dir", db)
    return p.returncode, p.stderr.decode("utf-8", "replace").splitlines(), p


def test_8_check_db_escapes_file_names(tmp):
    db = tmp / "db"
    db.mkdir()
    (db / "bad\nname\x1b[31m.conf").write_text("bogus directive\n")
    rc, lines, p = check_db(db)
    assert rc == 2
    assert len(lines) == 1 and lines[0].startswith(str(db) + "/bad\\x0aname\\x1b[31m.conf:1: "), lines
    assert b"\x1b" not in p.stderr


def test_8_check_db_reports_every_file(tmp):
    """A directory named *.conf (unreadable as a file) first: the files after it are still checked,
    it is reported once and clearly, and a FIFO is named as what it is."""
    db = tmp / "db"
    db.mkdir()
    (db / "00-dir.conf").mkdir()
    os.mkfifo(db / "05-fifo.conf")
    (db / "10-bad.conf").write_text("match hypervisor=nosuch\nmodule virtio_net network\n")
    (db / "20-bad.conf").write_text("frobnicate\n")
    rc, lines, p = check_db(db)
    assert rc == 2
    assert lines == [f"{db}/00-dir.conf: is a directory, not a database file",
                     f"{db}/05-fifo.conf: is not a regular file (a device, FIFO or socket): not opened",
                     f"{db}/10-bad.conf:1: unknown hypervisor 'nosuch'",
                     f"{db}/20-bad.conf:1: unknown directive 'frobnicate' (expected match, module or package)"], lines


@pytest.mark.parametrize("line", [b"module " + b"x" * 5000 + b" boot", b"module virtio_net b\xc3\xb6\xc3\xb6t",
                                  b"module virtio_net boot \x1b[2J", b"module bad/name boot"],
                         ids=["too-long", "non-ascii", "control", "bad-name"])
def test_8_no_bogus_rule_without_module(tmp, line):
    db = tmp / "db"
    db.mkdir()
    (db / "a.conf").write_bytes(b"match hypervisor=kvm\n" + line + b"\n")
    rc, lines, p = check_db(db)
    assert rc == 2
    assert len(lines) == 1 and ":2: " in lines[0], lines
    assert "rule has no" not in p.stderr.decode("utf-8", "replace"), lines


def test_8_too_many_files_says_so(tmp):
    db = tmp / "db"
    db.mkdir()
    for i in range(1025):
        (db / ("%04d.conf" % i)).write_text("# empty\n")
    rc, lines, p = check_db(db)
    assert rc == 2
    assert lines == [f"{db}: more than 1024 *.conf files: not a driver database"], lines


def test_8_capture_into_newdir_slash(tmp):
    p = run("--sysroot", SRC / "tests/cli/fixtures/vmware", "--capture", str(tmp / "newdir") + "/")
    assert p.returncode == 0, p.stderr
    assert (tmp / "newdir").is_dir() and not [n for n in os.listdir(tmp) if ".tmp" in n]
    p = run("--sysroot", SRC / "tests/cli/fixtures/vmware", "--capture", str(tmp / "no/such/dir") + "/")
    err = one_error_line(p, "capture below a missing directory")
    assert ".tmp" not in err and "cannot create a temporary directory beside it: No such file or directory" in err


def test_8_capture_of_a_broken_dump_says_where(tmp):
    root = tmp / "root"
    shutil.copytree(SRC / "tests/cli/fixtures/vmware", root, symlinks=True)
    (root / "cpuid.txt").write_text("CPU:\n   0x00000000 0x00: eax=oops\n")
    p = run("--sysroot", root, "--capture", tmp / "cap")
    err = one_error_line(p, "capture")
    assert f"{root}/cpuid.txt:2: " in err and "Bad message" not in err, err


def test_8_long_message_keeps_its_reason(tmp):
    long = "/tmp/" + "d" * 5000
    for args in (["--sysroot", long], ["--cpuid-dump", long],
                 ["--modules", "--db-dir", DB, "--moddir", long + "/6.1.0-1"]):
        p = run(*args)
        err = one_error_line(p, args[0])
        assert err.rstrip("\n").endswith(("File name too long", "No such file or directory",
                                           ": pass --moddir DIR or --kernel VERSION")), err[-200:]
        assert " ... " in err and len(err) < 4200, len(err)


# ------------------------------------------------------------------ item 9
@pytest.fixture
def kvm_tree(tmp):
    root = kvm_sysroot(tmp / "root")
    module_tree(root, "6.1.0-fake", [(b"virtio_net", ["pci:v00001AF4d00001000sv*sd*bc*sc*i*"])])
    return root


@pytest.mark.parametrize("args,says", [
    (["--check-db", "--json"], "--check-db and --json cannot be used together"),
    (["--check-db", "--load"], "--check-db and --load cannot be used together"),
    (["--check-db", "--modules"], "--check-db and --modules cannot be used together"),
    (["--check-db", "--format", "dracut"], "--check-db and --format cannot be used together"),
    (["--check-db", "--hypervisor", "kvm"], "--check-db and --hypervisor cannot be used together"),
    (["--packages", "--format", "dracut"], "--packages and --format cannot be used together"),
    (["--packages", "--modules"], "--packages and --modules cannot be used together"),
    (["--modules", "--format", "dracut"], "--modules and --format dracut cannot be used together"),
    (["--dry-run"], "--dry-run needs --load"),
    (["--dry-run", "--modules"], "--dry-run needs --load"),
    (["--load", "--dry-run", "--format", "dracut"], "--load and --format cannot be used together"),
    (["--load", "--dry-run", "--packages"], "--load and --packages cannot be used together"),
    (["--format", "dracut", "--json"], "--format and --json cannot be used together"),
    (["--distro", "debian", "--modules"], "--distro needs --packages"),
    (["--distro", "debian", "--format", "initramfs-tools"], "--distro needs --packages"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_9_conflicting_flags_are_refused(kvm_tree, args, says):
    p = run("--sysroot", kvm_tree, "--db-dir", DB, *args)
    err = one_error_line(p, " ".join(args))
    assert says in err, err


@pytest.mark.parametrize("args", [
    ["--check-db"], ["--check-db", "-q"], ["--packages", "--distro", "debian"], ["--json", "--distro", "debian"],
    ["--format", "packages", "--distro", "debian"], ["--format", "json", "--distro", "debian"],
    ["--load", "--dry-run"], ["--load", "--dry-run", "--json"], ["--load", "--dry-run", "--hypervisor", "kvm"],
    ["--modules", "--format", "modules"], ["--packages", "--format", "packages", "--distro", "suse"],
    ["--json", "--modules"],
    ["--portable", "--format", "dracut"], ["--hypervisor", "kvm", "--packages", "--distro", "rhel"],
], ids=lambda v: " ".join(v))
def test_9_combinations_that_mean_something_still_work(kvm_tree, args):
    p = run("--sysroot", kvm_tree, "--db-dir", DB, *args)
    assert p.returncode in (0, 3), p.stderr


def test_9_dry_run_names_the_install_command(kvm_tree, tmp):
    """A module with a modprobe.d install command: --load --dry-run says the command would run (and runs nothing)."""
    (kvm_tree / "etc/modprobe.d").mkdir(parents=True)
    (kvm_tree / "etc/modprobe.d/i.conf").write_text("install virtio_net /bin/touch %s\n" % (tmp / "RAN"))
    p = run("--sysroot", kvm_tree, "--db-dir", DB, "--load", "--dry-run")
    assert p.returncode in (0, 3), p.stderr
    line = [l for l in p.stdout.decode().splitlines() if l.split()[:1] == ["virtio_net"]]
    assert line and line[0].endswith("would run its modprobe.d install command instead"), p.stdout
    assert not (tmp / "RAN").exists()
    p = run("--sysroot", kvm_tree, "--db-dir", DB, "--load", "--dry-run", "--json")
    mods = {m["name"]: m["outcome"] for m in __import__("json").loads(p.stdout)["selection"]["modules"]}
    assert mods["virtio_net"] == "would run its modprobe.d install command instead", mods


# ------------------------------------------------------------------ item 10
def smbios_tree(root, struct_bytes):
    one = struct_bytes
    table = one * ((1 << 20) // len(one))
    H_ = Path(root) / "sys/firmware/dmi/tables"
    H_.mkdir(parents=True)
    (H_ / "smbios_entry_point").write_bytes(H.smbios_ep(len(table)))
    (H_ / "DMI").write_bytes(table)


def best_of(n, *args):
    best = None
    for _ in range(n):
        t = time.perf_counter()
        p = run(*args)
        t = time.perf_counter() - t
        assert p.returncode in (0, 1), p.stderr
        best = t if best is None else min(best, t)
    return best


def test_10_smbios_type11_blank_strings(tmp):
    """1 MiB of type 11 structures, each with 255 blank strings: as fast as 1 MiB of another type."""
    blank = bytes([11, 5]) + struct.pack("<H", 1) + bytes([255]) + b" \0" * 255 + b"\0"
    other = bytes([126, 5]) + struct.pack("<H", 1) + bytes([255]) + b" \0" * 255 + b"\0"
    smbios_tree(tmp / "t11", blank)
    smbios_tree(tmp / "t126", other)
    t11 = best_of(3, "--sysroot", tmp / "t11")
    t126 = best_of(3, "--sysroot", tmp / "t126")
    bounded(t11, 3 * t126 + 0.05, f"type 11: {t11:.3f} s, the same size of type 126: {t126:.3f} s")
