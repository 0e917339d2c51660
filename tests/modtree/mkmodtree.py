#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build the small kernel module trees the selection tests run against, offline.

    mkmodtree.py OUTDIR

OUTDIR/lib/modules/<version>/ for the two kernels below: stub .ko files that are
real ELF relocatable objects (what depmod reads of a module: a .modinfo section
with alias= and softdep= entries, __ksymtab_strings for the symbols it exports,
undefined symbols in .symtab for the ones it needs), a modules.builtin, and the
indexes `depmod -b OUTDIR VERSION` writes from them. libkmod then resolves
aliases, dependencies, softdeps and built-ins exactly as on a real kernel tree,
so the selection is tested end to end without fetching one.

The trees are rebuilt from scratch every run; a missing depmod (Debian package
kmod) is an error, not a skip: these tests are what covers selection offline.
"""
import os
import shutil
import struct
import subprocess
import sys

# The kernels. Both have every module below except where noted; in the second,
# virtio and virtio_ring are built in and VMware's storage driver is missing
# (so selecting for vmware against it lacks a boot-tier module).
KERNEL_A = "6.1.0-1-hvdtest"
KERNEL_B = "6.12.0-2-hvdtest"

# path below kernel/ -> (modinfo entries, exported symbols, needed symbols)
MODULES = {
    "drivers/virtio/virtio.ko": ([], ["register_virtio_driver"], []),
    "drivers/virtio/virtio_ring.ko": ([], ["virtqueue_add_sgs"], []),
    "drivers/virtio/virtio_pci.ko": (["alias=pci:v00001AF4d*sv*sd*bc*sc*i*"], [],
                                     ["register_virtio_driver", "virtqueue_add_sgs"]),
    "drivers/block/virtio_blk.ko": (["alias=virtio:d00000002v*"], [],
                                    ["register_virtio_driver", "virtqueue_add_sgs"]),
    "drivers/scsi/virtio_scsi.ko": (["alias=virtio:d00000008v*"], [], ["register_virtio_driver"]),
    "net/core/failover.ko": ([], ["failover_register"], []),
    "drivers/net/net_failover.ko": ([], ["net_failover_create"], ["failover_register"]),
    "drivers/net/virtio_net.ko": (["alias=virtio:d00000001v*"], [],
                                  ["register_virtio_driver", "virtqueue_add_sgs", "net_failover_create"]),
    "drivers/virtio/virtio_balloon.ko": (["alias=virtio:d00000005v*"], [], ["register_virtio_driver"]),
    "drivers/virtio/virtio_dma_buf.ko": ([], ["virtio_dma_buf_export"], []),
    # A file name with dashes: the module is virtio_gpu. Its softdep comes from its modinfo.
    "drivers/gpu/drm/virtio/virtio-gpu.ko": (["alias=virtio:d00000010v*", "softdep=pre: virtio_dma_buf"], [],
                                             ["register_virtio_driver"]),
    "drivers/char/virtio_console.ko": (["alias=virtio:d00000003v*"], [], ["register_virtio_driver"]),
    "drivers/ptp/ptp_kvm.ko": ([], [], []),
    "drivers/hv/hv_vmbus.ko": (["alias=acpi:VMBUS:*"], ["vmbus_driver_register"], []),
    "drivers/scsi/hv_storvsc.ko": (["alias=vmbus:d96361baa104294db60572e2ffb1dc7f"], [],
                                   ["vmbus_driver_register"]),
    "drivers/net/hyperv/hv_netvsc.ko": (["alias=vmbus:635161f83edfc546913ff2d2f965ed0e"], [],
                                        ["vmbus_driver_register"]),
    "drivers/gpu/drm/hyperv/hyperv_drm.ko": (["alias=vmbus:02780ada77e3ac4a8e770558eb1073f8"], [],
                                             ["vmbus_driver_register"]),
    "drivers/scsi/vmw_pvscsi.ko": (["alias=pci:v000015ADd000007C0sv*sd*bc*sc*i*"], [], []),
    "drivers/net/vmxnet3/vmxnet3.ko": (["alias=pci:v000015ADd000007B0sv*sd*bc*sc*i*"], [], []),
    "drivers/misc/vmw_balloon.ko": (["alias=dmi:*:svnVMware*:*"], [], []),
}
# Built into both kernels: no file, a line of modules.builtin (and their aliases in
# modules.builtin.modinfo, as the kernel's build writes them).
BUILTIN = ["drivers/block/xen-blkfront.ko", "drivers/net/xen-netfront.ko"]
BUILTIN_ALIASES = {"xen_blkfront": ["xen:vbd"], "xen_netfront": ["xen:vif"]}
# What differs in the second kernel.
BUILTIN_B = ["drivers/virtio/virtio.ko", "drivers/virtio/virtio_ring.ko"]
MISSING_B = ["drivers/scsi/vmw_pvscsi.ko"]

EM = {"x86_64": 62, "aarch64": 183, "ppc64le": 21, "s390x": 22, "riscv64": 243}


def elf_object(modinfo, exports, imports):
    """A little-endian ELF64 relocatable object with .modinfo, __ksymtab_strings, .symtab,
    .strtab and .shstrtab: all that depmod and libkmod read of a module file."""
    sections = []  # (name, sh_type, data, sh_link, sh_info, sh_entsize)
    sections.append((".modinfo", 1, b"".join(e.encode() + b"\0" for e in modinfo + ["license=GPL"]), 0, 0, 0))
    if exports:
        sections.append(("__ksymtab_strings", 1, b"".join(s.encode() + b"\0" for s in exports), 0, 0, 0))
    strtab = b"\0"
    syms = [struct.pack("<IBBHQQ", 0, 0, 0, 0, 0, 0)]
    for name in imports:
        # Undefined (st_shndx 0), global (bind 1), no type: a symbol another module must provide.
        syms.append(struct.pack("<IBBHQQ", len(strtab), (1 << 4) | 0, 0, 0, 0, 0))
        strtab += name.encode() + b"\0"
    symtab_index = len(sections) + 1
    sections.append((".symtab", 2, b"".join(syms), symtab_index + 1, 1, 24))  # sh_info: first global
    sections.append((".strtab", 3, strtab, 0, 0, 0))
    shstrtab = b"\0"
    names = []
    for s in sections + [(".shstrtab",)]:
        names.append(len(shstrtab))
        shstrtab += s[0].encode() + b"\0"
    sections.append((".shstrtab", 3, shstrtab, 0, 0, 0))

    body = b""
    offsets = []
    for s in sections:
        while (64 + len(body)) % 8:
            body += b"\0"
        offsets.append(64 + len(body))
        body += s[2]
    while (64 + len(body)) % 8:
        body += b"\0"
    shoff = 64 + len(body)
    shdrs = [b"\0" * 64]
    for i, s in enumerate(sections):
        name, sh_type, data, link, info, entsize = s
        flags = 2 if name in (".modinfo", "__ksymtab_strings") else 0  # SHF_ALLOC
        shdrs.append(struct.pack("<IIQQQQIIQQ", names[i], sh_type, flags, 0, offsets[i], len(data),
                                 link, info, 8 if sh_type == 2 else 1, entsize))
    machine = EM.get(os.uname().machine, 0)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8   # ELF64, little-endian, version 1
    header = ident + struct.pack("<HHIQQQIHHHHHH", 1, machine, 1, 0, 0, shoff, 0, 64, 0, 0, 64,
                                 len(shdrs), len(shdrs) - 1)
    return header + body + b"".join(shdrs)


def find_depmod():
    for d in os.environ.get("PATH", "").split(":") + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]:
        p = os.path.join(d, "depmod")
        if d and os.access(p, os.X_OK):
            return p
    return None


def build_kernel(out, version, builtin, missing):
    moddir = os.path.join(out, "lib", "modules", version)
    for rel, (modinfo, exports, imports) in MODULES.items():
        if rel in builtin or rel in missing:
            continue
        path = os.path.join(moddir, "kernel", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(elf_object(modinfo, exports, imports))
    with open(os.path.join(moddir, "modules.builtin"), "w") as f:
        f.write("".join("kernel/%s\n" % b for b in builtin))
    with open(os.path.join(moddir, "modules.builtin.modinfo"), "wb") as f:
        for b in builtin:
            name = os.path.basename(b)[:-3].replace("-", "_")
            for alias in BUILTIN_ALIASES.get(name, []):
                f.write(("%s.alias=%s\0" % (name, alias)).encode())
            f.write(("%s.license=GPL\0" % name).encode())
    with open(os.path.join(moddir, "modules.order"), "w") as f:
        f.write("".join("kernel/%s\n" % m for m in MODULES if m not in builtin and m not in missing))
    return moddir


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    depmod = find_depmod()
    if not depmod:
        print("mkmodtree: depmod not found (Debian package kmod): cannot build the test module trees",
              file=sys.stderr)
        return 1
    shutil.rmtree(out, ignore_errors=True)
    for version, builtin, missing in ((KERNEL_A, BUILTIN, []), (KERNEL_B, BUILTIN + BUILTIN_B, MISSING_B)):
        moddir = build_kernel(out, version, builtin, missing)
        p = subprocess.run([depmod, "-b", out, version], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0 or p.stderr.strip():
            print("mkmodtree: depmod -b %s %s: exit %d\n%s" % (out, version, p.returncode, p.stderr), file=sys.stderr)
            return 1
        # What depmod made of the stubs, checked here so that a depmod that reads them
        # differently fails loudly instead of making the selection tests mean nothing.
        dep = open(os.path.join(moddir, "modules.dep")).read()
        if "kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko" \
                not in dep or "softdep virtio_gpu pre: virtio_dma_buf" not in \
                open(os.path.join(moddir, "modules.softdep")).read():
            print("mkmodtree: depmod did not read the stub modules' dependencies:\n" + dep, file=sys.stderr)
            return 1
    with open(os.path.join(out, "stamp"), "w") as f:
        f.write("%s %s\n" % (KERNEL_A, KERNEL_B))
    return 0


if __name__ == "__main__":
    sys.exit(main())
