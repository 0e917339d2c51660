# SPDX-License-Identifier: LGPL-2.1-or-later
# The machines (exec'd by generate.py). One function per capture.


def std(root, dmi=None, acpi=None, pci=None, cpuinfo=None, osrel="6.1.0-18-amd64", efi=False,
        smbios=None, acpi_devs=None, vmbus=None, extra=None, pci_bus=True):
    if dmi is not None:
        write_dmi(root, dmi)
        if smbios is not None:
            write_smbios(root, dmi, **smbios)
    if acpi:
        write_acpi(root, acpi)
    if acpi_devs:
        write_acpi_devices(root, acpi_devs)
    if pci:
        write_pci(root, pci)
    elif pci_bus:
        os.makedirs(os.path.join(root, "sys/bus/pci/devices"), exist_ok=True)
        w(root, "sys/bus/pci/drivers_autoprobe", "1\n")
    if vmbus is not None:
        write_vmbus(root, vmbus)
    write_common(root, osrel, cpuinfo, efi, extra)


def vmware_serial(prefix, u):
    h = uuidlib.UUID(u).bytes_le.hex()
    b = [h[i:i + 2] for i in range(0, 32, 2)]
    return "VMware-%s-%s" % (" ".join(b[:8]), " ".join(b[8:]))


VMW_OEM = ["[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]", "Welcome to the Virtual Machine"]
HV_OEM = ["[MS_VM_CERT/SHA1/9b80ca0d5dd061ec9da4e494f4c3fd1196270c22]", "00000000000000000000000000000000",
          "To be filled by OEM"]


def dmi_vmware_bios(u, date="11/12/2020"):
    return dict(bios_date=date, bios_release="4.6", bios_vendor="Phoenix Technologies LTD", bios_version="6.00",
                board_asset_tag="", board_name="440BX Desktop Reference Platform", board_serial="None",
                board_vendor="Intel Corporation", board_version="None", chassis_asset_tag="No Asset Tag",
                chassis_serial="None", chassis_type="1", chassis_vendor="No Enclosure", chassis_version="N/A",
                product_family="", product_name="VMware Virtual Platform",
                product_serial=vmware_serial("56 4d", u), product_sku="", product_uuid=u,
                product_version="None", sys_vendor="VMware, Inc.")


def dmi_vmware_efi(u, product="VMware7,1", biosver="VMW71.00V.16707776.B64.2008070230", date="08/07/2020"):
    return dict(bios_date=date, bios_release="4.6", bios_vendor="VMware, Inc.", bios_version=biosver,
                board_asset_tag="", board_name="440BX Desktop Reference Platform", board_serial="None",
                board_vendor="Intel Corporation", board_version="None", chassis_asset_tag="No Asset Tag",
                chassis_serial="None", chassis_type="1", chassis_vendor="No Enclosure", chassis_version="N/A",
                product_family="", product_name=product, product_serial=vmware_serial("42", u),
                product_sku="", product_uuid=u, product_version="None", sys_vendor="VMware, Inc.")


# ====================================================================== VMware
@machine
def vmware_esxi67_bios():
    u = "4c1e5c42-2b9a-0f3c-8e71-2a4410d6b39e"
    d = dmi_vmware_bios(u, "12/12/2018")
    emit("vmware-esxi67-bios-centos7", lambda r: std(
        r, d, acpi_vmware(), pci_vmware("vmxnet3", "pvscsi"), vm_cpuinfo(CLX_VM, extra=""),
        "3.10.0-1160.el7.x86_64", smbios=dict(version=(2, 4), vm=False, oem_strings=VMW_OEM, uuid=u),
        acpi_devs=VMW_ACPI), cpuid_dump(CLX_VM, [hv_vmware(2494140)]), hypervisor="vmware")


@machine
def vmware_esxi7_efi():
    u = "42193b5d-7c1e-5a2f-9f0e-3d1c5b8a7e66"
    d = dmi_vmware_efi(u)
    emit("vmware-esxi7-efi-rhel9", lambda r: std(
        r, d, acpi_vmware("VMWARE"), pci_vmware("vmxnet3", "pvscsi", efi=True), vm_cpuinfo(CLX_VM),
        "5.14.0-362.el9.x86_64", efi=True, smbios=dict(version=(2, 7), vm=True, uefi=True, oem_strings=VMW_OEM, uuid=u),
        acpi_devs=VMW_ACPI + ["VMW0005:00"]), cpuid_dump(CLX_VM, [hv_vmware(2494140)]), hypervisor="vmware")


@machine
def vmware_esxi8_efi():
    u = "4231a0c2-11d7-8e4f-bb31-09c7e2f4d105"
    d = dmi_vmware_efi(u, "VMware20,1", "VMW201.00V.21805430.B64.2305221830", "05/22/2023")
    emit("vmware-esxi8-hw20-ubuntu2204", lambda r: std(
        r, d, acpi_vmware("VMWARE"), pci_vmware("vmxnet3", "pvscsi", efi=True, nvme=True), vm_cpuinfo(ICX_8375),
        "5.15.0-105-generic", efi=True, smbios=dict(version=(2, 7), vm=True, uefi=True, oem_strings=VMW_OEM, uuid=u),
        acpi_devs=VMW_ACPI + ["VMW0005:00"]), cpuid_dump(ICX_8375, [hv_vmware(2900000)]), hypervisor="vmware")


@machine
def vmware_workstation17():
    u = "564d8a11-3f2c-e6b7-9d05-6e4f1a0c2b77"
    d = dmi_vmware_bios(u, "11/12/2020")
    d["product_serial"] = vmware_serial("56 4d", u)
    emit("vmware-workstation17-bios-debian12", lambda r: std(
        r, d, acpi_vmware(), pci_vmware("e1000", "lsilogic"), vm_cpuinfo(I7_12700 | dict(max_basic=0x1b)),
        "6.1.0-18-amd64", smbios=dict(version=(2, 7), vm=True, oem_strings=VMW_OEM, uuid=u),
        acpi_devs=VMW_ACPI), cpuid_dump(I7_12700 | dict(max_basic=0x1b), [hv_vmware(2112000)]), hypervisor="vmware")


@machine
def vmware_fusion_intel():
    u = "564d2f0e-8b44-1c9a-77e3-52c0d9a1f4b8"
    d = dmi_vmware_efi(u, "VMware7,1", "VMW71.00V.18227214.B64.2106252220", "06/25/2021")
    emit("vmware-fusion12-intel-efi-fedora", lambda r: std(
        r, d, acpi_vmware("VMWARE"), pci_vmware("e1000e", "none", efi=True, nvme=True), vm_cpuinfo(I9_9880H),
        "6.5.6-300.fc39.x86_64", efi=True, acpi_devs=VMW_ACPI), cpuid_dump(I9_9880H, [hv_vmware(2304000)]),
        hypervisor="vmware")


@machine
def vmware_fusion_arm64():
    u = "564dd5a2-90c3-1f6e-2b8d-7a14e0c93f21"
    d = dmi_vmware_efi(u, "VMware20,1", "VMW201.00V.20904234.BA64.2212051119", "12/05/2022")
    d.update(board_name="VBSA", board_vendor="VMware, Inc.", board_version="1", chassis_vendor="VMware, Inc.",
             chassis_type="1", chassis_version="VMware20,1", product_family="VMware")
    acpi = [("APIC", "APIC", 4, "VMWARE", "VMW MADT", 1, "VMW", 1, 0x1c4),
            ("DBG2", "DBG2", 0, "VMWARE", "VMW DBG2", 1, "VMW", 1, 0x5a),
            ("DSDT", "DSDT", 2, "VMWARE", "VMW DSDT", 1, "VMW", 1, 0x2f5c),
            ("FACP", "FACP", 6, "VMWARE", "VMW FADT", 1, "VMW", 1, 0x114),
            ("GTDT", "GTDT", 2, "VMWARE", "VMW GTDT", 1, "VMW", 1, 0x60),
            ("IORT", "IORT", 0, "VMWARE", "VMW IORT", 1, "VMW", 1, 0x7c),
            ("MCFG", "MCFG", 1, "VMWARE", "VMW MCFG", 1, "VMW", 1, 0x3c),
            ("SPCR", "SPCR", 2, "VMWARE", "VMW SPCR", 1, "VMW", 1, 0x50)]
    pci = [("0000:00:00.0", 0x15ad, 0x07a0 - 0x20, 0x15ad, 0x1976, 0x060000),
           ("0000:00:0f.0", 0x15ad, 0x0406, 0x15ad, 0x0406, 0x030000),
           ("0000:00:10.0", 0x15ad, 0x0779, 0x15ad, 0x0779, 0x0c0330),
           ("0000:00:11.0", 0x15ad, 0x07a0, 0x0000, 0x0000, 0x060400),
           ("0000:00:12.0", 0x15ad, 0x07a0, 0x0000, 0x0000, 0x060400),
           ("0000:00:07.7", 0x15ad, 0x0740, 0x15ad, 0x0740, 0x088000),
           ("0000:02:00.0", 0x15ad, 0x07f0, 0x15ad, 0x07f0, 0x010802),
           ("0000:03:00.0", 0x15ad, 0x07b0, 0x15ad, 0x07b0, 0x020000)]
    emit("vmware-fusion13-arm64-ubuntu", lambda r: std(
        r, d, acpi, pci, arm_cpuinfo("0x000", "0x0", 0, 4, bogo="48.00", implementer="0x61"),
        "6.5.0-35-generic", efi=True, smbios=dict(version=(3, 3), vm=True, uefi=True, oem_strings=VMW_OEM, uuid=u),
        acpi_devs=["ACPI0007:00", "ACPI0007:01", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0A08:00", "VMW0003:00"]),
        None, hypervisor="vmware")


# ====================================================================== Hyper-V
def dmi_hyperv(gen, serial, asset, biosver, biosdate, pver, u, bios_release):
    return dict(bios_date=biosdate, bios_release=bios_release,
                bios_vendor="American Megatrends Inc." if gen == 1 else "Microsoft Corporation",
                bios_version=biosver, board_asset_tag="None", board_name="Virtual Machine", board_serial=serial,
                board_vendor="Microsoft Corporation", board_version=pver, chassis_asset_tag=asset,
                chassis_serial=serial, chassis_type="3", chassis_vendor="Microsoft Corporation",
                chassis_version=pver, product_family="Virtual Machine" if gen == 2 else None,
                product_name="Virtual Machine", product_serial=serial,
                product_sku="None" if gen == 2 else None, product_uuid=u, product_version=pver,
                sys_vendor="Microsoft Corporation")


AZURE_TAG = "7783-7084-3265-9085-8269-3286-77"


@machine
def hyperv2016_gen1():
    u = "2c6e1a0f-4b7d-4e55-9a2c-8f03d6b71e40"
    d = dmi_hyperv(1, "0000-0003-5291-7642-0893-4471-28", "1830-9482-6016-4820-1753-3207-61", "090007  ",
                   "05/18/2018", "7.0", u, "4.0")
    emit("hyperv2016-gen1-centos7", lambda r: std(
        r, d, acpi_hyperv_gen1(), PCI_HYPERV_GEN1, vm_cpuinfo(dict(BDW_2686, brand="Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz")),
        "3.10.0-1160.102.1.el7.x86_64", smbios=dict(version=(2, 3), vm=True, oem_strings=HV_OEM, uuid=u),
        acpi_devs=HV_ACPI_GEN1, vmbus=hv_gen1_vmbus(1)),
        cpuid_dump(BDW_2686, [hv_hyperv(0x4000000a, (14393, 10, 0))]), hypervisor="hyperv", generation=1)


@machine
def hyperv2019_gen2():
    u = "a7f4b2c9-1e60-4d83-b5a1-6c0e9f2d4b17"
    d = dmi_hyperv(2, "2904-6517-3288-0416-7342-8853-41", "4123-8870-1120-5563-2290-4418-93",
                   "Hyper-V UEFI Release v4.0", "12/17/2019", "Hyper-V UEFI Release v4.0", u, "4.0")
    emit("hyperv2019-gen2-rhel8", lambda r: std(
        r, d, acpi_hyperv_gen2(), None, vm_cpuinfo(CLX_VM), "4.18.0-513.5.1.el8_9.x86_64", efi=True,
        smbios=dict(version=(3, 1), vm=True, uefi=True, oem_strings=HV_OEM, uuid=u), acpi_devs=HV_ACPI_GEN2,
        vmbus=hv_gen2_vmbus(2)), cpuid_dump(CLX_VM, [hv_hyperv(0x4000000b, (17763, 10, 0))]),
        hypervisor="hyperv", generation=2)


@machine
def hyperv2022_gen2():
    u = "5d02f1e8-9c3b-4a77-8e14-b6a0c25d9f31"
    d = dmi_hyperv(2, "6418-0972-3345-1180-6692-0137-55", "3306-4491-2275-0089-1542-7738-20",
                   "Hyper-V UEFI Release v4.1", "04/06/2022", "Hyper-V UEFI Release v4.1", u, "4.1")
    emit("hyperv2022-gen2-debian12", lambda r: std(
        r, d, acpi_hyperv_gen2(), None, vm_cpuinfo(ICX_8375 | dict(brand="Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz")),
        "6.1.0-18-amd64", efi=True, smbios=dict(version=(3, 1), vm=True, uefi=True, oem_strings=HV_OEM, uuid=u),
        acpi_devs=HV_ACPI_GEN2, vmbus=hv_gen2_vmbus(3)),
        cpuid_dump(ICX_8375 | dict(brand="Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"), [hv_hyperv(0x4000000c, (20348, 10, 0))]),
        hypervisor="hyperv", generation=2)


@machine
def hyperv2022_gen1():
    u = "0b6c3e91-72d4-4f0a-a3b8-19e5d7c04a62"
    d = dmi_hyperv(1, "8011-2267-9903-4418-2265-0731-92", "5582-1190-7346-0021-9984-3326-07", "090008  ",
                   "12/07/2018", "7.0", u, "4.0")
    emit("hyperv2022-gen1-ubuntu2004", lambda r: std(
        r, d, acpi_hyperv_gen1(), PCI_HYPERV_GEN1, vm_cpuinfo(EPYC_7763 | dict(brand="AMD EPYC 7313 16-Core Processor")),
        "5.4.0-174-generic", smbios=dict(version=(2, 3), vm=True, oem_strings=HV_OEM, uuid=u),
        acpi_devs=HV_ACPI_GEN1, vmbus=hv_gen1_vmbus(4)),
        cpuid_dump(EPYC_7763 | dict(brand="AMD EPYC 7313 16-Core Processor"), [hv_hyperv(0x4000000c, (20348, 10, 0))]),
        hypervisor="hyperv", generation=1)


@machine
def azure_gen1():
    u = "e3b0c442-98fc-4c14-9afb-f4c8996fb924"
    d = dmi_hyperv(1, "0000-0016-1473-4420-2331-7385-66", AZURE_TAG, "090008  ", "12/07/2018", "7.0", u, "4.0")
    pci = PCI_HYPERV_GEN1 + [("2f4e:00:02.0", 0x15b3, 0x1016, 0x15b3, 0x0190, 0x020000)]
    emit("azure-gen1-d4sv3-centos79", lambda r: std(
        r, d, acpi_hyperv_gen1(), pci, vm_cpuinfo(PLAT_8280 | dict(max_basic=0xd, ecx1=0xfffa3203, edx1=0x1f8bfbff, brand="Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz")),
        "3.10.0-1160.108.1.el7.x86_64", smbios=dict(version=(2, 3), vm=True, oem_strings=HV_OEM, uuid=u),
        acpi_devs=HV_ACPI_GEN1, vmbus=hv_gen1_vmbus(5, ["pcipt"])),
        cpuid_dump(PLAT_8280 | dict(max_basic=0xd, ecx1=0xfffa3203, edx1=0x1f8bfbff, brand="Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz"),
                   [hv_hyperv(0x4000000b, (17763, 10, 0))]),
        hypervisor="hyperv", platform="azure", generation=1)


@machine
def azure_gen2():
    u = "1d7a3f04-c2e5-4b96-8a01-73f9e6d2c58b"
    d = dmi_hyperv(2, "0000-0002-4519-7720-3016-5582-43", AZURE_TAG, "Hyper-V UEFI Release v4.1", "08/23/2023",
                   "Hyper-V UEFI Release v4.1", u, "4.1")
    d["product_version"] = "7.0"
    pci = [("6a2c:00:02.0", 0x15b3, 0x101a, 0x15b3, 0x0190, 0x020000)]
    emit("azure-gen2-d8sv5-ubuntu2404", lambda r: std(
        r, d, acpi_hyperv_gen2(), pci, vm_cpuinfo(ICX_8375 | dict(brand="Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz")),
        "6.8.0-1012-azure", efi=True, smbios=dict(version=(3, 1), vm=True, uefi=True, oem_strings=HV_OEM, uuid=u),
        acpi_devs=HV_ACPI_GEN2, vmbus=hv_gen2_vmbus(6, ["pcipt"])),
        cpuid_dump(ICX_8375 | dict(brand="Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz"), [hv_hyperv(0x4000000c, (20348, 10, 0))]),
        hypervisor="hyperv", platform="azure", generation=2)


@machine
def azure_cvm():
    u = "9f51c2e7-0a34-4d8b-86f2-d1e0b73a5c49"
    d = dmi_hyperv(2, "0000-0005-6631-2284-1793-0045-12", AZURE_TAG, "Hyper-V UEFI Release v4.1", "01/11/2024",
                   "Hyper-V UEFI Release v4.1", u, "4.1")
    d["product_version"] = "7.0"
    c = EPYC_7763 | dict(brand="AMD EPYC 7763v 64-Core Processor", sev=0x0001001b)
    hv = hv_hyperv(0x4000000c, (20348, 10, 0), features=(0x00002e7f, 0x00438030 | 0x00400000, 0x00000002, 0x0e7b7bb2),
                   isolation=(0x00000000, 0x00000062, 0x00000033, 0))
    emit("azure-cvm-dc2asv5-snp-ubuntu2204", lambda r: std(
        r, d, acpi_hyperv_gen2(), None, vm_cpuinfo(c, extra="sev sev_es sev_snp"), "6.5.0-1017-azure", efi=True,
        smbios=dict(version=(3, 1), vm=True, uefi=True, oem_strings=HV_OEM, uuid=u),
        acpi_devs=[x for x in HV_ACPI_GEN2 if x != "MSFT1000:00"],
        vmbus=vmbus_set(["scsi", "net", "shutdown", "timesync", "heartbeat", "kvp", "vss"], 7)),
        cpuid_dump(c, [hv]), hypervisor="hyperv", platform="azure", generation=2, confidential="hyperv-snp")


@machine
def wsl2():
    c = I7_1165
    hv = hv_hyperv(0x4000000c, (22631, 10, 0), features=(0x0000ae7f, 0x003b8030, 0x00000002, 0x0e7b7bb2))
    emit("wsl2-windows11-ubuntu2204", lambda r: std(
        r, None, None, None, vm_cpuinfo(c | dict(max_basic=0x1b), n=8), "5.15.153.1-microsoft-standard-WSL2",
        vmbus=vmbus_set(["scsi", "net", "shutdown", "timesync", "heartbeat", "balloon", "hvsock_9p", "dxg"], 8),
        pci_bus=False,
        extra={"proc/sys/kernel/arch": "x86_64\n"}),
        cpuid_dump(c | dict(max_basic=0x1b), [hv], ncpu=8), hypervisor="hyperv", platform="wsl",
        generation_scored=False)


# ====================================================================== KVM / QEMU
def dmi_qemu(product, pver, bios_vendor="SeaBIOS", bios_version="1.16.2-debian-1.16.2-1",
             bios_date="04/01/2014", sys_vendor="QEMU", u=None, serial=None, family=None, sku=None,
             chassis_vendor="QEMU", bios_release="0.0", chassis_asset=None, board=False):
    d = dict(bios_date=bios_date, bios_release=bios_release, bios_vendor=bios_vendor, bios_version=bios_version,
             chassis_type="1", chassis_vendor=chassis_vendor, chassis_version=pver, product_name=product,
             product_version=pver, sys_vendor=sys_vendor, product_uuid=u or "c0ffee00-1111-4222-8333-444455556666")
    if serial is not None:
        d["product_serial"] = serial
    if family is not None:
        d["product_family"] = family
    if sku is not None:
        d["product_sku"] = sku
    if chassis_asset is not None:
        d["chassis_asset_tag"] = chassis_asset
    if board:
        d.update(board_vendor=sys_vendor if board is True else board[0], board_name=product if board is True else board[1],
                 board_version=pver)
    return d


@machine
def libvirt_q35_ovmf():
    u = "8e2b1f6a-5c47-4d09-b3e8-0f6a92c1d7e4"
    d = dmi_qemu("Standard PC (Q35 + ICH9, 2009)", "pc-q35-rhel9.2.0", "EDK II", "edk2-20230524-3.el9",
                 "05/24/2023", u=u)
    emit("kvm-libvirt-q35-ovmf-rhel9", lambda r: std(
        r, d, acpi_qemu(q35=True, ovmf=True), pci_qemu_q35(), vm_cpuinfo(CLX_VM), "5.14.0-362.8.1.el9_3.x86_64",
        efi=True, smbios=dict(version=(3, 0), vm=True, uefi=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(CLX_VM, [hv_kvm()]), hypervisor="kvm")


@machine
def qemu_i440fx_seabios():
    u = "3f9a2c1e-7b64-4e58-a0d2-b5c7e9f13a80"
    d = dmi_qemu("Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-7.2", u=u,
                 bios_version="rel-1.16.1-0-g3208b098f51a-prebuilt.qemu.org")
    emit("kvm-qemu-i440fx-seabios-debian12", lambda r: std(
        r, d, acpi_qemu(), pci_qemu_i440fx(), vm_cpuinfo(EPYC_QEMU), "6.1.0-18-amd64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(EPYC_QEMU, [hv_kvm()]), hypervisor="kvm")


@machine
def proxmox():
    u = "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"
    d = dmi_qemu("Standard PC (Q35 + ICH9, 2009)", "pc-q35-8.1", "SeaBIOS",
                 "rel-1.16.2-0-gea1b7a073390-prebuilt.qemu.org", u=u)
    pci = pci_qemu_q35(vga=(0x1234, 0x1111)) + [("0000:00:05.0", 0x1af4, 0x1004, 0x1af4, 0x0008, 0x010000)]
    emit("kvm-proxmox8-q35-seabios", lambda r: std(
        r, d, acpi_qemu(q35=True), pci, vm_cpuinfo(SKL_QEMU | dict(brand="Common KVM processor")), "6.1.0-18-amd64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(SKL_QEMU | dict(brand="Common KVM processor"), [hv_kvm()]), hypervisor="kvm",
        platform_accept=["proxmox", None])


@machine
def ovirt():
    u = "aa5e0c7d-0f2e-4e61-9a5c-7b1d3e2f4a90"
    d = dmi_qemu("oVirt Node", "4.4.10-1.el8", "SeaBIOS", "1.16.0-3.module_el8.7.0+1218+f626c2ff", "04/01/2014",
                 sys_vendor="oVirt", u=u, serial="30393137-3436-5a43-4a33-333130303039", family="oVirt",
                 chassis_vendor="Red Hat")
    emit("kvm-ovirt44-el8", lambda r: std(
        r, d, acpi_qemu(), pci_qemu_i440fx(vga=(0x1b36, 0x0100)), vm_cpuinfo(SKL_QEMU), "4.18.0-513.5.1.el8_9.x86_64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(SKL_QEMU, [hv_kvm()]), hypervisor="kvm", platform="ovirt")


@machine
def openstack():
    u = "d06f3a5b-8a1c-4e3d-9c2b-1e7f6a5d4c3b"
    d = dmi_qemu("OpenStack Nova", "23.2.1", "SeaBIOS", "1.13.0-1ubuntu1.1", "04/01/2014",
                 sys_vendor="OpenStack Foundation", u=u, serial="d06f3a5b-8a1c-4e3d-9c2b-1e7f6a5d4c3b",
                 family="Virtual Machine")
    emit("kvm-openstack-nova-ubuntu2204", lambda r: std(
        r, d, acpi_qemu(old_ids=True), pci_qemu_i440fx(vga=(0x1013, 0x00b8)), vm_cpuinfo(SKL_QEMU),
        "5.15.0-105-generic", smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(SKL_QEMU, [hv_kvm()]), hypervisor="kvm", platform="openstack")


@machine
def nutanix():
    u = "7c0e9b1a-3d52-4f68-a7e4-2b9c1d0f5e83"
    d = dmi_qemu("AHV", "", "SeaBIOS", "1.11.0-2.el7", "04/01/2014", sys_vendor="Nutanix", u=u,
                 serial="7c0e9b1a-3d52-4f68-a7e4-2b9c1d0f5e83", chassis_vendor="Red Hat")
    del d["product_version"]
    d["chassis_version"] = "RHEL 7.6.0 PC (i440FX + PIIX, 1996)"
    pci = pci_qemu_i440fx(blk=False, extra=[("0000:00:06.0", 0x1af4, 0x1004, 0x1af4, 0x0008, 0x010000)])
    emit("kvm-nutanix-ahv-rhel8", lambda r: std(
        r, d, acpi_qemu(old_ids=True), pci, vm_cpuinfo(CLX_VM), "4.18.0-477.10.1.el8_8.x86_64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(CLX_VM, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="nutanix-ahv")


@machine
def kvm_hv_enlightened():
    u = "62b7f0d4-5e21-4c3a-9d8e-af01b2c3d4e5"
    d = dmi_qemu("Standard PC (Q35 + ICH9, 2009)", "pc-q35-6.2", "EDK II", "0.0.0", "02/06/2015", u=u)
    hv = hv_hyperv(0x4000000b, (0x1bbc, 6, 1), features=(0x00002ff7 | 0x40, 0x00000000, 0x00000000, 0x00000408))
    emit("kvm-q35-hyperv-enlightenments-ubuntu", lambda r: std(
        r, d, acpi_qemu(q35=True, ovmf=True), pci_qemu_q35(), vm_cpuinfo(EPYC_QEMU), "5.15.0-105-generic",
        efi=True, smbios=dict(version=(3, 0), vm=True, uefi=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(EPYC_QEMU, [hv, hv_kvm(base=0x40000100, maxleaf=0x40000101)]), hypervisor="kvm")


@machine
def qemu_tcg():
    u = "00000000-0000-0000-0000-000000000000"
    d = dmi_qemu("Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-7.2", bios_version="1.16.2-debian-1.16.2-1", u=u)
    emit("qemu-tcg-i440fx-qemu64", lambda r: std(
        r, d, acpi_qemu(), pci_qemu_i440fx(net=False, blk=False, balloon=False,
                                          extra=[("0000:00:03.0", 0x8086, 0x100e, 0x1af4, 0x1100, 0x020000)]),
        x86_cpuinfo("amd", 15, 107, 1, "QEMU Virtual CPU version 2.5+",
                    "fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm rep_good nopl cpuid extd_apicid tsc_known_freq pni cx16 x2apic hypervisor lahf_lm cmp_legacy svm 3dnowprefetch vmmcall",
                    2000.0, 1, "0x1000065", 512, 13, "fxsave_leak sysret_ss_attrs spectre_v1 spectre_v2 spec_store_bypass retbleed", "40 bits physical, 48 bits virtual"),
        "6.1.0-18-amd64", smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(QEMU64, [hv_sig("TCGTCGTCGTCG", 0x40000001, [(1, 0, 0, 0, 0)])], ncpu=1), hypervisor="qemu")


# ====================================================================== AWS
def dmi_aws(itype, u, uefi=False):
    return dict(bios_date="10/16/2017", bios_release="1.0", bios_vendor="Amazon EC2", bios_version="1.0",
                board_asset_tag="i-0a1b2c3d4e5f60718", board_name="", board_serial="", board_vendor="Amazon EC2",
                board_version="", chassis_asset_tag="Amazon EC2", chassis_serial="", chassis_type="1",
                chassis_vendor="Amazon EC2", chassis_version="", product_family="", product_name=itype,
                product_serial=u, product_sku="", product_uuid=u, product_version="", sys_vendor="Amazon EC2")


@machine
def aws_c5():
    u = "ec2a9c41-6f7e-2b13-d8a0-5e4c3b2a1f09"
    emit("aws-nitro-c5large-al2", lambda r: std(
        r, dmi_aws("c5.large", u), acpi_amazon(), pci_aws_nitro(), vm_cpuinfo(CLX_8275), "5.10.210-201.852.amzn2.x86_64",
        smbios=dict(version=(2, 7), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS[:-1] + ["AMZNC10C:00"]),
        cpuid_dump(CLX_8275, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="aws")


@machine
def aws_m6i():
    u = "ec2f1e0d-9c8b-7a65-4321-0fedcba98765"
    emit("aws-nitro-m6ixlarge-uefi-rhel9", lambda r: std(
        r, dmi_aws("m6i.xlarge", u), acpi_amazon() + [("BGRT", "BGRT", 1, "AMAZON", "AMZNBGRT", 1, "AMZN", 1, 0x38)],
        pci_aws_nitro(uefi=True), vm_cpuinfo(ICX_8375, n=4), "5.14.0-362.8.1.el9_3.x86_64", efi=True,
        smbios=dict(version=(2, 7), vm=True, uefi=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS[:-1] + ["AMZNC10C:00"]),
        cpuid_dump(ICX_8375, [hv_kvm(0x01007afb)], ncpu=4), hypervisor="kvm", platform="aws")


@machine
def aws_t3():
    u = "ec20b7d2-44a1-5f3e-a9c8-7d6e5f4a3b21"
    emit("aws-nitro-t3micro-debian12", lambda r: std(
        r, dmi_aws("t3.micro", u), acpi_amazon(slit=False), pci_aws_nitro(), vm_cpuinfo(SKX_8259),
        "6.1.0-18-cloud-amd64", smbios=dict(version=(2, 7), vm=True, uuid=u)),
        cpuid_dump(SKX_8259, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="aws")


@machine
def aws_graviton():
    u = "ec2b5d3c-1a2f-4e6d-8c7b-9a0f1e2d3c4b"
    d = dmi_aws("m6g.large", u)
    acpi = [("APIC", "APIC", 4, "AMAZON", "AMZNAPIC", 1, "AMZN", 1, 0xbc),
            ("DSDT", "DSDT", 2, "AMAZON", "AMZNDSDT", 1, "INTL", 0x20170119, 0x1144),
            ("FACP", "FACP", 6, "AMAZON", "AMZNFACP", 1, "AMZN", 1, 0x114),
            ("GTDT", "GTDT", 2, "AMAZON", "AMZNGTDT", 1, "AMZN", 1, 0x60),
            ("IORT", "IORT", 0, "AMAZON", "AMZNIORT", 1, "AMZN", 1, 0x78),
            ("MCFG", "MCFG", 1, "AMAZON", "AMZNMCFG", 1, "AMZN", 1, 0x3c),
            ("PPTT", "PPTT", 2, "AMAZON", "AMZNPPTT", 1, "AMZN", 1, 0xd4),
            ("SPCR", "SPCR", 2, "AMAZON", "AMZNSPCR", 1, "AMZN", 1, 0x50)]
    pci = [("0000:00:00.0", 0x1d0f, 0x0200, 0x0000, 0x0000, 0x060000),
           ("0000:00:01.0", 0x1d0f, 0x8250, 0x0000, 0x0000, 0x070003),
           ("0000:00:04.0", 0x1d0f, 0x8061, 0x1d0f, 0x8061, 0x010802),
           ("0000:00:05.0", 0x1d0f, 0xec20, 0x1d0f, 0xec20, 0x020000)]
    emit("aws-graviton2-m6glarge-al2023", lambda r: std(
        r, d, acpi, pci, arm_cpuinfo("0xd0c", "0x3", 1, 2, bogo="243.75"), "6.1.79-99.164.amzn2023.aarch64",
        efi=True, smbios=dict(version=(3, 0), vm=True, uefi=True, uuid=u),
        acpi_devs=["ACPI0007:00", "ACPI0007:01", "AMZN0001:00", "ARMH0011:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0A08:00"]),
        None, hypervisor="kvm", platform="aws")


def dmi_aws_xen(itype, ver, u):
    return dict(bios_date="12/09/2016", bios_vendor="Xen", bios_version=ver, chassis_asset_tag="",
                chassis_serial="", chassis_type="1", chassis_vendor="Xen", chassis_version="",
                product_name="HVM domU", product_serial=u, product_uuid=u, product_version=ver, sys_vendor="Xen")


@machine
def aws_t2():
    u = "ec2e6a8f-3b1d-9c44-5e27-0a8b9c6d1f32"
    emit("aws-xen-t2micro-ubuntu1804", lambda r: std(
        r, dmi_aws_xen("t2.micro", "4.11.amazon", u), acpi_xen(0x20090220), PCI_XEN_HVM, vm_cpuinfo(BDW_2686, n=1),
        "5.4.0-1103-aws", smbios=dict(version=(2, 7), vm=False, uuid=u),
        acpi_devs=QEMU_ACPI_DEVS[:-1],
        extra={"sys/hypervisor/type": "xen\n", "sys/hypervisor/uuid": u + "\n",
               "sys/hypervisor/version/major": "4\n", "sys/hypervisor/version/minor": "11\n",
               "sys/hypervisor/version/extra": ".amazon\n", "sys/hypervisor/properties/features": "00002705\n"}),
        cpuid_dump(BDW_2686, [hv_xen((4, 11))], ncpu=1), hypervisor="xen", platform="aws")


@machine
def aws_m4():
    u = "ec2d4c3b-2a19-0f8e-7d6c-5b4a39281706"
    emit("aws-xen-m4large-centos7", lambda r: std(
        r, dmi_aws_xen("m4.large", "4.2.amazon", u), acpi_xen(0x20090220), PCI_XEN_HVM + [
            ("0000:00:03.0", 0x5853, 0x0001, 0x5853, 0x0001, 0xff8000)],
        vm_cpuinfo(HSW_2676), "3.10.0-1160.el7.x86_64", smbios=dict(version=(2, 4), vm=False, uuid=u),
        extra={"sys/hypervisor/type": "xen\n", "sys/hypervisor/version/major": "4\n",
               "sys/hypervisor/version/minor": "2\n", "sys/hypervisor/version/extra": ".amazon\n"}),
        cpuid_dump(HSW_2676, [hv_xen((4, 2), 4)]), hypervisor="xen", platform="aws")


@machine
def aws_metal():
    u = "ec2c8b7a-6f5e-4d3c-2b1a-09f8e7d6c5b4"
    d = dmi_aws("m5.metal", u)
    d.update(bios_vendor="Amazon EC2", bios_version="1.0", bios_date="10/16/2017", chassis_type="23")
    pci = [("0000:00:00.0", 0x8086, 0x2020, 0x8086, 0x0000, 0x060000),
           ("0000:00:04.0", 0x8086, 0x2021, 0x8086, 0x0000, 0x088000),
           ("0000:00:05.0", 0x8086, 0x2024, 0x8086, 0x0000, 0x088000),
           ("0000:00:08.0", 0x8086, 0x2014, 0x8086, 0x0000, 0x088000),
           ("0000:00:11.0", 0x8086, 0xa1ec, 0x8086, 0x7270, 0xff0000),
           ("0000:00:1f.0", 0x8086, 0xa1c3, 0x8086, 0x7270, 0x060100),
           ("0000:00:1f.2", 0x8086, 0xa1a1, 0x8086, 0x7270, 0x058000),
           ("0000:00:1f.4", 0x8086, 0xa1a3, 0x8086, 0x7270, 0x0c0500),
           ("0000:03:00.0", 0x1d0f, 0x0200, 0x0000, 0x0000, 0x060400),
           ("0000:04:00.0", 0x1d0f, 0xec20, 0x1d0f, 0xec20, 0x020000),
           ("0000:05:00.0", 0x1d0f, 0x0061, 0x1d0f, 0x0061, 0x010802),
           ("0000:06:00.0", 0x1d0f, 0xcd01, 0x1d0f, 0xcd01, 0x010802)]
    acpi = acpi_oem("AMAZON", "AMZNFACP", "AMZN", 1,
                    ["APIC", "DMAR", "HPET", "MCFG", "SLIT", "SRAT", "WAET", "SPCR", "MSCT", "PCCT", "HEST", "BERT"],
                    fadt_rev=4, ssdts=3)
    c = dict(PLAT_8280, brand="Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", max_basic=0x16)
    emit("aws-m5metal-bare-al2", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(c, n=2), "5.10.210-201.852.amzn2.x86_64",
        smbios=dict(version=(2, 7), vm=False, uuid=u)),
        cpuid_dump(c, None, bare=True), hypervisor="none", platform="aws", platform_accept=["aws", None])


# ====================================================================== GCE
def dmi_gce(u, serial):
    return dict(bios_date="01/01/2011", bios_release="0.0", bios_vendor="Google", bios_version="Google",
                board_asset_tag="8c4a3d2e-1f0b-9a7c-6d5e-4f3a2b1c0d9e", board_name="Google Compute Engine",
                board_serial="Board-GoogleCloud-" + serial[-16:].upper(), board_vendor="Google", board_version="",
                chassis_asset_tag="", chassis_serial="", chassis_type="1", chassis_vendor="Google", chassis_version="",
                product_family="", product_name="Google Compute Engine", product_serial="GoogleCloud-" + serial,
                product_sku="", product_uuid=u, product_version="", sys_vendor="Google")


GCE_ACPI_DEVS = ["LNXCPU:00", "LNXCPU:01", "LNXPWRBN:00", "LNXSLPBN:00", "LNXSYBUS:00", "LNXSYSTM:00",
                 "PNP0103:00", "PNP0303:00", "PNP0501:00", "PNP0501:01", "PNP0501:02", "PNP0501:03",
                 "PNP0A03:00", "PNP0B00:00", "PNP0C0F:00", "PNP0F13:00", "ACPI0010:00"]


@machine
def gce_n1():
    u = "4b2d6e8a-0c1f-3e5a-7b9d-1f3e5a7c9b0d"
    emit("gce-n1-standard-2-debian12", lambda r: std(
        r, dmi_gce(u, "4B2D6E8A0C1F3E5A7B9D1F3E5A7C9B0D"), acpi_google(), pci_gce(), vm_cpuinfo(GCE_BDW),
        "6.1.0-18-cloud-amd64", smbios=dict(version=(2, 4), vm=False, uuid=u), acpi_devs=GCE_ACPI_DEVS),
        cpuid_dump(GCE_BDW, [hv_kvm(0x01000089)]), hypervisor="kvm", platform="gce")


@machine
def gce_n2():
    u = "7e9f1a3b-5c7d-9e1f-3a5b-7c9d1e3f5a7b"
    emit("gce-n2-standard-4-gvnic-uefi-rocky9", lambda r: std(
        r, dmi_gce(u, "7E9F1A3B5C7D9E1F3A5B7C9D1E3F5A7B"), acpi_google(uefi=True), pci_gce(gvnic=True, nvme=True),
        vm_cpuinfo(GCE_CLX, n=4), "5.14.0-362.24.1.el9_3.x86_64", efi=True,
        smbios=dict(version=(2, 4), vm=False, uefi=True, uuid=u), acpi_devs=GCE_ACPI_DEVS),
        cpuid_dump(GCE_CLX, [hv_kvm(0x01000089)], ncpu=4), hypervisor="kvm", platform="gce")


@machine
def gce_e2():
    u = "2a4c6e8f-0b2d-4f6a-8c0e-2a4c6e8f0b2d"
    c = EPYC_7B12 | dict(brand="AMD EPYC 7B12")
    emit("gce-e2-medium-ubuntu2204", lambda r: std(
        r, dmi_gce(u, "2A4C6E8F0B2D4F6A8C0E2A4C6E8F0B2D"), acpi_google(), pci_gce(gvnic=False), vm_cpuinfo(c),
        "6.5.0-1020-gcp", smbios=dict(version=(2, 4), vm=False, uuid=u), acpi_devs=GCE_ACPI_DEVS),
        cpuid_dump(c, [hv_kvm(0x01000089)]), hypervisor="kvm", platform="gce")


@machine
def gce_t2a():
    u = "5c3a1e9f-7d5b-3a1c-9e7f-5d3b1a9c7e5f"
    d = dmi_gce(u, "5C3A1E9F7D5B3A1C9E7F5D3B1A9C7E5F")
    acpi = [("APIC", "APIC", 4, "Google", "GOOGAPIC", 1, "GOOG", 1, 0x1a4),
            ("DBG2", "DBG2", 0, "Google", "GOOGDBG2", 1, "GOOG", 1, 0x5c),
            ("DSDT", "DSDT", 2, "Google", "GOOGDSDT", 1, "GOOG", 1, 0x1b4d),
            ("FACP", "FACP", 6, "Google", "GOOGFACP", 1, "GOOG", 1, 0x114),
            ("GTDT", "GTDT", 2, "Google", "GOOGGTDT", 1, "GOOG", 1, 0x60),
            ("IORT", "IORT", 0, "Google", "GOOGIORT", 1, "GOOG", 1, 0x90),
            ("MCFG", "MCFG", 1, "Google", "GOOGMCFG", 1, "GOOG", 1, 0x3c),
            ("PPTT", "PPTT", 2, "Google", "GOOGPPTT", 1, "GOOG", 1, 0x124),
            ("SPCR", "SPCR", 2, "Google", "GOOGSPCR", 1, "GOOG", 1, 0x50),
            ("SRAT", "SRAT", 3, "Google", "GOOGSRAT", 1, "GOOG", 1, 0x6c)]
    pci = [("0000:00:00.0", 0x1b36, 0x0008, 0x1af4, 0x1100, 0x060000),
           ("0000:00:03.0", 0x1ae0, 0x001f, 0x1ae0, 0x001f, 0x010802),
           ("0000:00:04.0", 0x1ae0, 0x0042, 0x1ae0, 0x0058, 0x020000)]
    emit("gce-t2a-standard-2-arm64-debian12", lambda r: std(
        r, d, acpi, pci, arm_cpuinfo("0xd0c", "0x3", 1, 2, bogo="50.00"), "6.1.0-18-cloud-arm64", efi=True,
        smbios=dict(version=(3, 0), vm=False, uefi=True, uuid=u),
        acpi_devs=["ACPI0007:00", "ACPI0007:01", "ARMH0011:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0A08:00"]),
        None, hypervisor="kvm", platform="gce")


# ====================================================================== other clouds on KVM
@machine
def oracle_cloud():
    u = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
    d = dmi_qemu("Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-4.2", "SeaBIOS", "1.0.0", "04/01/2014", u=u,
                 serial="Not Specified", chassis_asset="OracleCloud.com")
    d["chassis_vendor"] = "QEMU"
    emit("oci-e4flex-oraclelinux8", lambda r: std(
        r, d, acpi_qemu(old_ids=True), pci_qemu_i440fx(vga=(0x1234, 0x1111), blk=False,
                                                      extra=[("0000:00:04.0", 0x1af4, 0x1004, 0x1af4, 0x0008, 0x010000)]),
        vm_cpuinfo(EPYC_7J13, n=2), "5.15.0-200.131.27.el8uek.x86_64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(EPYC_7J13, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="oracle")


@machine
def alibaba():
    u = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
    d = dmi_qemu("Alibaba Cloud ECS", "pc-i440fx-2.1", "SeaBIOS", "449e491", "04/01/2014", sys_vendor="Alibaba Cloud",
                 u=u, serial="f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", chassis_vendor="Alibaba Cloud")
    c = dict(CLX_8275, brand="Intel(R) Xeon(R) Platinum 8269CY CPU @ 2.50GHz")
    emit("alibaba-ecs-g6-alinux3", lambda r: std(
        r, d, acpi_qemu(old_ids=True), pci_qemu_i440fx(vga=(0x1013, 0x00b8)), vm_cpuinfo(c),
        "5.10.134-16.3.al8.x86_64", smbios=dict(version=(2, 8), vm=False, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(c, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="alibaba")


@machine
def digitalocean():
    u = "5a6b7c8d-9e0f-1a2b-3c4d-5e6f7a8b9c0d"
    d = dmi_qemu("Droplet", "20171212", "DigitalOcean", "20171212", "12/12/2017", sys_vendor="DigitalOcean",
                 u=u, serial="388017162", family="DigitalOcean_Droplet", chassis_vendor="QEMU")
    d["chassis_version"] = "pc-i440fx-6.1"
    emit("digitalocean-droplet-ubuntu2204", lambda r: std(
        r, d, acpi_qemu(old_ids=True), pci_qemu_i440fx(vga=(0x1234, 0x1111)), vm_cpuinfo(DO_REG, n=1),
        "5.15.0-105-generic", smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(DO_REG, [hv_kvm(0x01007afb)], ncpu=1), hypervisor="kvm", platform=None,
        platform_accept=[None, "digitalocean"])


@machine
def hetzner():
    u = "3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f"
    d = dmi_qemu("vServer", "20171111", "Hetzner", "20171111", "11/11/2017", sys_vendor="Hetzner", u=u,
                 serial="41882651", family="Hetzner_vServer", chassis_vendor="QEMU")
    d["chassis_version"] = "pc-i440fx-6.2"
    emit("hetzner-cx22-debian12", lambda r: std(
        r, d, acpi_qemu(), pci_qemu_i440fx(blk=False, extra=[("0000:00:06.0", 0x1af4, 0x1004, 0x1af4, 0x0008, 0x010000)]),
        vm_cpuinfo(SKL_QEMU | dict(brand="Intel Xeon Processor (Skylake, IBRS, no TSX)")), "6.1.0-18-amd64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(SKL_QEMU | dict(brand="Intel Xeon Processor (Skylake, IBRS, no TSX)"), [hv_kvm(0x01007afb)]),
        hypervisor="kvm", platform=None, platform_accept=[None, "hetzner"])


@machine
def linode():
    u = "8d9e0f1a-2b3c-4d5e-6f7a-8b9c0d1e2f3a"
    d = dmi_qemu("Standard PC (Q35 + ICH9, 2009)", "pc-q35-7.2", "SeaBIOS",
                 "rel-1.16.1-0-g3208b098f51a-prebuilt.qemu.org", u=u)
    emit("linode-akamai-q35-ubuntu2404", lambda r: std(
        r, d, acpi_qemu(q35=True), pci_qemu_q35(vga=(0x1234, 0x1111)),
        vm_cpuinfo(EPYC_7763 | dict(brand="AMD EPYC 7713 64-Core Processor")), "6.8.0-31-generic",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(EPYC_7763 | dict(brand="AMD EPYC 7713 64-Core Processor"), [hv_kvm(0x01007afb)]),
        hypervisor="kvm", platform=None, platform_accept=[None, "linode", "akamai"])


@machine
def vultr():
    u = "6e7f8a9b-0c1d-2e3f-4a5b-6c7d8e9f0a1b"
    d = dmi_qemu("VC2", "pc-i440fx-6.2", "SeaBIOS", "1.16.0-1.fc36", "04/01/2014", sys_vendor="Vultr", u=u,
                 serial="12345678", chassis_vendor="QEMU")
    emit("vultr-vc2-almalinux9", lambda r: std(
        r, d, acpi_qemu(old_ids=True), pci_qemu_i440fx(vga=(0x1234, 0x1111)),
        vm_cpuinfo(SKL_QEMU | dict(brand="Intel Core Processor (Skylake, IBRS)")), "5.14.0-362.8.1.el9_3.x86_64",
        smbios=dict(version=(2, 8), vm=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(SKL_QEMU | dict(brand="Intel Core Processor (Skylake, IBRS)"), [hv_kvm(0x01007afb)]),
        hypervisor="kvm", platform=None, platform_accept=[None, "vultr"])


# ====================================================================== Xen
XEN_HYP_FILES = {"sys/hypervisor/type": "xen\n", "sys/hypervisor/version/major": "4\n",
                 "sys/hypervisor/version/minor": "17\n", "sys/hypervisor/version/extra": ".3-1\n",
                 "sys/hypervisor/properties/features": "00002705\n",
                 "sys/hypervisor/properties/capabilities": "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64\n"}


def dmi_xen_hvm(u, ver="4.17.3-1", bios_vendor="Xen", chassis_asset=""):
    return dict(bios_date="06/19/2024", bios_release="4.17", bios_vendor=bios_vendor, bios_version=ver,
                chassis_asset_tag=chassis_asset, chassis_serial="", chassis_type="1", chassis_vendor="Xen",
                chassis_version="", product_name="HVM domU", product_serial=u, product_uuid=u, product_version=ver,
                sys_vendor="Xen")


@machine
def xcpng():
    u = "b5c6d7e8-f9a0-4b1c-2d3e-4f5a6b7c8d9e"
    emit("xen-xcpng83-hvm-debian12", lambda r: std(
        r, dmi_xen_hvm(u), acpi_xen(), PCI_XEN_HVM, vm_cpuinfo(CLX_VM), "6.1.0-18-amd64",
        smbios=dict(version=(2, 4), vm=False, uuid=u), acpi_devs=QEMU_ACPI_DEVS[:-1],
        extra=dict(XEN_HYP_FILES, **{"sys/hypervisor/uuid": u + "\n", "proc/xen/capabilities": ""})),
        cpuid_dump(CLX_VM, [hv_xen((4, 17))]), hypervisor="xen")


@machine
def citrix_viridian():
    u = "c7d8e9f0-a1b2-4c3d-4e5f-6a7b8c9d0e1f"
    d = dmi_xen_hvm(u, "4.13.5-9.38", "Xen")
    d["bios_release"] = "4.13"
    v = hv_hyperv(0x40000006, (0, 0, 0), features=(0x00000e7f, 0, 0, 0), recommend=(0x2c, 0x2000, 0, 0),
                  limits=(0, 0, 0, 0), hw=(0, 0, 0, 0))
    emit("xen-citrix-hypervisor8-viridian-rhel8", lambda r: std(
        r, d, acpi_xen(0x20180427, viridian=True), PCI_XEN_HVM, vm_cpuinfo(CLX_VM), "4.18.0-513.5.1.el8_9.x86_64",
        smbios=dict(version=(2, 4), vm=False, uuid=u), acpi_devs=QEMU_ACPI_DEVS[:-1],
        extra=dict(XEN_HYP_FILES, **{"sys/hypervisor/version/minor": "13\n", "proc/xen/capabilities": ""})),
        cpuid_dump(CLX_VM, [v, hv_xen((4, 13), base=0x40000100)]), hypervisor="xen")


@machine
def xen_pv():
    c = dict(HSW_2676, brand="Intel(R) Xeon(R) CPU E5-2640 v3 @ 2.60GHz")
    emit("xen-pv-domu-centos7", lambda r: std(
        r, None, None, None, vm_cpuinfo(c, n=1), "3.10.0-1160.el7.x86_64", pci_bus=False,
        extra=dict(XEN_HYP_FILES, **{"proc/xen/capabilities": "", "sys/hypervisor/version/minor": "4\n",
                                     "sys/hypervisor/version/extra": ".4-47.el7\n"})),
        cpuid_dump(c, [hv_xen((4, 4))], ncpu=1), hypervisor="xen")


# ====================================================================== VirtualBox / Parallels / others
def dmi_vbox(u):
    return dict(bios_date="12/01/2006", bios_vendor="innotek GmbH", bios_version="VirtualBox",
                board_asset_tag="", board_name="VirtualBox", board_serial="0", board_vendor="Oracle Corporation",
                board_version="1.2", chassis_asset_tag="", chassis_serial="", chassis_type="1",
                chassis_vendor="Oracle Corporation", chassis_version="", product_family="Virtual Machine",
                product_name="VirtualBox", product_serial="0", product_sku="", product_uuid=u,
                product_version="1.2", sys_vendor="innotek GmbH")


def pci_vbox(vmsvga=True, ahci=True):
    d = [("0000:00:00.0", 0x8086, 0x1237, 0x0000, 0x0000, 0x060000),
         ("0000:00:01.0", 0x8086, 0x7000, 0x0000, 0x0000, 0x060100),
         ("0000:00:01.1", 0x8086, 0x7111, 0x0000, 0x0000, 0x01018a),
         ("0000:00:02.0", 0x15ad, 0x0405, 0x15ad, 0x0405, 0x030000) if vmsvga else
         ("0000:00:02.0", 0x80ee, 0xbeef, 0x0000, 0x0000, 0x030000),
         ("0000:00:03.0", 0x8086, 0x100e, 0x8086, 0x001e, 0x020000),
         ("0000:00:04.0", 0x80ee, 0xcafe, 0x0000, 0x0000, 0x088000),
         ("0000:00:05.0", 0x8086, 0x2415, 0x8086, 0x0000, 0x040100),
         ("0000:00:06.0", 0x106b, 0x003f, 0x0000, 0x0000, 0x0c0310),
         ("0000:00:07.0", 0x8086, 0x7113, 0x0000, 0x0000, 0x068000)]
    if ahci:
        d.append(("0000:00:0d.0", 0x8086, 0x2829, 0x0000, 0x0000, 0x010601))
    return d


VBOX_ACPI_DEVS = ["LNXCPU:00", "LNXPWRBN:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0303:00", "PNP0A03:00",
                  "PNP0B00:00", "PNP0C0A:00", "PNP0F03:00", "VBOX0000:00"]


@machine
def vbox6_default():
    u = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"
    c = dict(I7_10710, max_basic=0x16, ecx1=0xfeda3203, edx1=0x178bfbff)
    emit("virtualbox6-default-paravirt-kvm-ubuntu2004", lambda r: std(
        r, dmi_vbox(u), acpi_vbox(), pci_vbox(), vm_cpuinfo(c, n=2), "5.4.0-174-generic",
        smbios=dict(version=(2, 5), vm=False, uuid=u, oem_strings=["vboxVer_6.1.50", "vboxRev_161033"]),
        acpi_devs=VBOX_ACPI_DEVS),
        cpuid_dump(c, [hv_kvm(0x00000019)]), hypervisor="virtualbox")


@machine
def vbox7_efi_kvm():
    u = "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b"
    d = dmi_vbox(u)
    c = dict(RYZEN_3700X, ecx1=0xfed83203)
    emit("virtualbox7-efi-kvm-paravirt-fedora40", lambda r: std(
        r, d, acpi_vbox() + [("BGRT", "BGRT", 1, "VBOX", "VBOXBGRT", 2, "VBOX", 1, 0x38)], pci_vbox(),
        vm_cpuinfo(c, n=4), "6.8.5-301.fc40.x86_64", efi=True,
        smbios=dict(version=(2, 5), vm=False, uefi=True, uuid=u, oem_strings=["vboxVer_7.0.18", "vboxRev_162988"]),
        acpi_devs=VBOX_ACPI_DEVS),
        cpuid_dump(c, [hv_kvm(0x00000019)], ncpu=4), hypervisor="virtualbox")


@machine
def vbox7_hyperv():
    u = "3b4c5d6e-7f80-4912-a3b4-c5d6e7f8091a"
    c = dict(I7_12700, max_basic=0x16, ecx1=0xfeda3203, edx1=0x178bfbff)
    hv = hv_hyperv(0x40000006, (0x1bbc, 6, 1), features=(0x00002e7f, 0, 0, 0x00000400), hw=(0, 0, 0, 0))
    emit("virtualbox7-hyperv-paravirt-rhel9", lambda r: std(
        r, dmi_vbox(u), acpi_vbox(), pci_vbox(), vm_cpuinfo(c), "5.14.0-362.8.1.el9_3.x86_64",
        smbios=dict(version=(2, 5), vm=False, uuid=u, oem_strings=["vboxVer_7.0.14", "vboxRev_161095"]),
        acpi_devs=VBOX_ACPI_DEVS),
        cpuid_dump(c, [hv]), hypervisor="virtualbox")


@machine
def vbox_minimal():
    u = "4c5d6e7f-8091-4a2b-b3c4-d5e6f7a8b9c0"
    c = dict(I9_9900K, max_basic=0x16, ecx1=0xfeda3203, edx1=0x178bfbff)
    v = hv_sig("VBoxVBoxVBox", 0x40000010, [(i, 0, 0, 0, 0) for i in range(1, 0x10)] + [(0x10, 3600000, 1000000, 0, 0)])
    emit("virtualbox6-minimal-paravirt-bios-debian11", lambda r: std(
        r, dmi_vbox(u), acpi_vbox(), pci_vbox(vmsvga=False, ahci=False), vm_cpuinfo(c), "5.10.0-28-amd64",
        smbios=dict(version=(2, 5), vm=False, uuid=u, oem_strings=["vboxVer_6.1.40", "vboxRev_154048"]),
        acpi_devs=VBOX_ACPI_DEVS),
        cpuid_dump(c, [v]), hypervisor="virtualbox")


@machine
def parallels():
    u = "5d6e7f80-91a2-4b3c-c4d5-e6f7a8b9c0d1"
    d = dict(bios_date="10/26/2020", bios_release="0.0", bios_vendor="Parallels Software International Inc.",
             bios_version="16.1.0 (48950)", board_asset_tag="None", board_name="Parallels Virtual Platform",
             board_serial="None", board_vendor="Parallels Software International Inc.", board_version="None",
             chassis_asset_tag="None", chassis_serial="None", chassis_type="2",
             chassis_vendor="Parallels Software International Inc.", chassis_version="None",
             product_family="Parallels VM", product_name="Parallels Virtual Platform",
             product_serial="Parallels-5D 6E 7F 80 91 A2 4B 3C C4 D5 E6 F7 A8 B9 C0 D1", product_sku="Undefined",
             product_uuid=u, product_version="None", sys_vendor="Parallels Software International Inc.")
    acpi = [("APIC", "APIC", 1, "PRLS", "PRLS_APC", 1, "PRLS", 1, 0x68),
            ("DSDT", "DSDT", 1, "PRLS", "PRLS_DST", 1, "INTL", 0x20061109, 0x3f08),
            ("FACP", "FACP", 4, "PRLS", "PRLS_FCP", 1, "PRLS", 1, 0xf4), FACS,
            ("HPET", "HPET", 1, "PRLS", "PRLS_HPT", 1, "PRLS", 1, 0x38),
            ("MCFG", "MCFG", 1, "PRLS", "PRLS_MCF", 1, "PRLS", 1, 0x3c),
            ("SSDT", "SSDT", 1, "PRLS", "PRLS_SST", 1, "INTL", 0x20061109, 0x2a2)]
    pci = [("0000:00:00.0", 0x8086, 0x29c0, 0x1ab8, 0x0400, 0x060000),
           ("0000:00:01.0", 0x8086, 0x29c1, 0x0000, 0x0000, 0x060400),
           ("0000:00:05.0", 0x8086, 0x2829, 0x1ab8, 0x0400, 0x010601),
           ("0000:00:0a.0", 0x1ab8, 0x4000, 0x1ab8, 0x0400, 0x00ff00),
           ("0000:00:0e.0", 0x8086, 0x2448, 0x0000, 0x0000, 0x060401),
           ("0000:00:1d.0", 0x8086, 0x2934, 0x1ab8, 0x0400, 0x0c0300),
           ("0000:00:1d.6", 0x8086, 0x293a, 0x1ab8, 0x0400, 0x0c0320),
           ("0000:00:1e.0", 0x8086, 0x244e, 0x0000, 0x0000, 0x060401),
           ("0000:00:1f.0", 0x8086, 0x2918, 0x1ab8, 0x0400, 0x060100),
           ("0000:00:1f.3", 0x8086, 0x2930, 0x1ab8, 0x0400, 0x0c0500),
           ("0000:01:00.0", 0x1ab8, 0x4005, 0x1ab8, 0x0400, 0x030000),
           ("0000:02:00.0", 0x1af4, 0x1000, 0x1af4, 0x0001, 0x020000)]
    c = dict(I9_9880H, max_basic=0x16, ecx1=0xfeda3203)
    emit("parallels16-intel-mac-ubuntu2004", lambda r: std(
        r, d, acpi, pci, vm_cpuinfo(c), "5.4.0-174-generic", smbios=dict(version=(2, 7), vm=True, uuid=u),
        acpi_devs=["LNXCPU:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0103:00", "PNP0A08:00", "PNP0C0A:00", "PRL4005:00"]),
        cpuid_dump(c, [hv_sig(" lrpepyh  vr", 0x40000010, [(i, 0, 0, 0, 0) for i in range(1, 0x10)] + [(0x10, 2304000, 1000000, 0, 0)])]),
        hypervisor="parallels")


@machine
def bhyve():
    u = "6e7f8091-a2b3-4c4d-d5e6-f7a8b9c0d1e2"
    d = dict(bios_date="03/14/2014", bios_release="0.0", bios_vendor="BHYVE", bios_version="14.0",
             board_asset_tag="None", board_name="BHYVE", board_serial="None", board_vendor=" ",
             board_version="1.0", chassis_asset_tag="None", chassis_serial="None", chassis_type="1",
             chassis_vendor=" ", chassis_version="1.0", product_family=" ", product_name="BHYVE",
             product_serial="None", product_sku="None", product_uuid=u, product_version="1.0", sys_vendor=" ")
    acpi = [("APIC", "APIC", 1, "BHYVE", "BVMADT", 1, "INTL", 0x20230628, 0x5a),
            ("DSDT", "DSDT", 2, "BHYVE", "BVDSDT", 1, "INTL", 0x20230628, 0x8c2),
            ("FACP", "FACP", 5, "BHYVE", "BVFACP", 1, "INTL", 0x20230628, 0x10c), FACS,
            ("HPET", "HPET", 1, "BHYVE", "BVHPET", 1, "INTL", 0x20230628, 0x38),
            ("MCFG", "MCFG", 1, "BHYVE", "BVMCFG", 1, "INTL", 0x20230628, 0x3c),
            ("SPCR", "SPCR", 1, "BHYVE", "BVSPCR", 1, "INTL", 0x20230628, 0x50)]
    pci = [("0000:00:00.0", 0x1275, 0x1275, 0x0000, 0x0000, 0x060000),
           ("0000:00:03.0", 0x1af4, 0x1001, 0x1af4, 0x0002, 0x018000),
           ("0000:00:04.0", 0x1af4, 0x1000, 0x1af4, 0x0001, 0x020000),
           ("0000:00:1d.0", 0x8086, 0x7000, 0x0000, 0x0000, 0x060100),
           ("0000:00:1e.0", 0xfb5d, 0x40fb, 0x0000, 0x0000, 0x030000),
           ("0000:00:1f.0", 0x8086, 0x7000, 0x0000, 0x0000, 0x060100)]
    c = dict(CLX_VM, brand="Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz")
    emit("bhyve-freebsd14-uefi-debian12", lambda r: std(
        r, d, acpi, pci, vm_cpuinfo(c), "6.1.0-18-amd64", efi=True,
        smbios=dict(version=(2, 8), vm=False, uefi=True, uuid=u),
        acpi_devs=["LNXCPU:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0103:00", "PNP0A03:00", "PNP0B00:00", "PNP0501:00"]),
        cpuid_dump(c, [hv_sig("bhyve bhyve ", 0x40000000)]), hypervisor="bhyve")


@machine
def firecracker_old():
    c = dict(CLX_VM, brand="Intel(R) Xeon(R) Processor @ 2.50GHz")
    emit("firecracker-1.4-noacpi-lambda-like", lambda r: std(
        r, None, None, None, vm_cpuinfo(c, n=2), "5.10.186", pci_bus=False),
        cpuid_dump(c, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="firecracker",
        platform_accept=["firecracker", None])


@machine
def firecracker_acpi():
    acpi = [("APIC", "APIC", 6, "FIRECK", "FCVMMADT", 0, "FCAT", 0x20240119, 0x48),
            ("DSDT", "DSDT", 2, "FIRECK", "FCVMDSDT", 0, "FCAT", 0x20240119, 0xf53),
            ("FACP", "FACP", 6, "FIRECK", "FCVMFADT", 0, "FCAT", 0x20240119, 0x114, "FIRECKVM")]
    c = dict(EPYC_QEMU, brand="AMD EPYC")
    emit("firecracker-1.7-acpi-amzn2023", lambda r: std(
        r, None, acpi, None, vm_cpuinfo(c, n=2), "6.1.84-99.169.amzn2023.x86_64", pci_bus=False,
        acpi_devs=["ACPI0013:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0303:00", "PNP0501:00", "VMGENCTR:00", "device:00"]),
        cpuid_dump(c, [hv_kvm(0x01007efb)]), hypervisor="kvm", platform="firecracker")


@machine
def cloud_hypervisor():
    u = "7f8091a2-b3c4-4d5e-e6f7-a8b9c0d1e2f3"
    d = dict(bios_date="", bios_vendor="cloud-hypervisor", bios_version="0", product_name="cloud-hypervisor",
             product_uuid=u, sys_vendor="Cloud Hypervisor", chassis_type="1")
    acpi = [("APIC", "APIC", 5, "CLOUDH", "CHMADT", 1, "RVAT", 0x1000000, 0x54),
            ("DSDT", "DSDT", 6, "CLOUDH", "CHDSDT", 1, "RVAT", 0x1000000, 0x1c28),
            ("FACP", "FACP", 6, "CLOUDH", "CHFACP", 1, "RVAT", 0x1000000, 0x114, "CLOUDHYP"),
            ("MCFG", "MCFG", 1, "CLOUDH", "CHMCFG", 1, "RVAT", 0x1000000, 0x3c)]
    pci = [("0000:00:00.0", 0x8086, 0x0d57, 0x0000, 0x0000, 0x060000),
           ("0000:00:01.0", 0x1af4, 0x1043, 0x1af4, 0x1100, 0x078000),
           ("0000:00:02.0", 0x1af4, 0x1042, 0x1af4, 0x1100, 0x018000),
           ("0000:00:03.0", 0x1af4, 0x1041, 0x1af4, 0x1100, 0x020000),
           ("0000:00:04.0", 0x1af4, 0x1044, 0x1af4, 0x1100, 0xffff00)]
    emit("cloud-hypervisor-38-ubuntu2204", lambda r: std(
        r, d, acpi, pci, vm_cpuinfo(EPYC_QEMU), "5.15.0-105-generic", efi=False,
        smbios=dict(version=(3, 2), vm=False, uuid=u),
        acpi_devs=["ACPI0010:00", "LNXSYBUS:00", "LNXSYSTM:00", "PNP0501:00", "PNP0A08:00"]),
        cpuid_dump(EPYC_QEMU, [hv_kvm(0x01007afb)]), hypervisor="kvm", platform="cloud-hypervisor")


@machine
def xen_dom0():
    u = "4c4c4544-0051-3510-8034-b4c04f4e5a32"
    d = dict(bios_date="06/13/2023", bios_release="2.19", bios_vendor="Dell Inc.", bios_version="2.19.1",
             board_asset_tag="", board_name="06WXJT", board_serial=".7Q5Z4Z2.CNFCP0012K0123.", board_vendor="Dell Inc.",
             board_version="A07", chassis_asset_tag="", chassis_serial="7Q5Z4Z2", chassis_type="23",
             chassis_vendor="Dell Inc.", chassis_version="", product_family="PowerEdge", product_name="PowerEdge R740",
             product_serial="7Q5Z4Z2", product_sku="SKU=NotProvided;ModelName=PowerEdge R740", product_uuid=u,
             product_version="", sys_vendor="Dell Inc.")
    acpi = acpi_oem("DELL", "PE_SC3", "DELL", 1, ["APIC", "BERT", "DMAR", "EINJ", "ERST", "HEST", "HPET", "MCFG",
                                                  "MIGT", "MSCT", "PCAT", "PCCT", "RASF", "SLIT", "SPCR", "SPMI",
                                                  "SRAT", "SVOS", "WSMT"], ssdts=4, ssdt_ids=["SpsNm", "SpsNvs", "PM_Core"])
    pci = pci_dell_r740()
    c = CLX_6248
    xen = dict(XEN_HYP_FILES, **{"proc/xen/capabilities": "control_d\n", "sys/hypervisor/uuid": "00000000-0000-0000-0000-000000000000\n"})
    emit("xen-dom0-xcpng-poweredge-r740", lambda r: std(
        r, d, acpi, pci, vm_cpuinfo(dict(c, max_basic=0xd), n=2, microcode="0x5003604"), "4.19.0+1", efi=True,
        smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u), extra=xen),
        cpuid_dump(dict(c, ecx1=0xfffa3203), [hv_xen((4, 17))]), hypervisor="xen", role="host")


# ====================================================================== bare metal
def pci_dell_r740():
    return [("0000:00:00.0", 0x8086, 0x2020, 0x1028, 0x0716, 0x060000),
            ("0000:00:04.0", 0x8086, 0x2021, 0x1028, 0x0716, 0x088000),
            ("0000:00:08.0", 0x8086, 0x2014, 0x1028, 0x0716, 0x088000),
            ("0000:00:11.5", 0x8086, 0xa1d2, 0x1028, 0x0716, 0x010601),
            ("0000:00:14.0", 0x8086, 0xa1af, 0x1028, 0x0716, 0x0c0330),
            ("0000:00:16.0", 0x8086, 0xa1ba, 0x1028, 0x0716, 0x078000),
            ("0000:00:17.0", 0x8086, 0xa182, 0x1028, 0x0716, 0x010601),
            ("0000:00:1c.0", 0x8086, 0xa190, 0x0000, 0x0000, 0x060400),
            ("0000:00:1f.0", 0x8086, 0xa1c1, 0x1028, 0x0716, 0x060100),
            ("0000:00:1f.4", 0x8086, 0xa1a3, 0x1028, 0x0716, 0x0c0500),
            ("0000:01:00.0", 0x14e4, 0x165f, 0x1028, 0x0740, 0x020000),
            ("0000:01:00.1", 0x14e4, 0x165f, 0x1028, 0x0740, 0x020000),
            ("0000:03:00.0", 0x102b, 0x0536, 0x1028, 0x0716, 0x030000),
            ("0000:18:00.0", 0x1000, 0x0016, 0x1028, 0x1fe9, 0x010400),
            ("0000:3b:00.0", 0x8086, 0x1572, 0x8086, 0x0006, 0x020000),
            ("0000:3b:00.1", 0x8086, 0x1572, 0x8086, 0x0000, 0x020000)]


@machine
def dell_r740():
    u = "4c4c4544-0048-4e10-8058-c2c04f4b3132"
    d = dict(bios_date="06/13/2023", bios_release="2.19", bios_vendor="Dell Inc.", bios_version="2.19.1",
             board_asset_tag="", board_name="06WXJT", board_serial=".HN0XK12.CNFCP0099D0456.", board_vendor="Dell Inc.",
             board_version="A07", chassis_asset_tag="", chassis_serial="HN0XK12", chassis_type="23",
             chassis_vendor="Dell Inc.", chassis_version="", product_family="PowerEdge", product_name="PowerEdge R740",
             product_serial="HN0XK12", product_sku="SKU=NotProvided;ModelName=PowerEdge R740", product_uuid=u,
             product_version="", sys_vendor="Dell Inc.")
    acpi = acpi_oem("DELL", "PE_SC3", "DELL", 1, ["APIC", "BERT", "DMAR", "EINJ", "ERST", "HEST", "HPET", "MCFG",
                                                  "MIGT", "MSCT", "PCAT", "PCCT", "RASF", "SLIT", "SPCR", "SPMI",
                                                  "SRAT", "SVOS", "WSMT"], ssdts=4, ssdt_ids=["SpsNm", "SpsNvs", "PM_Core"])
    emit("bare-dell-poweredge-r740-rhel9", lambda r: std(
        r, d, acpi, pci_dell_r740(), bare_cpuinfo(CLX_6248, n=2), "5.14.0-362.8.1.el9_3.x86_64", efi=True,
        smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u)),
        cpuid_dump(CLX_6248, None, bare=True), hypervisor="none")


@machine
def hpe_dl380():
    u = "37383638-3330-4d32-3230-323630315a4b"
    d = dict(bios_date="03/08/2022", bios_release="2.62", bios_vendor="HPE", bios_version="U30",
             board_asset_tag="", board_name="ProLiant DL380 Gen10", board_serial="PWARA0ARHC3073", board_vendor="HPE",
             board_version="", chassis_asset_tag="", chassis_serial="MXQ02601ZK", chassis_type="23",
             chassis_vendor="HPE", chassis_version="", product_family="ProLiant", product_name="ProLiant DL380 Gen10",
             product_serial="MXQ02601ZK", product_sku="868703-B21", product_uuid=u, product_version="",
             sys_vendor="HPE", ec_firmware_release="2.78")
    acpi = acpi_oem("HPE", "Server", "INTL", 0x20160422, ["APIC", "BERT", "DMAR", "EINJ", "ERST", "HEST", "HPET",
                                                            "MCFG", "MSCT", "PCCT", "SLIT", "SPCR", "SPMI", "SRAT",
                                                            "WSMT", "BGRT"], oemrev=2, ssdts=6)
    pci = [("0000:00:00.0", 0x8086, 0x2020, 0x1590, 0x00e4, 0x060000),
           ("0000:00:14.0", 0x8086, 0xa1af, 0x1590, 0x00e4, 0x0c0330),
           ("0000:00:17.0", 0x8086, 0xa182, 0x1590, 0x00e4, 0x010601),
           ("0000:00:1f.0", 0x8086, 0xa1c1, 0x1590, 0x00e4, 0x060100),
           ("0000:01:00.0", 0x103c, 0x3306, 0x1590, 0x00e4, 0xff0000),
           ("0000:01:00.1", 0x102b, 0x0538, 0x1590, 0x00e4, 0x030000),
           ("0000:01:00.2", 0x103c, 0x3307, 0x1590, 0x00e4, 0xff0000),
           ("0000:02:00.0", 0x14e4, 0x1657, 0x103c, 0x22be, 0x020000),
           ("0000:5c:00.0", 0x9005, 0x028f, 0x1590, 0x0280, 0x010700)]
    emit("bare-hpe-proliant-dl380-gen10-sles15", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(PLAT_8280, n=2), "5.14.21-150500.55.52-default", efi=True,
        smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u)),
        cpuid_dump(PLAT_8280, None, bare=True), hypervisor="none")


@machine
def thinkpad():
    u = "a1b2c3d4-5e6f-11b2-a85c-f1e2d3c4b5a6"
    d = dict(bios_date="09/04/2023", bios_release="1.51", bios_vendor="LENOVO", bios_version="N32ET75W (1.51 )",
             board_asset_tag="Not Available", board_name="20XW0055US", board_serial="L1HF12A0ABC",
             board_vendor="LENOVO", board_version="SDK0J40697 WIN", chassis_asset_tag="No Asset Information",
             chassis_serial="PF2XABCD", chassis_type="10", chassis_vendor="LENOVO", chassis_version="None",
             product_family="ThinkPad X1 Carbon Gen 9", product_name="20XW0055US", product_serial="PF2XABCD",
             product_sku="LENOVO_MT_20XW_BU_Think_FM_ThinkPad X1 Carbon Gen 9", product_uuid=u,
             product_version="ThinkPad X1 Carbon Gen 9", sys_vendor="LENOVO", ec_firmware_release="1.32")
    acpi = acpi_oem("LENOVO", "TP-N32", "PTEC", 2, ["APIC", "BATB", "BGRT", "DBGP", "DBG2", "DMAR", "ECDT", "FPDT",
                                                   "HPET", "LPIT", "MCFG", "MSDM", "NHLT", "PHAT", "POAT", "SDEV",
                                                   "SSDT", "TPM2", "UEFI", "WSMT"], fadt_rev=5, oemrev=0x1510, ssdts=14)
    pci = [("0000:00:00.0", 0x8086, 0x9a14, 0x17aa, 0x22d8, 0x060000),
           ("0000:00:02.0", 0x8086, 0x9a49, 0x17aa, 0x22d8, 0x030000),
           ("0000:00:04.0", 0x8086, 0x9a03, 0x17aa, 0x22d8, 0x118000),
           ("0000:00:07.0", 0x8086, 0x9a23, 0x0000, 0x0000, 0x060400),
           ("0000:00:0d.0", 0x8086, 0x9a13, 0x17aa, 0x22d8, 0x0c0330),
           ("0000:00:14.0", 0x8086, 0xa0ed, 0x17aa, 0x22d8, 0x0c0330),
           ("0000:00:14.3", 0x8086, 0xa0f0, 0x8086, 0x0074, 0x028000),
           ("0000:00:15.0", 0x8086, 0xa0e8, 0x17aa, 0x22d8, 0x0c8000),
           ("0000:00:16.0", 0x8086, 0xa0e0, 0x17aa, 0x22d8, 0x078000),
           ("0000:00:1f.0", 0x8086, 0xa082, 0x17aa, 0x22d8, 0x060100),
           ("0000:00:1f.3", 0x8086, 0xa0c8, 0x17aa, 0x22d8, 0x040100),
           ("0000:00:1f.4", 0x8086, 0xa0a3, 0x17aa, 0x22d8, 0x0c0500),
           ("0000:00:1f.5", 0x8086, 0xa0a4, 0x17aa, 0x22d8, 0x0c8000),
           ("0000:04:00.0", 0x144d, 0xa809, 0x144d, 0xa801, 0x010802)]
    emit("bare-lenovo-thinkpad-x1c9-fedora40", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(I7_1165, n=8, level="tgl", microcode="0xb4"), "6.8.9-300.fc40.x86_64",
        efi=True, smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u, oem_strings=["BRANCH:N32ET75W"])),
        cpuid_dump(I7_1165, None, ncpu=2, bare=True), hypervisor="none")


@machine
def supermicro():
    u = "00000000-0000-0000-0000-ac1f6b4d2e10"
    d = dict(bios_date="10/21/2021", bios_release="5.14", bios_vendor="American Megatrends Inc.", bios_version="3.6",
             board_asset_tag="To be filled by O.E.M.", board_name="X11DPU", board_serial="ZM19AS012345",
             board_vendor="Supermicro", board_version="1.10", chassis_asset_tag="To be filled by O.E.M.",
             chassis_serial="C2190KH12A34567", chassis_type="17", chassis_vendor="Supermicro",
             chassis_version="0123456789", product_family="To be filled by O.E.M.", product_name="SYS-2029U-TR4",
             product_serial="S123456X0A12345", product_sku="To be filled by O.E.M.", product_uuid=u,
             product_version="0123456789", sys_vendor="Supermicro")
    acpi = acpi_oem("SUPERM", "SMCI--MB", "INTL", 0x20091013, ["APIC", "BDAT", "DMAR", "HEST", "BERT", "ERST",
                                                              "EINJ", "HPET", "MCFG", "MIGT", "MSCT", "PCAT", "PCCT",
                                                              "SLIT", "SPCR", "SRAT", "SVOS", "WSMT", "FPDT"],
                    oemrev=0x01072009, ssdts=5)
    pci = [("0000:00:00.0", 0x8086, 0x2020, 0x15d9, 0x095d, 0x060000),
           ("0000:00:11.5", 0x8086, 0xa1d2, 0x15d9, 0x095d, 0x010601),
           ("0000:00:14.0", 0x8086, 0xa1af, 0x15d9, 0x095d, 0x0c0330),
           ("0000:00:1f.0", 0x8086, 0xa1c2, 0x15d9, 0x095d, 0x060100),
           ("0000:00:1f.6", 0x8086, 0x15b9, 0x15d9, 0x095d, 0x020000),
           ("0000:04:00.0", 0x1a03, 0x2000, 0x15d9, 0x095d, 0x030000),
           ("0000:18:00.0", 0x8086, 0x37c0, 0x0000, 0x0000, 0x060400),
           ("0000:1a:00.0", 0x8086, 0x37d2, 0x15d9, 0x37d2, 0x020000),
           ("0000:5e:00.0", 0x144d, 0xa808, 0x144d, 0xa801, 0x010802)]
    emit("bare-supermicro-x11dpu-ubuntu2204", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(CLX_6248, n=2), "5.15.0-105-generic", efi=False,
        smbios=dict(version=(3, 2), vm=False, uefi=False, uuid=u)),
        cpuid_dump(CLX_6248, None, bare=True), hypervisor="none")


@machine
def surface():
    u = "2f8e1a7c-4b3d-0a9e-5c6f-7d8e9f0a1b2c"
    d = dict(bios_date="08/10/2023", bios_release="255.255", bios_vendor="Microsoft Corporation",
             bios_version="14.300.140", board_asset_tag="", board_name="Surface Pro 7", board_serial="A12345678901234A",
             board_vendor="Microsoft Corporation", board_version="", chassis_asset_tag="", chassis_serial="012345678951",
             chassis_type="9", chassis_vendor="Microsoft Corporation", chassis_version="", product_family="Surface",
             product_name="Surface Pro 7", product_serial="012345678951", product_sku="Surface_Pro_7_1866",
             product_uuid=u, product_version="124I:00036T:000M:0300000D:11:14", sys_vendor="Microsoft Corporation",
             ec_firmware_release="255.255")
    acpi = acpi_oem("MSFT", "MSFT", "MSFT", 0x5000000, ["APIC", "BGRT", "DBGP", "DBG2", "DMAR", "FPDT", "LPIT",
                                                       "MCFG", "NHLT", "SSDT", "TPM2", "UEFI", "WSMT", "MSDM"],
                    fadt_rev=6, oemrev=0x1, ssdts=8, ssdt_ids=["CpuSsdt", "SaSsdt", "PtidDevc", "Ther_Rvp"])
    pci = [("0000:00:00.0", 0x8086, 0x8a12, 0x8086, 0x7270, 0x060000),
           ("0000:00:02.0", 0x8086, 0x8a56, 0x8086, 0x7270, 0x030000),
           ("0000:00:14.0", 0x8086, 0x34ed, 0x8086, 0x7270, 0x0c0330),
           ("0000:00:14.3", 0x8086, 0x34f0, 0x8086, 0x0074, 0x028000),
           ("0000:00:15.0", 0x8086, 0x34e8, 0x8086, 0x7270, 0x0c8000),
           ("0000:00:16.0", 0x8086, 0x34e0, 0x8086, 0x7270, 0x078000),
           ("0000:00:1f.0", 0x8086, 0x3482, 0x8086, 0x7270, 0x060100),
           ("0000:00:1f.3", 0x8086, 0x34c8, 0x8086, 0x7270, 0x040100),
           ("0000:01:00.0", 0x1c5c, 0x1327, 0x1c5c, 0x1327, 0x010802)]
    emit("bare-microsoft-surface-pro7-ubuntu", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(I5_1035, n=8, level="icx", microcode="0xc6"), "6.8.1-surface-1",
        efi=True, smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u)),
        cpuid_dump(I5_1035, None, bare=True), hypervisor="none")


@machine
def homebuilt_asrock():
    u = "03000200-0400-0500-0006-000700080009"
    d = dict(bios_date="02/24/2023", bios_release="5.17", bios_vendor="American Megatrends Inc.", bios_version="P5.90",
             board_asset_tag="", board_name="B450M Pro4", board_serial="M80-C4003100123", board_vendor="ASRock",
             board_version="", chassis_asset_tag="To Be Filled By O.E.M.", chassis_serial="To Be Filled By O.E.M.",
             chassis_type="3", chassis_vendor="To Be Filled By O.E.M.", chassis_version="To Be Filled By O.E.M.",
             product_family="To Be Filled By O.E.M.", product_name="To Be Filled By O.E.M.",
             product_serial="To Be Filled By O.E.M.", product_sku="To Be Filled By O.E.M.", product_uuid=u,
             product_version="To Be Filled By O.E.M.", sys_vendor="To Be Filled By O.E.M.")
    acpi = acpi_oem("ALASKA", "A M I", "AMI", 0x10013, ["APIC", "BGRT", "CDIT", "CRAT", "FIDT", "FPDT", "HPET",
                                                       "IVRS", "MCFG", "VFCT", "WSMT"], oemrev=0x01072009, ssdts=7)
    pci = [("0000:00:00.0", 0x1022, 0x1480, 0x1849, 0x1480, 0x060000),
           ("0000:00:00.2", 0x1022, 0x1481, 0x1849, 0x1481, 0x080600),
           ("0000:00:01.0", 0x1022, 0x1482, 0x0000, 0x0000, 0x060000),
           ("0000:00:14.0", 0x1022, 0x790b, 0x1849, 0xffff, 0x0c0500),
           ("0000:00:14.3", 0x1022, 0x790e, 0x1849, 0xffff, 0x060100),
           ("0000:01:00.0", 0x1022, 0x43d5, 0x1b21, 0x1142, 0x0c0330),
           ("0000:01:00.1", 0x1022, 0x43c8, 0x1b21, 0x1062, 0x010601),
           ("0000:03:00.0", 0x10ec, 0x8168, 0x1849, 0x8168, 0x020000),
           ("0000:07:00.0", 0x10de, 0x2484, 0x1462, 0x3909, 0x030000),
           ("0000:08:00.0", 0x144d, 0xa80a, 0x144d, 0xa801, 0x010802)]
    emit("bare-homebuilt-asrock-b450m-ryzen-arch", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(RYZEN_3700X, n=16, microcode="0x8701030"), "6.9.1-arch1-1", efi=True,
        smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u)),
        cpuid_dump(RYZEN_3700X, None, ncpu=2, bare=True), hypervisor="none")


@machine
def homebuilt_gigabyte():
    u = "03d502e0-045e-0556-d006-3a0700080009"
    d = dict(bios_date="08/08/2023", bios_release="5.13", bios_vendor="American Megatrends Inc.", bios_version="F12",
             board_asset_tag="Default string", board_name="Z390 AORUS PRO", board_serial="Default string",
             board_vendor="Gigabyte Technology Co., Ltd.", board_version="x.x", chassis_asset_tag="Default string",
             chassis_serial="Default string", chassis_type="3", chassis_vendor="Default string",
             chassis_version="Default string", product_family="Z390 MB", product_name="Z390 AORUS PRO",
             product_serial="Default string", product_sku="Default string", product_uuid=u,
             product_version="Default string", sys_vendor="Gigabyte Technology Co., Ltd.")
    acpi = acpi_oem("ALASKA", "A M I", "AMI", 0x10013, ["APIC", "BGRT", "DMAR", "FIDT", "FPDT", "HPET", "LPIT",
                                                       "MCFG", "TPM2", "UEFI", "WSMT", "WDDT"], oemrev=0x01072009, ssdts=9)
    pci = [("0000:00:00.0", 0x8086, 0x3e30, 0x1458, 0x5000, 0x060000),
           ("0000:00:01.0", 0x8086, 0x1901, 0x1458, 0x5000, 0x060400),
           ("0000:00:14.0", 0x8086, 0xa36d, 0x1458, 0x5007, 0x0c0330),
           ("0000:00:17.0", 0x8086, 0xa352, 0x1458, 0xb005, 0x010601),
           ("0000:00:1f.0", 0x8086, 0xa305, 0x1458, 0x5001, 0x060100),
           ("0000:00:1f.6", 0x8086, 0x15bc, 0x1458, 0xe000, 0x020000),
           ("0000:01:00.0", 0x10de, 0x1f82, 0x1458, 0x401a, 0x030000)]
    emit("bare-homebuilt-gigabyte-z390-default-string", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(I9_9900K, n=16, level="skl", microcode="0xf8"), "6.1.0-18-amd64", efi=True,
        smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u)),
        cpuid_dump(I9_9900K, None, bare=True), hypervisor="none")


@machine
def intel_nuc():
    u = "d4b3c2a1-9f8e-7d6c-5b4a-1c697a0b2c3d"
    d = dict(bios_date="04/09/2021", bios_release="5.16", bios_vendor="Intel Corp.",
             bios_version="FNCML357.0052.2021.0409.1144", board_asset_tag="", board_name="NUC10i7FNB",
             board_serial="BTFN12345678", board_vendor="Intel corporation", board_version="K61360-302",
             chassis_asset_tag="", chassis_serial="", chassis_type="35", chassis_vendor="Intel Corporation",
             chassis_version="2.0", product_family="FN", product_name="NUC10i7FNH", product_serial="G6FN12345678",
             product_sku="BXNUC10i7FNH", product_uuid=u, product_version="K61362-302",
             sys_vendor="Intel(R) Client Systems", ec_firmware_release="1.6")
    acpi = acpi_oem("INTEL", "NUC10i7F", "AMI", 0x10013, ["APIC", "BGRT", "DMAR", "FIDT", "FPDT", "HPET", "LPIT",
                                                         "MCFG", "NHLT", "TPM2", "UEFI", "WSMT"], oemrev=0x01072009, ssdts=10)
    pci = [("0000:00:00.0", 0x8086, 0x9b51, 0x8086, 0x2081, 0x060000),
           ("0000:00:02.0", 0x8086, 0x9bca, 0x8086, 0x2081, 0x030000),
           ("0000:00:14.0", 0x8086, 0x02ed, 0x8086, 0x2081, 0x0c0330),
           ("0000:00:14.3", 0x8086, 0x02f0, 0x8086, 0x0074, 0x028000),
           ("0000:00:17.0", 0x8086, 0x02d3, 0x8086, 0x2081, 0x010601),
           ("0000:00:1f.0", 0x8086, 0x0284, 0x8086, 0x2081, 0x060100),
           ("0000:00:1f.6", 0x8086, 0x0d4f, 0x8086, 0x2081, 0x020000),
           ("0000:6d:00.0", 0x144d, 0xa808, 0x144d, 0xa801, 0x010802)]
    emit("bare-intel-nuc10-ubuntu2204", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(I7_10710, n=12, level="skl", microcode="0xf8"), "6.5.0-35-generic",
        efi=True, smbios=dict(version=(3, 2), vm=False, uefi=True, uuid=u)),
        cpuid_dump(I7_10710, None, bare=True), hypervisor="none")


@machine
def rpi4():
    emit("bare-raspberrypi4-raspios-arm64", lambda r: std(
        r, None, None, [("0000:00:00.0", 0x14e4, 0x2711, 0x0000, 0x0000, 0x060400),
                        ("0000:01:00.0", 0x1106, 0x3483, 0x1106, 0x3483, 0x0c0330)],
        arm_cpuinfo("0xd08", "0x0", 3, 4, bogo="108.00",
                    features="fp asimd evtstrm crc32 cpuid") +
        "Revision\t: c03114\nSerial\t\t: 10000000abcdef01\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n",
        "6.6.20+rpt-rpi-v8",
        extra={"proc/device-tree/compatible": b"raspberrypi,4-model-b\0brcm,bcm2711\0",
               "proc/device-tree/model": b"Raspberry Pi 4 Model B Rev 1.4\0",
               "proc/device-tree/serial-number": b"10000000abcdef01\0",
               "proc/device-tree/chosen/bootargs": b"coherent_pool=1M 8250.nr_uarts=1 console=ttyS0,115200 root=PARTUUID=1234abcd-02 rootwait\0"}),
        None, hypervisor="none")


@machine
def ampere():
    u = "2a4b6c8d-0e1f-4a3b-8c5d-7e9f1a3b5c7d"
    d = dict(bios_date="05/31/2022", bios_release="2.6", bios_vendor="GIGABYTE", bios_version="F31h (SCP: 2.10.20220531)",
             board_asset_tag="01234567890123456789AB", board_name="MP32-AR1-00", board_serial="JGN5N3200123",
             board_vendor="GIGABYTE", board_version="01000100", chassis_asset_tag="01234567890123456789AB",
             chassis_serial="GJN5N3A00123", chassis_type="17", chassis_vendor="GIGABYTE", chassis_version="01234567",
             product_family="Server", product_name="R272-P31-00", product_serial="GJN5N3A00123",
             product_sku="01234567890123456789AB", product_uuid=u, product_version="0100", sys_vendor="GIGABYTE")
    acpi = acpi_oem("Ampere", "Altra", "AMP.", 0x1000013, ["APIC", "BERT", "DBG2", "GTDT", "HEST", "IORT", "MCFG",
                                                          "PCCT", "PPTT", "SDEI", "SLIT", "SPCR", "SRAT", "BGRT"],
                    fadt_rev=6, oemrev=2, ssdts=1)
    pci = [("0000:00:00.0", 0x1def, 0xe100, 0x0000, 0x0000, 0x060000),
           ("0000:00:01.0", 0x1def, 0xe101, 0x1def, 0xe101, 0x060400),
           ("0000:01:00.0", 0x1a03, 0x1150, 0x1a03, 0x1150, 0x060400),
           ("0000:02:00.0", 0x1a03, 0x2000, 0x1a03, 0x2000, 0x030000),
           ("0004:00:00.0", 0x1def, 0xe110, 0x0000, 0x0000, 0x060000),
           ("0004:01:00.0", 0x8086, 0x1589, 0x8086, 0x0001, 0x020000),
           ("0005:01:00.0", 0x144d, 0xa80a, 0x144d, 0xa801, 0x010802)]
    emit("bare-ampere-altra-gigabyte-r272-rocky9", lambda r: std(
        r, d, acpi, pci, arm_cpuinfo("0xd0c", "0x3", 1, 80, bogo="50.00"), "5.14.0-362.8.1.el9_3.aarch64",
        efi=True, smbios=dict(version=(3, 3), vm=False, uefi=True, uuid=u),
        extra={"proc/sys/kernel/arch": "aarch64\n"}),
        None, hypervisor="none")


# ====================================================================== harder, still real
@machine
def vmware_hidden_cpuid():
    # hypervisor.cpuid.v0 = "FALSE" (set to run software that refuses VMs, or for nested setups):
    # the hypervisor bit and the VMware leaves disappear; DMI, ACPI and the devices stay.
    u = "4223e5a1-0b7c-9d2e-3f41-5a6b7c8d9e0f"
    d = dmi_vmware_efi(u)
    c = dict(CLX_VM, ecx1=0x7ffa3203)
    emit("vmware-esxi7-cpuid-v0-false-rhel8", lambda r: std(
        r, d, acpi_vmware("VMWARE"), pci_vmware("vmxnet3", "pvscsi", efi=True),
        bare_cpuinfo(c, n=2, microcode="0x5003604").replace(" vmx smx", " vmx"), "4.18.0-513.5.1.el8_9.x86_64", efi=True,
        smbios=dict(version=(2, 7), vm=True, uefi=True, oem_strings=VMW_OEM, uuid=u), acpi_devs=VMW_ACPI),
        cpuid_dump(c, None, bare=True), hypervisor="vmware")


@machine
def kvm_hidden_gpu_passthrough():
    # libvirt <kvm><hidden state='on'/></kvm> plus -hypervisor (NVIDIA passthrough guides): no KVM leaves,
    # hypervisor bit clear. DMI, ACPI, PCI still QEMU.
    u = "9a8b7c6d-5e4f-4321-8765-0fedcba98765"
    d = dmi_qemu("Standard PC (Q35 + ICH9, 2009)", "pc-q35-8.2", "EDK II", "unknown", "02/02/2022", u=u)
    c = dict(I7_12700, max_basic=0x1f)
    pci = pci_qemu_q35(vga=(0x1234, 0x1111), extra=[("0000:07:00.0", 0x10de, 0x2204, 0x1462, 0x3881, 0x030000),
                                                   ("0000:07:00.1", 0x10de, 0x1aef, 0x1462, 0x3881, 0x040300)])
    emit("kvm-q35-hidden-gpu-passthrough-arch", lambda r: std(
        r, d, acpi_qemu(q35=True, ovmf=True), pci, bare_cpuinfo(c, n=8, level="tgl", microcode="0x1"), "6.9.1-arch1-1",
        efi=True, smbios=dict(version=(3, 0), vm=True, uefi=True, uuid=u), acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(c, None, bare=True), hypervisor="kvm")


@machine
def vbox_paravirt_none():
    u = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
    c = dict(I7_10710, max_basic=0x16, ecx1=0xfeda3203, edx1=0x178bfbff)
    emit("virtualbox6-paravirt-none-centos7", lambda r: std(
        r, dmi_vbox(u), acpi_vbox(), pci_vbox(vmsvga=False), vm_cpuinfo(c), "3.10.0-1160.el7.x86_64",
        smbios=dict(version=(2, 5), vm=False, uuid=u, oem_strings=["vboxVer_6.1.38", "vboxRev_153438"]),
        acpi_devs=VBOX_ACPI_DEVS),
        cpuid_dump(c, [(0x40000000, [(0, 0, 0, 0, 0)])]), hypervisor="virtualbox")


@machine
def chromebox():
    u = "00000000-0000-0000-0000-000000000000"
    d = dict(bios_date="08/29/2023", bios_vendor="coreboot", bios_version="MrChromebox-2305.1",
             board_name="Fizz", board_vendor="Google", board_version="1.0", chassis_type="3",
             chassis_vendor="Google", product_family="Google_Fizz", product_name="Fizz", product_serial="",
             product_sku="sku33", product_uuid=u, product_version="1.0", sys_vendor="Google")
    acpi = [("APIC", "APIC", 3, "CORE", "COREBOOT", 0, "CORE", 0x20230628, 0x8c),
            ("DMAR", "DMAR", 1, "CORE", "COREBOOT", 0, "CORE", 0x20230628, 0x88),
            ("DSDT", "DSDT", 2, "COREv4", "COREBOOT", 0x20110725, "INTL", 0x20230628, 0x7b9f),
            ("FACP", "FACP", 6, "CORE", "COREBOOT", 0, "CORE", 0x20230628, 0x114), FACS,
            ("HPET", "HPET", 1, "CORE", "COREBOOT", 0, "CORE", 0x20230628, 0x38),
            ("MCFG", "MCFG", 1, "CORE", "COREBOOT", 0, "CORE", 0x20230628, 0x3c),
            ("SSDT", "SSDT", 2, "CORE", "COREBOOT", 0x2a, "CORE", 0x20230628, 0x4f02),
            ("TPM2", "TPM2", 4, "CORE", "COREBOOT", 0, "CORE", 0x20230628, 0x4c)]
    pci = [("0000:00:00.0", 0x8086, 0x3e34, 0x8086, 0x7270, 0x060000),
           ("0000:00:02.0", 0x8086, 0x3ea0, 0x8086, 0x7270, 0x030000),
           ("0000:00:14.0", 0x8086, 0x9ded, 0x8086, 0x7270, 0x0c0330),
           ("0000:00:1f.0", 0x8086, 0x9d84, 0x8086, 0x7270, 0x060100),
           ("0000:01:00.0", 0x10ec, 0x8168, 0x10ec, 0x0123, 0x020000)]
    c = dict(I7_10710, fms=0x806ec, brand="Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz")
    emit("bare-google-chromebox-fizz-coreboot-ubuntu", lambda r: std(
        r, d, acpi, pci, bare_cpuinfo(c, n=8, level="skl", microcode="0xf4"), "6.5.0-35-generic", efi=True,
        smbios=dict(version=(3, 0), vm=False, uefi=True, uuid=u)),
        cpuid_dump(c, None, bare=True), hypervisor="none")


@machine
def nonroot_kvm():
    # Captured without root: the ACPI tables, the raw SMBIOS table and the serial/uuid files are 0400.
    d = dmi_qemu("Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-6.2", "SeaBIOS", "1.15.0-1", u="x")
    for k in ("product_uuid", "product_serial"):
        d.pop(k, None)
    emit("kvm-i440fx-nonroot-capture-ubuntu2204", lambda r: std(
        r, d, None, pci_qemu_i440fx(), vm_cpuinfo(EPYC_QEMU), "5.15.0-105-generic", acpi_devs=QEMU_ACPI_DEVS),
        cpuid_dump(EPYC_QEMU, [hv_kvm()]), hypervisor="kvm")


@machine
def nonroot_hyperv_gen2():
    u = "x"
    d = dmi_hyperv(2, None, "4123-8870-1120-5563-2290-4418-93", "Hyper-V UEFI Release v4.1", "04/06/2022",
                   "Hyper-V UEFI Release v4.1", u, "4.1")
    for k in ("product_uuid", "product_serial", "board_serial", "chassis_serial"):
        d.pop(k, None)
    emit("hyperv2022-gen2-nonroot-capture-fedora", lambda r: std(
        r, d, None, None, vm_cpuinfo(CLX_VM), "6.8.9-300.fc40.x86_64", efi=True, acpi_devs=HV_ACPI_GEN2,
        vmbus=hv_gen2_vmbus(9)),
        cpuid_dump(CLX_VM, [hv_hyperv(0x4000000c, (20348, 10, 0))]), hypervisor="hyperv", generation=2)
