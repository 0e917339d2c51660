#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the integration fixture sysroots (tests/integration/fixtures/NAME/).

Each is a captured-machine tree as hvdetect reads it: DMI id files, ACPI table
headers, EFI presence, a CPUID dump, etc/os-release and, above all, the device
modaliases under sys/bus/*/devices/*/modalias. The trees are committed; rerun
this after changing it:  tests/integration/mkfixtures.py
"""
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
CPUID = os.path.join(HERE, "..", "data", "cpuid")


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def acpi_header(sig, oem, table, creator, rev=1, length=36):
    h = struct.pack("<4sIBB6s8sI4sI", sig.encode(), length, rev, 0, oem.encode().ljust(6, b" "),
                    table.encode().ljust(8, b" "), 1, creator.encode().ljust(4, b" "), 1)
    h = h + b"\0" * (length - len(h))
    csum = (-sum(h)) & 0xFF
    return h[:9] + bytes([csum]) + h[10:]


def pci(vendor, device, cls, subv=None, subd=None):
    subv = vendor if subv is None else subv
    subd = device if subd is None else subd
    return "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" % (vendor, device, subv, subd, cls >> 16,
                                                        (cls >> 8) & 0xFF, cls & 0xFF)


def guid_modalias(guid):
    """vmbus:<the GUID's 16 bytes in memory order>, as the kernel's vmbus uevent prints."""
    import uuid
    return "vmbus:" + uuid.UUID(guid).bytes_le.hex()


VMBUS = {
    "network": "f8615163-df3e-46c5-913f-f2d2f965ed0e",
    "scsi": "ba6163d9-04a1-4d29-b605-72e2ffb1dc7f",
    "ide": "32412632-86cb-44a2-9b5c-50d1417354f5",
    "shutdown": "0e0b6031-5213-4934-818b-38d90ced39db",
    "timesync": "9527e630-d0ae-497b-adce-e80ab0175caf",
    "heartbeat": "57164f39-9115-4e78-ab55-382f3bd5422d",
    "kvp": "a9a0f4e7-5a45-4d96-b827-8a841e8c03e6",
    "vss": "35fa2e29-ea23-4236-96ae-3a6ebacba440",
    "balloon": "525074dc-8985-46e2-8057-a307dc18a502",
    "keyboard": "f912ad6d-2b17-48ea-bd65-f927a61c7684",
    "mouse": "cfa8b69e-5b4a-4cc0-b98b-8ba1a1f3f95a",
    "video": "da0a7802-e377-4aac-8e77-0558eb1073f8",
    "pci": "44c4f61d-4444-4400-9d52-802e27ede19f",
}

OS_RELEASE = {
    "debian": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
    "ubuntu": 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n',
    "rhel": 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\n',
    "rocky": 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n',
    "fedora": 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n',
    "suse": 'NAME="openSUSE Leap"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\nVERSION_ID="15.6"\n',
}


def dmi(root, **fields):
    for k, v in fields.items():
        write(root, "sys/class/dmi/id/" + k, v + "\n")
    alias = "dmi:bvn%s:bvr%s:svn%s:pn%s:pvr%s:rvn%s:rn%s:" % tuple(
        fields.get(k, "").replace(" ", "").replace(",", "").replace(".", "")
        for k in ("bios_vendor", "bios_version", "sys_vendor", "product_name", "product_version",
                  "board_vendor", "board_name"))
    write(root, "sys/class/dmi/id/modalias", alias + "\n")


def acpi(root, oem, table, creator, sigs=("FACP", "DSDT", "APIC")):
    for s in sigs:
        write(root, "sys/firmware/acpi/tables/" + s, acpi_header(s, oem, table if s != "DSDT" else table, creator))


def device(root, bus, name, modalias, **attrs):
    write(root, "sys/bus/%s/devices/%s/modalias" % (bus, name), modalias + "\n")
    for k, v in attrs.items():
        write(root, "sys/bus/%s/devices/%s/%s" % (bus, name, k), v + "\n")


def cpuid(root, name):
    shutil.copy(os.path.join(CPUID, name), os.path.join(root, "cpuid.txt"))


def pci_dev(root, slot, vendor, dev, cls, subv=None, subd=None):
    device(root, "pci", "0000:%s" % slot, pci(vendor, dev, cls, subv, subd),
           vendor="0x%04x" % vendor, device="0x%04x" % dev, **{"class": "0x%06x" % cls})


def vmbus_devs(root, names):
    for i, n in enumerate(names):
        guid = VMBUS[n]
        device(root, "vmbus", "%s-%04x" % (guid[:8], i), guid_modalias(guid), class_id="{%s}" % guid)


def hyperv(root, gen, azure=False):
    cpuid(root, "hyperv.txt")
    fields = dict(sys_vendor="Microsoft Corporation", product_name="Virtual Machine",
                  board_vendor="Microsoft Corporation", board_name="Virtual Machine",
                  chassis_asset_tag="7783-7084-3265-9085-8269-3286-77" if azure else "1234-5678-9012-3456-7890-1234-56")
    if gen == 2:
        fields.update(bios_vendor="Microsoft Corporation", bios_version="Hyper-V UEFI Release v4.1",
                      product_version="Hyper-V UEFI Release v4.1")
        write(root, "sys/firmware/efi/fw_platform_size", "64\n")
    else:
        fields.update(bios_vendor="American Megatrends Inc.", bios_version="090008", product_version="7.0")
    dmi(root, **fields)
    acpi(root, "VRTUAL", "MICROSFT", "MSFT")
    device(root, "acpi", "VMBUS:00", "acpi:VMBUS:")
    device(root, "acpi", "ACPI0004:00", "acpi:ACPI0004:")
    vmbus = ["network", "scsi", "shutdown", "timesync", "heartbeat", "kvp", "vss", "balloon",
             "keyboard", "mouse", "video"]
    if gen == 1:
        vmbus.append("ide")
        pci_dev(root, "00:00.0", 0x8086, 0x7192, 0x060000, 0, 0)       # 440BX host bridge
        pci_dev(root, "00:07.0", 0x8086, 0x7110, 0x060100, 0x1414, 0)   # PIIX4 ISA
        pci_dev(root, "00:07.1", 0x8086, 0x7111, 0x01018A, 0, 0)        # PIIX4 IDE
        pci_dev(root, "00:07.3", 0x8086, 0x7113, 0x068000, 0, 0)        # PIIX4 ACPI
        pci_dev(root, "00:08.0", 0x1414, 0x5353, 0x030000, 0, 0)        # Hyper-V legacy video
    if azure:
        vmbus.append("pci")
        pci_dev(root, "7870:00:00.0", 0x1414, 0x00BA, 0x020000, 0x1414, 0x00BA)  # MANA VF
    vmbus_devs(root, vmbus)


def build(name, fn):
    root = os.path.join(OUT, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    fn(root)


def f_hyperv_gen2(root):
    hyperv(root, 2)
    write(root, "etc/os-release", OS_RELEASE["debian"])


def f_hyperv_gen1(root):
    hyperv(root, 1)
    write(root, "etc/os-release", OS_RELEASE["ubuntu"])


def f_azure(root):
    hyperv(root, 2, azure=True)
    write(root, "etc/os-release", OS_RELEASE["rhel"])


def f_vmware(root):
    cpuid(root, "vmware.txt")
    dmi(root, sys_vendor="VMware, Inc.", product_name="VMware Virtual Platform", product_version="None",
        product_serial="VMware-56 4d 12 34 56 78 9a bc-de f0 12 34 56 78 9a bc",
        bios_vendor="Phoenix Technologies LTD", bios_version="6.00",
        board_vendor="Intel Corporation", board_name="440BX Desktop Reference Platform")
    acpi(root, "PTLTD ", "  APIC  ", "VMW ")
    pci_dev(root, "00:00.0", 0x8086, 0x7190, 0x060000, 0x15AD, 0x1976)
    pci_dev(root, "00:07.0", 0x8086, 0x7110, 0x060100, 0x15AD, 0x1976)
    pci_dev(root, "00:07.7", 0x15AD, 0x0740, 0x088000, 0x15AD, 0x0740)   # VMCI
    pci_dev(root, "00:0f.0", 0x15AD, 0x0405, 0x030000, 0x15AD, 0x0405)   # SVGA II
    pci_dev(root, "03:00.0", 0x15AD, 0x07C0, 0x010700, 0x15AD, 0x07C0)   # PVSCSI
    pci_dev(root, "0b:00.0", 0x15AD, 0x07B0, 0x020000, 0x15AD, 0x07B0)   # vmxnet3
    device(root, "acpi", "VMW0005:00", "acpi:VMW0005:")
    write(root, "etc/os-release", OS_RELEASE["suse"])


def f_kvm(root):
    cpuid(root, "firecracker-amd.txt")
    dmi(root, sys_vendor="QEMU", product_name="Standard PC (Q35 + ICH9, 2009)", product_version="pc-q35-8.2",
        bios_vendor="SeaBIOS", bios_version="1.16.3-debian-1.16.3-2")
    acpi(root, "BOCHS ", "BXPC    ", "BXPC")
    pci_dev(root, "00:00.0", 0x8086, 0x29C0, 0x060000, 0x1AF4, 0x1100)   # Q35 host bridge
    pci_dev(root, "00:01.0", 0x1AF4, 0x1000, 0x020000, 0x1AF4, 0x0001)   # virtio-net
    pci_dev(root, "00:02.0", 0x1AF4, 0x1001, 0x010000, 0x1AF4, 0x0002)   # virtio-blk
    pci_dev(root, "00:03.0", 0x1AF4, 0x1004, 0x010000, 0x1AF4, 0x0008)   # virtio-scsi
    pci_dev(root, "00:04.0", 0x1AF4, 0x1002, 0x00FF00, 0x1AF4, 0x0005)   # virtio-balloon
    pci_dev(root, "00:05.0", 0x1AF4, 0x1005, 0x00FF00, 0x1AF4, 0x0004)   # virtio-rng
    pci_dev(root, "00:1f.0", 0x8086, 0x2918, 0x060100, 0x1AF4, 0x1100)   # ICH9 LPC
    for i, vid in enumerate((1, 2, 8, 5, 4)):
        device(root, "virtio", "virtio%d" % i, "virtio:d%08Xv%08X" % (vid, 0x1AF4))
    device(root, "acpi", "QEMU0002:00", "acpi:QEMU0002:")
    write(root, "etc/os-release", OS_RELEASE["fedora"])


def f_aws(root):
    cpuid(root, "firecracker-amd.txt")
    dmi(root, sys_vendor="Amazon EC2", product_name="m5.large", bios_vendor="Amazon EC2", bios_version="1.0",
        board_vendor="Amazon EC2", chassis_asset_tag="Amazon EC2")
    acpi(root, "AMAZON", "AMZNFACP", "AMZN")
    pci_dev(root, "00:00.0", 0x8086, 0x1237, 0x060000, 0x1D0F, 0x1237)
    pci_dev(root, "00:04.0", 0x1D0F, 0x8061, 0x010802, 0x1D0F, 0x8061)   # EBS NVMe
    pci_dev(root, "00:05.0", 0x1D0F, 0xEC20, 0x020000, 0x1D0F, 0xEC20)   # ENA
    pci_dev(root, "00:1f.0", 0x1D0F, 0x8061, 0x010802, 0x1D0F, 0x8061)   # a second EBS volume
    write(root, "etc/os-release", OS_RELEASE["debian"])


def f_gce(root):
    cpuid(root, "firecracker-amd.txt")
    dmi(root, sys_vendor="Google", product_name="Google Compute Engine", bios_vendor="Google",
        bios_version="Google", board_vendor="Google", board_name="Google Compute Engine")
    acpi(root, "Google", "GOOGFACP", "GOOG")
    pci_dev(root, "00:00.0", 0x8086, 0x1237, 0x060000, 0x1AF4, 0x1100)
    pci_dev(root, "00:03.0", 0x1AF4, 0x1004, 0x010000, 0x1AF4, 0x0008)   # virtio-scsi
    pci_dev(root, "00:04.0", 0x1AE0, 0x0042, 0x020000, 0x1AE0, 0x0058)   # gVNIC
    device(root, "virtio", "virtio0", "virtio:d00000008v00001AF4")
    write(root, "etc/os-release", OS_RELEASE["ubuntu"])


FIXTURES = {
    "hyperv-gen2": f_hyperv_gen2, "hyperv-gen1": f_hyperv_gen1, "azure": f_azure, "vmware": f_vmware,
    "kvm": f_kvm, "aws": f_aws, "gce": f_gce,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or FIXTURES:
        build(name, FIXTURES[name])
