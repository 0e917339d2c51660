# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hostile sysroots: each case builds a tree at test time and runs
detect-hypervisor over it in every output mode. Every run must end within a
time bound with exit 0 or 1 (or 3 for driver selection), or exit 2 with exactly
one line on stderr; --json must be valid JSON in valid UTF-8, --shell must eval
to the same values without running anything, and nothing outside the sysroot
may be opened for reading (watched with inotify on a directory the tree's
links point at).

Environment: HVD_CLI (the detect-hypervisor binary), HVD_SRCDIR (checkout),
HVD_TIMEOUT (seconds per run; sanitizer builds are slower)."""
import ctypes
import json
import os
import random
import shutil
import stat
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest

CLI = os.environ.get("HVD_CLI", "detect-hypervisor")
SRC = Path(os.environ.get("HVD_SRCDIR", Path(__file__).resolve().parents[2]))
TIMEOUT = float(os.environ.get("HVD_TIMEOUT", "20"))
MODES = [[], ["--json"], ["--shell"], ["--explain"]]
SECRET = b"OUTSIDE-THE-SYSROOT"


# ---------------------------------------------------------------- inotify
_libc = ctypes.CDLL(None, use_errno=True)
IN_ACCESS, IN_OPEN, IN_NONBLOCK = 0x1, 0x20, 0o4000


class Watch:
    """Report every open or read below a directory (and its subdirectories)."""

    def __init__(self, root):
        self.fd = _libc.inotify_init1(IN_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0
        for d, dirs, _ in os.walk(root):
            assert _libc.inotify_add_watch(self.fd, os.fsencode(d), IN_ACCESS | IN_OPEN) >= 0
        self.events()  # the walk's own opens

    def events(self):
        out = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return out
            i = 0
            while i < len(buf):
                _, mask, _, n = struct.unpack_from("iIII", buf, i)
                name = buf[i + 16:i + 16 + n].rstrip(b"\0")
                out.append((mask, name))
                i += 16 + n

    def close(self):
        os.close(self.fd)


# ---------------------------------------------------------------- tree helpers
class Tree:
    def __init__(self, base):
        self.base = Path(base)
        self.root = self.base / "root"
        self.outside = self.base / "outside"
        self.root.mkdir()
        self.outside.mkdir()
        (self.outside / "secret").write_bytes(SECRET + b"\n")
        (self.outside / "tables").mkdir()
        (self.outside / "tables" / "FACP").write_bytes(facp(b"SECRET"))
        self.extra_args = []

    def p(self, rel):
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, rel, data):
        if isinstance(data, str):
            data = data.encode()
        self.p(rel).write_bytes(data)

    def link(self, rel, target):
        os.symlink(target, self.p(rel))

    def fifo(self, rel):
        os.mkfifo(self.p(rel))

    def mkdir(self, rel):
        self.p(rel).mkdir(parents=True, exist_ok=True)

    def sparse(self, rel, size, head=b""):
        with open(self.p(rel), "wb") as f:
            f.write(head)
            f.truncate(size)


DMI = "sys/class/dmi/id/"
ACPI = "sys/firmware/acpi/tables/"


def acpi_header(sig, length, rev=1, oem=b"OEMID ", table=b"TABLE   ", creator=b"CRTR"):
    return sig + struct.pack("<IBB", length, rev, 0) + oem + table + struct.pack("<I", 1) + creator + struct.pack("<I", 1)


def facp(oem, hv=b"", rev=6):
    body = acpi_header(b"FACP", 276, rev, oem.ljust(6)[:6]) + bytes(268 - 36)
    return body + hv.ljust(8, b"\0")[:8]


def smbios_ep(table_len, maxlen=0):
    """An SMBIOS 3.0 entry point with a right checksum."""
    ep = bytearray(b"_SM3_" + bytes([0, 0x18, 3, 4, 0, 1, 0]) + struct.pack("<IQ", maxlen or table_len, 0))
    ep[5] = (-sum(ep)) & 0xFF
    return bytes(ep)


def dmi_struct(t, handle, formatted, strings):
    body = bytes([t, 4 + len(formatted)]) + struct.pack("<H", handle) + formatted
    s = b"".join(x + b"\0" for x in strings) or b"\0"
    return body + s + b"\0"


def kvm_cpuid():
    return ("CPU:\n"
            "   0x00000000 0x00: eax=0x00000010 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
            "   0x00000001 0x00: eax=0x00a00f11 ebx=0x00000800 ecx=0xfef83203 edx=0x078bfbff\n"
            "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n")


NASTY = [b"\x1b[31mRED\x1b[0m\x1b]0;title\x07", b"it's $(touch PWNED) `touch PWNED` \"q\" \\",
         b"\xff\xfe\xc0\xaf\xed\xa0\x80 bad utf-8 \xe2\x82", b"\xc2\x9b2J C1 CSI", b"new\nline\r\ttab",
         b"\xe2\x80\xae bidi override", b"\x7f\x01\x02\x03", b"-n", b"~root", b"%s%n%x"]


# ---------------------------------------------------------------- the cases
def case_symlink_loops(t):
    t.link(DMI + "sys_vendor", "sys_vendor")
    t.link(DMI + "product_name", "a")
    t.link(DMI + "a", "b")
    t.link(DMI + "b", "a")
    t.link("proc", "proc")
    t.link(ACPI + "FACP", "../tables/FACP")
    t.link("sys/bus/pci", "../bus")


def case_dir_symlink_loop(t):
    t.mkdir("sys/bus/pci/devices")
    t.link("sys/bus/pci/devices/0000:00:01.0", "..")
    t.link("sys/bus/acpi/devices/loop", "../../acpi")
    t.link("sys/firmware/efi", "/sys/firmware")


def case_links_out_relative(t):
    t.link(DMI + "sys_vendor", "../../../../outside/secret")
    t.link(DMI + "product_name", "../../../../../../../../../../outside/secret")
    t.link("proc/cpuinfo", "../../outside/secret")
    t.link("proc/sys/kernel/osrelease", "../../../../outside/secret")


def case_links_out_absolute(t):
    t.link(DMI + "sys_vendor", str(t.outside / "secret"))
    t.link("proc/cpuinfo", str(t.outside / "secret"))
    t.link("sys/hypervisor/type", str(t.outside / "secret"))
    t.link("cpuid.txt", str(t.outside / "secret"))


def case_dir_links_out(t):
    t.mkdir("sys/firmware")
    t.link("sys/firmware/acpi", "../../../outside")
    t.link("sys/class", str(t.outside))
    t.link("proc", "../outside")


def case_fifos(t):
    for f in ("sys_vendor", "product_name", "bios_vendor"):
        t.fifo(DMI + f)
    t.fifo("sys/firmware/dmi/tables/smbios_entry_point")
    t.fifo("sys/firmware/dmi/tables/DMI")
    t.fifo(ACPI + "FACP")
    t.fifo("proc/cpuinfo")
    t.fifo("sys/hypervisor/type")


def case_fifo_cpuid_dump(t):
    t.fifo("cpuid.txt")


def case_dirs_where_files_belong(t):
    for f in ("sys_vendor", "product_name", "chassis_asset_tag"):
        t.mkdir(DMI + f)
    t.mkdir("sys/firmware/dmi/tables/DMI")
    t.mkdir("sys/firmware/dmi/tables/smbios_entry_point")
    t.mkdir(ACPI + "FACP")
    t.mkdir("proc/cpuinfo")
    t.mkdir("proc/device-tree/compatible")
    t.mkdir("sys/bus/pci/devices/0000:00:01.0/modalias")


def case_device_nodes(t):
    # /dev/zero and /dev/urandom where tables belong: endless reads unless refused.
    for rel in (ACPI + "FACP", "sys/firmware/dmi/tables/DMI", DMI + "sys_vendor", "proc/cpuinfo"):
        os.mknod(t.p(rel), 0o644 | stat.S_IFCHR, os.makedev(1, 5))
    os.mknod(t.p(ACPI + "DSDT"), 0o644 | stat.S_IFCHR, os.makedev(1, 9))


def case_huge_files(t):
    t.sparse(DMI + "sys_vendor", 256 << 20, b"QEMU")
    t.sparse(DMI + "product_name", 1 << 30)
    t.sparse("sys/firmware/dmi/tables/DMI", 4 << 30)
    t.write("sys/firmware/dmi/tables/smbios_entry_point", smbios_ep(0xFFFFFFFF))
    t.sparse(ACPI + "FACP", 2 << 30, facp(b"BOCHS "))
    t.sparse("proc/cpuinfo", 1 << 30, b"processor\t: 0\nflags\t\t: fpu hypervisor\n")
    t.sparse("proc/sys/kernel/osrelease", 1 << 30)


def case_huge_cpuid_dump(t):
    t.sparse("cpuid.txt", 1 << 30, kvm_cpuid().encode())


def case_empty_files(t):
    for f in ("sys_vendor", "product_name", "bios_vendor", "board_vendor", "chassis_asset_tag"):
        t.write(DMI + f, b"")
    t.write("sys/firmware/dmi/tables/smbios_entry_point", b"")
    t.write("sys/firmware/dmi/tables/DMI", b"")
    for sig in ("FACP", "DSDT", "APIC", "SSDT1"):
        t.write(ACPI + sig, b"")
    t.write("proc/cpuinfo", b"")
    t.write("proc/sys/kernel/osrelease", b"")
    t.write("proc/device-tree/compatible", b"")
    t.write("sys/hypervisor/type", b"")
    t.write("sys/bus/pci/devices/0000:00:01.0/modalias", b"")
    t.mkdir("sys/bus/vmbus/devices/empty")
    t.write("sys/bus/vmbus/devices/empty/class_id", b"")


def case_empty_cpuid_dump(t):
    t.write("cpuid.txt", b"")


def case_unreadable(t):
    # Root reads any mode; without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH mode 000 is EACCES.
    t.write(DMI + "sys_vendor", "QEMU\n")
    t.write(DMI + "product_name", "Standard PC\n")
    t.write(ACPI + "FACP", facp(b"BOCHS "))
    t.write("proc/cpuinfo", "processor\t: 0\nflags\t\t: hypervisor\n")
    t.mkdir("sys/bus/pci/devices/0000:00:01.0")
    t.write("sys/bus/pci/devices/0000:00:01.0/modalias", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n")
    for rel in (DMI + "sys_vendor", DMI + "product_name", ACPI + "FACP", "proc/cpuinfo",
                "sys/bus/pci/devices/0000:00:01.0/modalias"):
        os.chmod(t.p(rel), 0)
    os.chmod(t.p("sys/bus/pci/devices"), 0)
    t.as_nobody = True


def case_dmi_control_bytes(t):
    fields = ["sys_vendor", "product_name", "product_version", "product_serial", "bios_vendor",
              "bios_version", "board_vendor", "board_name", "chassis_asset_tag", "product_family"]
    for f, s in zip(fields, NASTY):
        t.write(DMI + f, s + b"\n")
    t.write(DMI + "sys_vendor", b"QEMU\x1b[2J\x00hidden after NUL\n")


def case_dmi_invalid_utf8(t):
    rng = random.Random(1)
    for f in ("sys_vendor", "product_name", "bios_vendor", "bios_version", "board_name",
              "chassis_vendor", "product_sku"):
        t.write(DMI + f, bytes(rng.randrange(1, 256) for _ in range(200)))
    t.write(DMI + "sys_vendor", b"Microsoft Corporation\xff\xfe")
    t.write(DMI + "product_name", b"Virtual Machine\xed\xa0\x80\xc0\x80")


def case_smbios_hostile_table(t):
    # Type 1 with string indexes past the end, a length byte of 2, an unterminated string set,
    # then type 11 with 300 strings; the entry point claims more than is there.
    table = dmi_struct(1, 1, bytes([5, 9, 200, 1]), [b"QEMU\x1b]0;x\x07", b"\xff\xfe"])
    table += bytes([0, 2, 0, 0]) + b"\0\0"
    table += dmi_struct(11, 2, bytes([255]), [b"s%d" % i for i in range(300)])
    table += bytes([1, 0xFF, 3, 0]) + b"unterminated"
    t.write("sys/firmware/dmi/tables/smbios_entry_point", smbios_ep(len(table) + 4096))
    t.write("sys/firmware/dmi/tables/DMI", table)


def case_smbios_random(t):
    rng = random.Random(2)
    t.write("sys/firmware/dmi/tables/smbios_entry_point", b"_SM_" + bytes(rng.randrange(256) for _ in range(27)))
    t.write("sys/firmware/dmi/tables/DMI", bytes(rng.randrange(256) for _ in range(65536)))


def case_acpi_hostile_headers(t):
    t.write(ACPI + "FACP", acpi_header(b"FACP", 0xFFFFFFFF, 6) + b"short")
    t.write(ACPI + "DSDT", b"DSD")
    t.write(ACPI + "APIC", acpi_header(b"\x1b[2J", 36, 255, b"\xff\xfe\x00\x01\x02\x03", b"\n\r\t\x7f\x80\x9b\x00a"))
    t.write(ACPI + "SSDT1", facp(b"\x1b]0;x", hv=b"\x00\x01\xff\xfe\x1b[2J", rev=200))
    t.write(ACPI + "dynamic/SSDT2", acpi_header(b"SSDT", 10, 1))
    t.write(ACPI + "data/BERT", b"\0" * 100)
    t.write(ACPI + "weird\nname\x1b[31m", acpi_header(b"OEM1", 36))


def case_many_tables_and_devices(t):
    for i in range(2000):
        t.write(ACPI + "SSDT%d" % i, acpi_header(b"SSDT", 36, oem=b"OEM%03d" % (i % 1000)))
    for i in range(3000):
        d = "sys/bus/pci/devices/0000:%02x:%02x.%d/" % (i // 256, (i // 8) % 32, i % 8)
        t.write(d + "modalias", "pci:v00001AF4d%08Xsv00001AF4sd00000001bc02sc00i00\n" % (0x1000 + i % 64))
    for i in range(1500):
        t.write("sys/bus/acpi/devices/HID%05d:00/hid" % i, "HID%05d\n" % i)


def case_pci_hostile_ids(t):
    devs = {
        "0000:00:01.0": {"modalias": b"pci:v00001AF4d0000104", "vendor": b"0x1af4x", "class": b"0xffffffffff"},
        "0000:00:02.0": {"modalias": b"pci:vZZZZZZZZdZZZZZZZZsvsdbcscsci", "vendor": b"", "device": b"-1"},
        "0000:00:03.0": {"modalias": b"pci:" + b"v" * 5000, "vendor": b"0x" + b"f" * 4000},
        "0000:00:04.0": {"modalias": b"pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00\x00trailing\x1b"},
        "..": {"modalias": b"pci:v00001414d00005353sv00001414sd00005353bc03sc00i00"},
        "\x1b[31mred": {"modalias": b"pci:v000015ADd00000405sv000015ADsd00000405bc03sc00i00"},
    }
    for name, files in devs.items():
        if name == "..":
            continue
        for f, v in files.items():
            t.write("sys/bus/pci/devices/%s/%s" % (name, f), v)


def case_devicetree_hostile(t):
    t.write("proc/device-tree/compatible", b"\0\0\0" + b"linux,dummy-virt" * 5000)
    t.write("proc/device-tree/model", b"\x1b]0;pwn\x07model\xff")
    t.mkdir("proc/device-tree/hypervisor/compatible")
    t.write("proc/device-tree/name", b"")


def case_vmbus_hostile(t):
    for i in range(600):
        t.write("sys/bus/vmbus/devices/dev%d/class_id" % i,
                b"{f8615163-df3e-46c5-913f-f2d2f965ed0e}" if i % 2 else b"\x1b[2J{" + b"x" * 5000)
    t.link("sys/bus/vmbus/devices/loop", ".")
    t.write("sys/bus/acpi/devices/VMBUS:00/hid", b"VMBUS\n")


def case_proc_hostile(t):
    t.write("proc/cpuinfo", b"processor\t: 0\nvendor_id\t: \x1b[2J" + b"A" * 100000 + b"\nflags\t\t: " +
            b"hypervisor " * 20000 + b"\n")
    t.write("proc/sysinfo", b"VM00 Control Program: \x1b]0;x\x07z/VM\xff" + b" " * 70000 + b"\n")
    t.write("proc/sys/kernel/osrelease", b"6.1-microsoft-standard-WSL2\x1b[2J\n\n\n")
    t.write("proc/sys/kernel/arch", b"x86_64\x00\xff")
    t.write("proc/xen/capabilities", b"control_d" * 1000)
    t.write("sys/hypervisor/type", b"xen\x1b[2J")


def case_cpuid_dump_malformed(t):
    t.write("cpuid.txt", kvm_cpuid() + "   0x40000001 0x00: eax=0xZZZ ebx=\x1b[2J\n")


def case_cpuid_dump_hostile_valid(t):
    lines = ["CPU 0:"]
    for i in range(9000):
        lines.append("   0x%08x 0x00: eax=0x%08x ebx=0x00000000 ecx=0x00000000 edx=0x00000000" % (0x40000000 + i, i))
    t.write("cpuid.txt", "\n".join(lines) + "\n")


def case_module_tree_corrupt(t):
    kver = "6.1.0-hostile"
    base = "lib/modules/%s/" % kver
    rng = random.Random(3)
    for f in ("modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin",
              "modules.builtin.alias.bin", "modules.softdep", "modules.devname"):
        t.write(base + f, b"\xb0\x07\xf4\x57" + bytes(rng.randrange(256) for _ in range(4096)))
    t.write(base + "modules.dep", b"kernel/virtio.ko: kernel/missing.ko kernel/virtio.ko\n\xff\xfe:\n::::\n")
    t.write(base + "modules.alias", b"alias pci:v00001AF4d* virtio_pci\nalias \x1b[2J\nalias\n")
    t.write(base + "modules.builtin", b"\xff" * 1000)
    t.link(base + "modules.order", base + "modules.order")
    t.mkdir(base + "modules.symbols")
    t.write("sys/bus/pci/devices/0000:00:01.0/modalias", b"pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n")
    t.write("cpuid.txt", kvm_cpuid())
    t.extra_args = ["--kernel", kver]
    t.select = True


def case_module_tree_empty_files(t):
    kver = "6.1.0-empty"
    for f in ("modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.builtin"):
        t.write("lib/modules/%s/%s" % (kver, f), b"")
    t.fifo("lib/modules/%s/modules.softdep" % kver)
    t.write("cpuid.txt", kvm_cpuid())
    t.extra_args = ["--kernel", kver]
    t.select = True


def case_module_tree_links_out(t):
    # The tree and modprobe.d are absolute links to the host's (here: outside/): never read.
    kver = "6.1.0-linked"
    tree = t.outside / "lib/modules" / kver
    tree.mkdir(parents=True)
    for f in ("modules.dep", "modules.dep.bin", "modules.alias.bin", "modules.symbols.bin",
              "modules.builtin.bin", "modules.builtin.alias.bin"):
        (tree / f).write_bytes(b"")
    (t.outside / "modprobe.d").mkdir()
    (t.outside / "modprobe.d" / "host.conf").write_bytes(b"blacklist virtio_net\n")
    t.link("lib/modules/" + kver, str(tree))
    t.link("etc/modprobe.d", str(t.outside / "modprobe.d"))
    t.write("cpuid.txt", kvm_cpuid())
    t.extra_args = ["--kernel", kver]
    t.select = True


def case_module_tree_hostile_version(t):
    # The only kernel below lib/modules is named to break out of a generated file's comment.
    kver = "6.1\ntouch PWNED\n#\x1b[31m"
    for f in ("modules.dep", "modules.dep.bin", "modules.alias.bin"):
        t.write("lib/modules/%s/%s" % (kver, f), b"")
    t.write("cpuid.txt", kvm_cpuid())
    t.select = True


MALFORMED_DB = b"""# every kind of malformed line
module virtio_net boot
match
match hypervisor
match hypervisor=
match =kvm
match nosuchkey=kvm
match hypervisor=kvm hypervisor=xen
match hypervisor=kvm device=pci:v[
match hypervisor=k\x01vm
module
module virtio_net nosuchtier
module virtio_net boot boot initramfs initramfs
module bad/name boot
module virtio_net|virtio_blk boot
package
package nosuchdistro pkg
package * 
package debian,,rhel pkg
package * p\xffkg
unknowndirective foo
match hypervisor=kvm platform=!aws,!gce \\
""" + b"match hypervisor=" + b"x" * 10000 + b"\n" + b"w " * 100 + b"\n" + b"match hypervisor=kvm\x00\n\r\n\t\t\n"


def case_database_malformed(t):
    db = t.base / "db"
    db.mkdir()
    (db / "00-bad.conf").write_bytes(MALFORMED_DB)
    (db / "10-ok.conf").write_bytes(b"match hypervisor=kvm\nmodule virtio_pci boot initramfs\n")
    os.symlink("20-link.conf", db / "20-link.conf")
    os.mkfifo(db / "30-fifo.conf")
    (db / "40-dir.conf").mkdir()
    t.write("cpuid.txt", kvm_cpuid())
    t.db = db


CASES = {name[5:]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


# ---------------------------------------------------------------- running
def run(args, as_nobody=False):
    cmd = [CLI] + args
    if as_nobody:
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] + cmd
    p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, cwd=tempfile.gettempdir())
    return p


def check_common(p, args, allowed=(0, 1)):
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode == 2:
        assert err.endswith("\n") and err.count("\n") == 1, f"{args}: exit 2 needs one line, got {err!r}"
        assert p.stdout == b"", f"{args}: exit 2 with output {p.stdout[:200]!r}"
        return False
    assert p.returncode in allowed, f"{args}: exit {p.returncode}, stderr {err[:500]!r}"
    assert p.returncode >= 0, f"{args}: killed by signal {-p.returncode}"
    return True


def check_output(p, mode, base, as_nobody=False):
    out = p.stdout
    if mode != ["--shell"]:
        # Shell output is for eval, and quotes any byte; every other mode is for people and parsers.
        text = out.decode("utf-8")  # strict: valid UTF-8
        for b in out:
            assert b >= 0x20 or b in (0x0a, 0x09), f"{mode}: control byte {b:#x} in output"
        assert "\u009b" not in text
    if mode == ["--json"]:
        obj = json.loads(text)
        assert isinstance(obj, dict) and "hypervisor" in obj
    elif mode == ["--shell"]:
        marker = base / "PWNED"
        script = out + '\nfor v in $(set | sed -n "s/^\\(HVD_[A-Z_]*\\)=.*/\\1/p"); do eval "printf \'%s=%s\\0\' $v \\"\\$$v\\""; done\n'.encode()
        r = subprocess.run(["sh", "-c", script], capture_output=True, timeout=TIMEOUT, cwd=base)
        assert r.returncode == 0, r.stderr
        assert not marker.exists(), "--shell output ran a command"
        got = dict(kv.split(b"=", 1) for kv in r.stdout.split(b"\0") if kv)
        assert got, "--shell set no HVD_ variable"
        j = json.loads(run(p.args[p.args.index(CLI) + 1:-1] + ["--json"], as_nobody).stdout)
        assert got.get(b"HVD_HYPERVISOR", b"").decode() == j["hypervisor"]
    elif mode == []:
        assert text.count("\n") == 1, f"default mode: one line, got {text!r}"


@pytest.mark.parametrize("name", list(CASES))
def test_hostile(name):
    with tempfile.TemporaryDirectory(prefix="hvd-hostile-") as base:
        base = Path(base)
        os.chmod(base, 0o755)
        t = Tree(base)
        t.as_nobody = False
        t.select = False
        t.db = None
        CASES[name](t)
        if t.as_nobody:
            os.chmod(t.root, 0o755)
        watch = Watch(t.outside)
        try:
            common = ["--sysroot", str(t.root)] + t.extra_args
            ok_runs = 0
            for mode in MODES:
                args = common + mode
                p = run(args, t.as_nobody)
                if check_common(p, args):
                    check_output(p, mode, base, t.as_nobody)
                    ok_runs += 1
            if t.select or t.db:
                # The shipped database unless the case brings its own: the module tree is what is under test.
                sel = common + ["--modules", "--db-dir", str(t.db or SRC / "data" / "drivers.d")]
                p = run(sel, t.as_nobody)
                check_common(p, sel, allowed=(0, 1, 3))
                if t.db:
                    # A malformed database is a fatal error for selection: one line, exit 2.
                    assert p.returncode == 2
                    p = run(["--check-db", "--db-dir", str(t.db)])
                    assert p.returncode == 2
                    lines = p.stdout.decode("utf-8", "replace").splitlines() + p.stderr.decode("utf-8", "replace").splitlines()
                    located = [l for l in lines if l.startswith(str(t.db)) or "00-bad.conf:" in l]
                    assert len(located) >= 20, f"--check-db reported {len(located)} errors:\n" + "\n".join(lines)
            events = watch.events()
            assert not events, f"read outside the sysroot: {events}"
        finally:
            watch.close()
            if t.as_nobody:
                for d, dirs, files in os.walk(t.root):
                    for x in dirs + files:
                        try:
                            os.chmod(os.path.join(d, x), 0o755, follow_symlinks=False)
                        except (OSError, NotImplementedError):
                            pass



def test_case_count():
    assert len(CASES) >= 20
