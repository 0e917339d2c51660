# SPDX-License-Identifier: LGPL-2.1-or-later
"""Building blocks for the hold-out captures: sysfs DMI files, raw SMBIOS,
ACPI tables with valid checksums, PCI/VMBus/ACPI device entries, cpuinfo and
`cpuid -r` dumps. Written from what real machines show, independently of the
library's verdict code (see NOTES.md)."""
import json
import os
import struct
import uuid as uuidlib

# ---------------------------------------------------------------- files

def w(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- DMI

DMI_FILES = ["bios_date", "bios_release", "bios_vendor", "bios_version", "board_asset_tag",
             "board_name", "board_serial", "board_vendor", "board_version", "chassis_asset_tag",
             "chassis_serial", "chassis_type", "chassis_vendor", "chassis_version",
             "product_family", "product_name", "product_serial", "product_sku", "product_uuid",
             "product_version", "sys_vendor", "ec_firmware_release"]


def _alias(v):
    # drivers/firmware/dmi-id.c ascii_filter(): keeps printable non-blank bytes, drops ':'
    return "".join(c for c in (v or "") if " " < c < "\x7f" and c != ":")


def dmi_modalias(d):
    s = "dmi:bvn%s:bvr%s:bd%s:" % (_alias(d.get("bios_vendor")), _alias(d.get("bios_version")),
                                   _alias(d.get("bios_date")))
    if d.get("bios_release"):
        s += "br%s:" % _alias(d["bios_release"])
    if d.get("ec_firmware_release"):
        s += "efr%s:" % _alias(d["ec_firmware_release"])
    s += "svn%s:pn%s:pvr%s:rvn%s:rn%s:rvr%s:cvn%s:ct%s:cvr%s:sku%s:" % tuple(
        _alias(d.get(k)) for k in ("sys_vendor", "product_name", "product_version", "board_vendor",
                                   "board_name", "board_version", "chassis_vendor", "chassis_type",
                                   "chassis_version", "product_sku"))
    return s


def write_dmi(root, d):
    """D maps id file -> string; a key absent (or None) means the kernel did not
    create the file (the SMBIOS string was missing). Values are written as the
    kernel shows them: the string and a newline, trailing blanks kept."""
    for k in DMI_FILES:
        v = d.get(k)
        if v is None:
            continue
        w(root, "sys/class/dmi/id/" + k, v + "\n")
    w(root, "sys/class/dmi/id/modalias", dmi_modalias(d) + "\n")
    w(root, "sys/class/dmi/id/uevent", "MODALIAS=" + dmi_modalias(d) + "\n")


# ---------------------------------------------------------------- SMBIOS raw

class _Strings:
    def __init__(self):
        self.s = []

    def idx(self, v):
        if v is None or v == "":
            return 0
        self.s.append(v.encode("latin-1"))
        return len(self.s)

    def blob(self):
        if not self.s:
            return b"\0\0"
        return b"".join(x + b"\0" for x in self.s) + b"\0"


def _struct(typ, handle, body_fn):
    st = _Strings()
    body = body_fn(st)
    return struct.pack("<BBH", typ, 4 + len(body), handle) + body + st.blob()


def smbios_tables(d, version=(2, 7), vm=None, uefi=None, oem_strings=None, uuid=None,
                  chars=0x000000000B8B9880, bios_rom_kb=64):
    """Type 0, 1, 2 (when the board is known), 3, 11 (when given), 127."""
    out = []
    ext1 = 0x01 | 0x02  # ACPI, USB legacy
    ext2 = 0x04         # targeted content distribution
    if uefi:
        ext2 |= 0x08
    if vm:
        ext2 |= 0x10
    rel = (d.get("bios_release") or "0.0").split(".")

    def t0(st):
        return struct.pack("<BBHBBQBBBBBB", st.idx(d.get("bios_vendor")), st.idx(d.get("bios_version")),
                           0xE800, st.idx(d.get("bios_date")), max(0, bios_rom_kb // 64 - 1), chars,
                           ext1, ext2, int(rel[0]), int(rel[1]), 0xFF, 0xFF)
    out.append(_struct(0, 0x0000, t0))
    u = uuidlib.UUID(uuid) if uuid else uuidlib.UUID(int=0)
    ub = u.bytes_le  # SMBIOS >= 2.6: first three fields little-endian

    def t1(st):
        return struct.pack("<BBBB", st.idx(d.get("sys_vendor")), st.idx(d.get("product_name")),
                           st.idx(d.get("product_version")), st.idx(d.get("product_serial"))) + ub + \
            struct.pack("<BBB", 6, st.idx(d.get("product_sku")), st.idx(d.get("product_family")))
    out.append(_struct(1, 0x0001, t1))
    if d.get("board_vendor") is not None or d.get("board_name") is not None:
        def t2(st):
            return struct.pack("<BBBBBBBHBB", st.idx(d.get("board_vendor")), st.idx(d.get("board_name")),
                               st.idx(d.get("board_version")), st.idx(d.get("board_serial")),
                               st.idx(d.get("board_asset_tag")), 0x01, st.idx(""), 0x0003, 0x0A, 0)
        out.append(_struct(2, 0x0002, t2))

    def t3(st):
        return struct.pack("<BBBBBBBBIBBBBB", st.idx(d.get("chassis_vendor")), int(d.get("chassis_type") or 2),
                           st.idx(d.get("chassis_version")), st.idx(d.get("chassis_serial")),
                           st.idx(d.get("chassis_asset_tag")), 3, 3, 3, 2, 0, 0, 0, 0, 0) + \
            struct.pack("<B", st.idx(d.get("product_sku") if version >= (2, 7) else None))
    out.append(_struct(3, 0x0003, t3))
    if oem_strings:
        def t11(st):
            for s in oem_strings:
                st.idx(s)
            return struct.pack("<B", len(oem_strings))
        out.append(_struct(11, 0x000B, t11))
    out.append(struct.pack("<BBH", 127, 4, 0x7F00) + b"\0\0")
    return b"".join(out), len(out)


def _cks(b):
    return (-sum(b)) & 0xFF


def write_smbios(root, d, version=(2, 7), **kw):
    table, count = smbios_tables(d, version=version, **kw)
    maxsize = max(len(s) for s in [table])
    if version >= (3, 0):
        ep = bytearray(struct.pack("<5sBBBBBBBIQ", b"_SM3_", 0, 0x18, version[0], version[1], 0, 1, 0,
                                   len(table), 0xBFF7B000))
        ep[5] = _cks(ep)
    else:
        ep = bytearray(struct.pack("<4sBBBBHB5s5sBHIHB", b"_SM_", 0, 0x1F, version[0], version[1], maxsize, 0,
                                   b"\0" * 5, b"_DMI_", 0, len(table), 0x000F0000 + 0x100, count,
                                   version[0] << 4 | version[1]))
        ep[0x15] = _cks(ep[0x10:0x1F])
        ep[4] = _cks(ep)
    w(root, "sys/firmware/dmi/tables/smbios_entry_point", bytes(ep))
    w(root, "sys/firmware/dmi/tables/DMI", table)


# ---------------------------------------------------------------- ACPI

def acpi_table(sig, rev, oem, tid, oemrev, creator, crev, length, body=b"", fadt_hv=None):
    length = max(length, 36)
    if sig == "FACS":
        b = bytearray(length)
        b[0:4] = b"FACS"
        struct.pack_into("<I", b, 4, length)
        struct.pack_into("<I", b, 8, oemrev & 0xFFFFFFFF)  # hardware signature
        b[32] = rev
        return bytes(b)
    b = bytearray(length)
    hdr = struct.pack("<4sIBB6s8sI4sI", sig.encode(), length, rev, 0, oem.encode().ljust(6, b" ")[:6],
                      tid.encode().ljust(8, b" ")[:8], oemrev, creator.encode().ljust(4, b" ")[:4], crev)
    b[0:36] = hdr
    b[36:36 + len(body)] = body[:length - 36]
    if fadt_hv is not None and length >= 276:
        b[268:276] = fadt_hv.encode().ljust(8, b"\0")[:8]
    b[9] = _cks(b)
    return bytes(b)


def write_acpi(root, tables):
    """TABLES: list of (file name, signature, rev, oem, table id, oem rev, creator, creator rev, length[, hv])."""
    for t in tables:
        name, sig = t[0], t[1]
        hv = t[9] if len(t) > 9 else None
        w(root, "sys/firmware/acpi/tables/" + name, acpi_table(sig, *t[2:9], fadt_hv=hv))


def write_acpi_devices(root, hids):
    for h in hids:
        hid = h.rsplit(":", 1)[0]
        w(root, "sys/bus/acpi/devices/%s/hid" % h, hid + "\n")
        w(root, "sys/bus/acpi/devices/%s/modalias" % h, "acpi:%s:\n" % hid)


# ---------------------------------------------------------------- PCI, VMBus

def write_pci(root, devs):
    """DEVS: (slot, vendor, device, subvendor, subdevice, class)."""
    for slot, v, d, sv, sd, cls in devs:
        p = "sys/bus/pci/devices/%s/" % slot
        w(root, p + "vendor", "0x%04x\n" % v)
        w(root, p + "device", "0x%04x\n" % d)
        w(root, p + "subsystem_vendor", "0x%04x\n" % sv)
        w(root, p + "subsystem_device", "0x%04x\n" % sd)
        w(root, p + "class", "0x%06x\n" % cls)
        w(root, p + "modalias", "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n" %
          (v, d, sv, sd, cls >> 16, (cls >> 8) & 0xFF, cls & 0xFF))


def vmbus_alias(guid):
    b = uuidlib.UUID(guid).bytes_le
    return "vmbus:" + b.hex()


def write_vmbus(root, devs):
    """DEVS: (instance guid, class guid)."""
    os.makedirs(os.path.join(root, "sys/bus/vmbus/drivers"), exist_ok=True)
    w(root, "sys/bus/vmbus/drivers_autoprobe", "1\n")
    for inst, cls in devs:
        p = "sys/bus/vmbus/devices/%s/" % inst
        w(root, p + "class_id", "{%s}\n" % cls)
        w(root, p + "device_id", "{%s}\n" % inst)
        w(root, p + "modalias", vmbus_alias(cls) + "\n")


VMBUS = {
    "net": "f8615163-df3e-46c5-913f-f2d2f965ed0e", "scsi": "ba6163d9-04a1-4d29-b605-72e2ffb1dc7f",
    "ide": "32412632-86cb-44a2-9b5c-50d1417354f5", "shutdown": "0e0b6031-5213-4934-818b-38d90ced39db",
    "timesync": "9527e630-d0ae-497b-adce-e80ab0175caf", "heartbeat": "57164f39-9115-4e78-ab55-382f3bd5422d",
    "kvp": "a9a0f4e7-5a45-4d96-b827-8a841e8c03e6", "vss": "35fa2e29-ea23-4236-96ae-3a6ebacba440",
    "balloon": "525074dc-8985-46e2-8057-a307dc18a502", "kbd": "f912ad6d-2b17-48ea-bd65-f927a61c7684",
    "mouse": "cfa8b69e-5b4a-4cc0-b98b-8ba1a1f3f95a", "video": "da0a7802-e377-4aac-8e77-0558eb1073f8",
    "pcipt": "44c4f61d-4444-4400-9d52-802e27ede19f", "fcopy": "34d14be3-dee4-41c8-9ae7-6b174977c192",
    "rdv": "276aacf4-ac15-426c-98dd-7521ad3f01fe",       # remote desktop virtualization (gen1/gen2)
    "hvsock_9p": "a76b6e66-8fda-4a35-a6f1-ba0e3e2e4d56",  # WSL plan9 over hv_sock (approx.)
    "dxg": "f1d8ab7e-7d3d-4e8d-9ccc-66bcd4ecc4e8",         # WSL GPU-PV (approx.)
}


def vmbus_set(names, seed):
    out = []
    for i, n in enumerate(names):
        inst = str(uuidlib.UUID(int=(seed * 7919 + i * 104729 + 0x1234567) * 0x9E3779B97F4A7C15 % (1 << 128)))
        out.append((inst, VMBUS[n]))
    return out


# ---------------------------------------------------------------- kernel files

def write_common(root, osrelease, cpuinfo, efi=False, extra=None):
    w(root, "proc/sys/kernel/osrelease", osrelease + "\n")
    if cpuinfo:
        w(root, "proc/cpuinfo", cpuinfo)
    if efi:
        w(root, "sys/firmware/efi/fw_platform_size", "64\n")
        w(root, "sys/firmware/efi/runtime", "0x%x\n" % 0x7fe8e018)
        w(root, "sys/firmware/efi/config_table", "ACPI20=0x7fbfa014\nACPI=0x7fbfa000\nSMBIOS=0x7f9ff000\n")
    for k, v in (extra or {}).items():
        w(root, k, v)


X86_COMMON = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
              "mmx fxsr sse sse2")


def x86_flags(vendor, vm, extra_vm="", level="skx"):
    if vendor == "intel":
        f = X86_COMMON + " ss ht syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon"
        if not vm:
            f = X86_COMMON.replace("mmx", "dts acpi mmx") + " ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts"
        f += " rep_good nopl xtopology" + (" nonstop_tsc cpuid tsc_known_freq" if vm else " nonstop_tsc cpuid aperfmperf pni")
        f += " pni pclmulqdq" if vm else " pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2"
        f += " ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand"
        if vm:
            f += " hypervisor"
        f += " lahf_lm abm 3dnowprefetch" + (" cpuid_fault epb" if not vm else "") + " invpcid_single ssbd ibrs ibpb stibp"
        if level in ("skx", "icx", "tgl"):
            f += " ibrs_enhanced"
        f += (" tpr_shadow flexpriority ept vpid ept_ad" if not vm else "")
        f += " fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid"
        if level in ("skx", "icx"):
            f += " avx512f avx512dq"
        f += " rdseed adx smap clflushopt clwb" if level != "hsw" else ""
        if level in ("skx", "icx"):
            f += " avx512cd avx512bw avx512vl"
        f += " xsaveopt xsavec xgetbv1 xsaves" + (" dtherm ida arat pln pts" if not vm else " arat")
        f += " pku ospke" if level in ("skx", "icx", "tgl") else ""
        f += " avx512_vnni" if level in ("skx", "icx") else ""
        f += " md_clear flush_l1d arch_capabilities"
    else:
        f = X86_COMMON + " ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl"
        f += " nonstop_tsc cpuid extd_apicid" + (" tsc_known_freq" if vm else " aperfmperf rapl")
        f += " pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand"
        if vm:
            f += " hypervisor"
        f += " lahf_lm cmp_legacy" + ("" if vm else " svm extapic") + " cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext"
        f += " perfctr_core" + ("" if vm else " perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 cdp_l3 hw_pstate")
        f += " ssbd ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 rdseed adx smap clflushopt clwb sha_ni"
        f += " xsaveopt xsavec xgetbv1 xsaves clzero xsaveerptr wbnoinvd arat umip rdpid"
        f += "" if vm else " npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold avic v_vmsave_vmload vgif overflow_recov succor smca"
    return (f + (" " + extra_vm if extra_vm else "")).strip()


def x86_cpuinfo(vendor, family, model, stepping, name, flags, mhz, ncpu=2, microcode="0xffffffff",
                cache_kb=None, level=13, bugs="spectre_v1 spectre_v2 spec_store_bypass", addr="46 bits physical, 48 bits virtual"):
    blocks = []
    for i in range(ncpu):
        b = ["processor\t: %d" % i,
             "vendor_id\t: %s" % ("GenuineIntel" if vendor == "intel" else "AuthenticAMD"),
             "cpu family\t: %d" % family, "model\t\t: %d" % model, "model name\t: %s" % name,
             "stepping\t: %d" % stepping, "microcode\t: %s" % microcode, "cpu MHz\t\t: %.3f" % mhz,
             "cache size\t: %d KB" % (cache_kb or 32768), "physical id\t: 0", "siblings\t: %d" % ncpu,
             "core id\t\t: %d" % i, "cpu cores\t: %d" % ncpu, "apicid\t\t: %d" % i,
             "initial apicid\t: %d" % i, "fpu\t\t: yes", "fpu_exception\t: yes",
             "cpuid level\t: %d" % level, "wp\t\t: yes", "flags\t\t: %s" % flags,
             "bugs\t\t: %s" % bugs, "bogomips\t: %.2f" % (mhz * 2), "clflush size\t: 64",
             "cache_alignment\t: 64", "address sizes\t: %s" % addr, "power management:", ""]
        blocks.append("\n".join(b))
    return "\n".join(blocks) + "\n"


def arm_cpuinfo(part, variant="0x3", rev=1, n=2, features=None, bogo="50.00", implementer="0x41"):
    features = features or ("fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid "
                            "asimdrdm lrcpc dcpop asimddp ssbs")
    out = []
    for i in range(n):
        out.append("processor\t: %d\nBogoMIPS\t: %s\nFeatures\t: %s\nCPU implementer\t: %s\n"
                   "CPU architecture: 8\nCPU variant\t: %s\nCPU part\t: %s\nCPU revision\t: %d\n" %
                   (i, bogo, features, implementer, variant, part, rev))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- CPUID dumps

def _sig(s):
    b = s.encode("latin-1").ljust(12, b"\0")
    return struct.unpack("<III", b)


def _brand(s):
    b = s.encode().ljust(48, b"\0")
    return [struct.unpack("<IIII", b[i * 16:(i + 1) * 16]) for i in range(3)]


INTEL = _sig("GenuineIntel")
AMD = _sig("AuthenticAMD")


def cpuid_dump(cpu, hv=None, ncpu=2, bare=False):
    """CPU: dict(vendor, fms, brand, max_basic, max_ext, ecx1, edx1, l7b, l7c, l7d, sev=eax of 0x8000001f).
    HV: list of (base, [(leaf_offset, eax, ebx, ecx, edx), ...]) ranges as the hypervisor answers them.
    Printed the way `cpuid -r` prints all CPUs."""
    vendor = cpu["vendor"]
    vsig = INTEL if vendor == "intel" else AMD
    maxb, maxe = cpu["max_basic"], cpu["max_ext"]
    ecx1 = cpu["ecx1"] | (0 if bare else 0x80000000)
    if bare:
        ecx1 &= 0x7FFFFFFF
    lines_all = []
    for c in range(ncpu):
        L = []

        def add(leaf, sub, a, b, cc, d):
            L.append("   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x" %
                     (leaf, sub, a & 0xFFFFFFFF, b & 0xFFFFFFFF, cc & 0xFFFFFFFF, d & 0xFFFFFFFF))
        add(0, 0, maxb, vsig[0], vsig[2], vsig[1])
        add(1, 0, cpu["fms"], (c << 24) | (ncpu << 16) | 0x0800, ecx1, cpu["edx1"])
        last = None
        for leaf in range(2, maxb + 1):
            if leaf == 2:
                r = (0x00feff01, 0x000000f0, 0, 0) if vendor == "intel" else (0, 0, 0, 0)
                add(2, 0, *r)
            elif leaf == 4:
                if vendor == "intel":
                    for sub, r in enumerate([(0x04000121 | (ncpu - 1) << 14, 0x01c0003f, 0x3f, 0),
                                             (0x04000122 | (ncpu - 1) << 14, 0x01c0003f, 0x3f, 0),
                                             (0x04000143 | (ncpu - 1) << 14, 0x03c0003f, 0x3ff, 0),
                                             (0x04000163 | (ncpu - 1) << 14, 0x0280003f, 0x9fff, 4),
                                             (0, 0, 0, 0)]):
                        add(4, sub, *r)
                else:
                    add(4, 0, 0, 0, 0, 0)
            elif leaf == 7:
                add(7, 0, 0, cpu.get("l7b", 0), cpu.get("l7c", 0), cpu.get("l7d", 0))
            elif leaf == 0xb:
                add(0xb, 0, 1, 1, 0x100, c)
                add(0xb, 1, 1 if ncpu > 1 else 0, ncpu, 0x201, c)
                add(0xb, 2, 0, 0, 2, c)
            elif leaf == 0xd:
                add(0xd, 0, 0x2e7 if "avx512" in cpu.get("tags", "") else 7, 0x340, 0xa88 if "avx512" in cpu.get("tags", "") else 0x340, 0)
                add(0xd, 1, 0xf, 0x340, 0x1900 if vendor == "intel" else 0, 0)
                add(0xd, 2, 0x100, 0x240, 0, 0)
            elif leaf == 6:
                add(6, 0, 4 if not bare else 0x77, 0, 1 if not bare else 9, 0)
            elif leaf == 0x16:
                mhz = cpu.get("mhz", 2500)
                add(0x16, 0, mhz, cpu.get("maxmhz", 3900), 100, 0)
            else:
                add(leaf, 0, 0, 0, 0, 0)
            last = L[-1]
        # Intel answers leaves above the basic maximum with the highest basic leaf's data.
        hi_leaf = (maxb, 0)
        hi = [l for l in L if l.startswith("   0x%08x 0x00:" % maxb)]
        hi_regs = hi[0].split(": ", 1)[1] if hi else "eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000"
        zero = "eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000"
        filler = hi_regs if vendor == "intel" else zero
        L.append("   0x20000000 0x00: " + filler)
        if hv and not bare:
            printed_100 = False
            for base, leaves in hv:
                for off, a, b, cc, d in leaves:
                    add(base + off, 0, a, b, cc, d)
                if base == 0x40000100:
                    printed_100 = True
            if not printed_100:
                L.append("   0x40000100 0x00: " + (zero if vendor == "amd" or not bare else filler))
        else:
            L.append("   0x40000000 0x00: " + filler)
            L.append("   0x40000100 0x00: " + filler)
        add(0x80000000, 0, maxe, *((vsig[0], vsig[2], vsig[1]) if vendor == "amd" else (0, 0, 0)))
        add(0x80000001, 0, cpu["fms"] if vendor == "amd" else 0, 0x40000000 if vendor == "amd" else 0,
            0x75c237ff if vendor == "amd" else 0x121, 0x2fd3fbff if vendor == "amd" else 0x2c100800)
        for i, r in enumerate(_brand(cpu["brand"])):
            add(0x80000002 + i, 0, *r)
        for leaf in range(0x80000005, maxe + 1):
            if leaf == 0x80000006:
                add(leaf, 0, 0, 0, 0x01006040 if vendor == "intel" else 0x02006140, 0)
            elif leaf == 0x80000007:
                add(leaf, 0, 0, 0, 0, 0x100 if vendor == "intel" else 0x6799)
            elif leaf == 0x80000008:
                add(leaf, 0, cpu.get("addr", 0x3030), 0x100d000 if vendor == "amd" else 0, (ncpu - 1) if vendor == "amd" else 0, 0)
            elif leaf == 0x8000001d and vendor == "amd":
                for sub, r in enumerate([(0x4121, 0x1c0003f, 0x3f, 0), (0x4122, 0x1c0003f, 0x3f, 0),
                                         (0x4143, 0x1c0003f, 0x3ff, 2), (0x3c163, 0x3c0003f, 0x7fff, 1), (0, 0, 0, 0)]):
                    add(leaf, sub, *r)
            elif leaf == 0x8000001f:
                add(leaf, 0, cpu.get("sev", 0), 0x16f if cpu.get("sev") else 0, 0x1fd if cpu.get("sev") else 0, 0)
            else:
                add(leaf, 0, 0, 0, 0, 0)
        L.append("   0x80860000 0x00: " + filler)
        L.append("   0xc0000000 0x00: " + filler)
        lines_all.append("CPU %d:\n" % c + "\n".join(L))
    return "\n".join(lines_all) + "\n"


def hv_kvm(features=0x01007afb, base=0x40000000, maxleaf=0x40000001):
    s = _sig("KVMKVMKVM")
    return (base, [(0, maxleaf, s[0], s[1], s[2]), (1, features, 0, 0, 0)])


def hv_vmware(tsc_khz=2494140):
    s = _sig("VMwareVMware")
    leaves = [(0, 0x40000010, s[0], s[1], s[2])] + [(i, 0, 0, 0, 0) for i in range(1, 0x10)]
    leaves.append((0x10, tsc_khz, 0x101d0, 0, 0))
    return (0x40000000, leaves)


def hv_hyperv(maxleaf=0x4000000c, build=(17763, 10, 0), features=(0x00002e7f, 0x003b8030, 0x00000002, 0x0e7b7bb2),
              isolation=(0, 0, 0, 0), recommend=(0x00020e2c, 0x00000fff, 0x0000002e, 0), limits=(0x800, 0x00000040, 0x5a3, 0),
              hw=(0x0000007f, 0, 0, 0), base=0x40000000, leaf9=(0, 0, 0, 0), leafa=(0, 0, 0, 0)):
    s = _sig("Microsoft Hv")
    L = [(0, maxleaf, s[0], s[1], s[2]), (1, 0x31237648, 0, 0, 0),
         (2, build[0], build[1] << 16 | build[2], 0x00000ba5 if build[0] > 14393 else 0x2e6, 0x00000000),
         (3,) + tuple(features), (4,) + tuple(recommend), (5,) + tuple(limits), (6,) + tuple(hw)]
    for off in range(7, (maxleaf & 0xff) + 1):
        if off == 9:
            L.append((9,) + tuple(leaf9))
        elif off == 0xa:
            L.append((0xa,) + tuple(leafa))
        elif off == 0xc:
            L.append((0xc,) + tuple(isolation))
        else:
            L.append((off, 0, 0, 0, 0))
    return (base, L)


def hv_xen(version=(4, 13), maxleaf=5, base=0x40000000):
    # EAX of the base leaf is the range's own highest leaf: base + 4 or 5 (Xen 4.2 had 4).
    maxleaf = base + (maxleaf & 0xff)
    s = _sig("XenVMMXenVMM")
    return (base, [(0, maxleaf, s[0], s[1], s[2]), (1, version[0] << 16 | version[1], 0, 0, 0),
                   (2, 1, 0x40000000, 0, 0), (3, 0, 0, 0, 0), (4, 0x1c, 0, 0, 0), (5, 0, 0, 0, 0)][:(maxleaf & 0xff) + 1])


def hv_sig(sig, maxleaf, extra=(), base=0x40000000):
    s = _sig(sig)
    return (base, [(0, maxleaf, s[0], s[1], s[2])] + list(extra))


def write_expected(path, hypervisor, platform=None, generation=None, role=None, platform_accept=None,
                   generation_scored=True, confidential=None):
    e = {"hypervisor": hypervisor, "platform": platform, "generation": generation}
    if platform_accept is not None:
        e["platform_accept"] = platform_accept
    if not generation_scored:
        e["generation_scored"] = False
    if role:
        e["role"] = role
    if confidential:
        e["confidential"] = confidential
    with open(path, "w") as f:
        json.dump(e, f, indent=1)
        f.write("\n")
