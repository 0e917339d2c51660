#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The arm64 bare-metal-like board of tests/e2e/run: what stock QEMU cannot hide by options.

  board.py dts MODEL COMPATIBLE < virt.dts > board.dts
      QEMU virt's device tree (dumped with -M virt,acpi=off,dumpdtb=...; dtc -O dts) as a
      board's: the root names MODEL and COMPATIBLE (comma-separated) instead of
      linux,dummy-virt, and the PCIe host (QEMU's 1b36:0008), the virtio-mmio transports
      and the platform bus are gone. fw-cfg stays: the firmware loads the kernel through it.
  board.py smbios0 VENDOR VERSION DATE > type0.bin
      An SMBIOS type 0 (BIOS information) structure for -smbios file=: QEMU's own sets the
      "this is a virtual machine" characteristic, which no option clears.
"""
import re
import struct
import sys

DROP = re.compile(r"^\t(virtio_mmio|pcie|platform-bus)@[0-9a-f]+ \{$")


def dts(model, compatible):
    out, skipping = [], False
    for line in sys.stdin.read().split("\n"):
        if skipping:
            skipping = not line.startswith("\t};")
            continue
        if DROP.match(line):
            skipping = True
            continue
        if re.match(r"^\tmodel = ", line):
            line = '\tmodel = "%s";' % model
        elif re.match(r'^\tcompatible = "linux,dummy-virt";$', line):
            line = "\tcompatible = %s;" % ", ".join('"%s"' % c for c in compatible.split(","))
        out.append(line)
    text = "\n".join(out)
    if "linux,dummy-virt" in text or "pci-host-ecam-generic" in text or "virtio,mmio" in text:
        sys.exit("board.py: the device tree still names QEMU's virt machine (a new QEMU layout?)")
    sys.stdout.write(text)


def smbios0(vendor, version, date):
    # Characteristics: PCI, upgradeable, shadowing, boot from CD, selectable boot, EDD.
    chars = (1 << 7) | (1 << 11) | (1 << 12) | (1 << 15) | (1 << 16) | (1 << 19)
    ext1 = 0x03          # ACPI, USB legacy
    ext2 = 0x0D          # BIOS boot specification, targeted content distribution, UEFI; bit 4 (VM) clear
    body = struct.pack("<BBHBBHBBQBBBBBBH", 0, 0x1A, 0, 1, 2, 0, 3, 0xFF, chars, ext1, ext2, 1, 0, 0xFF, 0xFF, 0x20)
    strings = b"".join(s.encode() + b"\0" for s in (vendor, version, date)) + b"\0"
    sys.stdout.buffer.write(body + strings)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "dts":
        dts(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "smbios0":
        smbios0(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
