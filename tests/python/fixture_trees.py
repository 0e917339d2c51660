# SPDX-License-Identifier: LGPL-2.1-or-later
"""Small sysroot trees and target roots for the Python tests, built in a temporary directory."""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import uuid
from pathlib import Path
from typing import Optional, Tuple

SRCDIR = Path(os.environ.get("HVD_SRCDIR", Path(__file__).resolve().parents[2]))
BUILDDIR = Path(os.environ["HVD_BUILDDIR"]) if "HVD_BUILDDIR" in os.environ else None

# VMBus device classes of a Hyper-V generation 2 guest (docs/facts.md) and the module each needs.
HYPERV_GEN2_VMBUS = {
    "f8615163-df3e-46c5-913f-f2d2f965ed0e": "hv_netvsc",
    "ba6163d9-04a1-4d29-b605-72e2ffb1dc7f": "hv_storvsc",
    "f912ad6d-2b17-48ea-bd65-f927a61c7684": "hyperv_keyboard",
    "57164f39-9115-4e78-ab55-382f3bd5422d": "hv_utils",
    "0e0b6031-5213-4934-818b-38d90ced39db": "hv_utils",
}

# `cpuid -1 -r` lines: Hyper-V's range at 0x40000000 (hypervisor bit set in leaf 1).
HYPERV_CPUID = """CPU:
   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
   0x00000001 0x00: eax=0x000906ea ebx=0x00000800 ecx=0xfeda3203 edx=0x1f8bfbff
   0x40000000 0x00: eax=0x4000000c ebx=0x7263694d ecx=0x666f736f edx=0x76482074
   0x40000001 0x00: eax=0x31237648 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
   0x40000003 0x00: eax=0x00002e7f ebx=0x003b8030 ecx=0x00000002 edx=0x0cb1c5f6
   0x40000004 0x00: eax=0x00060e24 ebx=0x00000fff ecx=0x0000002e edx=0x00000000
   0x40000005 0x00: eax=0x00000800 ebx=0x00000040 ecx=0x00000000 edx=0x00000000
"""


def write(root: Path, rel: str, data) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    p.write_bytes(data)


def acpi_header(sig: bytes, oem_id: bytes, table_id: bytes, creator: bytes, length: int = 36) -> bytes:
    body = struct.pack("<4sIBB6s8sI4sI", sig, length, 6, 0, oem_id, table_id, 1, creator, 1)
    return body + b"\0" * (length - len(body))


def vmbus_modalias(guid: str) -> str:
    return "vmbus:" + uuid.UUID(guid).bytes_le.hex()


def make_hyperv_gen2(root: Path) -> Path:
    """A Hyper-V generation 2 guest: Microsoft DMI and ACPI, UEFI, VMBus devices, CPUID dump."""
    dmi = {
        "sys_vendor": "Microsoft Corporation", "product_name": "Virtual Machine",
        "board_vendor": "Microsoft Corporation", "bios_vendor": "Microsoft Corporation",
        "bios_version": "Hyper-V UEFI Release v4.1", "product_version": "Hyper-V UEFI Release v4.1",
        "chassis_asset_tag": "1234-5678-9012-3456-7890-1234-56",
    }
    for k, v in dmi.items():
        write(root, f"sys/class/dmi/id/{k}", v + "\n")
    for sig in (b"FACP", b"DSDT", b"APIC"):
        write(root, f"sys/firmware/acpi/tables/{sig.decode()}",
              acpi_header(sig, b"VRTUAL", b"MICROSFT" if sig != b"DSDT" else b"MSFTVM\0\0", b"MSFT"))
    (root / "sys/firmware/efi/efivars").mkdir(parents=True, exist_ok=True)
    for i, (guid, _) in enumerate(HYPERV_GEN2_VMBUS.items()):
        dev = f"sys/bus/vmbus/devices/{guid}-{i:04d}"
        write(root, f"{dev}/class_id", "{" + guid + "}\n")
        write(root, f"{dev}/device_id", "{" + str(uuid.UUID(int=i + 1)) + "}\n")
        write(root, f"{dev}/modalias", vmbus_modalias(guid) + "\n")
    write(root, "proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu hypervisor\n")
    write(root, "proc/sys/kernel/arch", "x86_64\n")
    write(root, "cpuid.txt", HYPERV_CPUID)
    return root


def kernel_tree() -> Optional[Tuple[Path, str]]:
    """The cached, depmod'ed Debian kernel (tests/kernel/fetch-kernel), or None when unavailable."""
    try:
        out = subprocess.run([str(SRCDIR / "tests/kernel/fetch-kernel")], capture_output=True,
                             text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    root, ver = out.stdout.split()[:2]
    return Path(root), ver


def make_target(root: Path, kernel: Tuple[Path, str], os_release: str) -> Path:
    """A target root holding the real kernel's module tree (hard links, no copy) and an os-release.
    Not a symlink: the library resolves a target's links inside the target, as a sysroot's."""
    kroot, ver = kernel
    src = kroot / "lib/modules" / ver
    dst = root / "lib/modules" / ver
    dst.parent.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["cp", "-al", str(src), str(dst)], capture_output=True).returncode != 0:
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst, symlinks=True)
    write(root, "etc/os-release", os_release)
    return root


DEBIAN_OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'
FEDORA_OS_RELEASE = 'NAME="Fedora Linux"\nVERSION_ID=39\nID=fedora\n'
ROCKY_OS_RELEASE = 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n'


def have(*tools: str) -> bool:
    path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return all(shutil.which(t, path=path) for t in tools)


def run_tool(*args: str, cwd: Path) -> None:
    env = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    subprocess.run(list(args), cwd=cwd, env=env, check=True, capture_output=True)
