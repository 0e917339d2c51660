/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The signature tables (see signatures.h). Strings are exactly what machines
 * give (FACTS.md); sources: the Linux kernel, systemd, virt-what, cloud-init,
 * and dumps of real machines.
 */
#include <string.h>

#include "signatures.h"

#define VM   SIG_VM_ONLY
#define QF   SIG_QEMU_FAMILY
#define ANY  SIG_PLATFORM_ANY_HV
#define SUP  SIG_SUPPORT_ONLY

static const struct cpuid_signature cpuid_signatures[] = {
	{ "KVMKVMKVM\0\0\0", { "kvm", NULL, VM, "KVM" } },
	{ "Linux KVM Hv",    { "kvm", NULL, VM, "KVM's Hyper-V emulation" } },
	{ "Microsoft Hv",    { "hyperv", NULL, VM, "Hyper-V (or a hypervisor's Hyper-V enlightenments)" } },
	{ "VMwareVMware",    { "vmware", NULL, VM, "VMware" } },
	{ "XenVMMXenVMM",    { "xen", NULL, VM, "Xen" } },
	{ "VBoxVBoxVBox",    { "virtualbox", NULL, VM, "VirtualBox" } },
	{ "TCGTCGTCGTCG",    { "qemu", NULL, VM, "QEMU TCG emulation (no KVM)" } },
	{ "bhyve bhyve ",    { "bhyve", NULL, VM, "bhyve" } },
	{ "ACRNACRNACRN",    { "acrn", NULL, VM, "ACRN" } },
	{ "QNXQVMBSQG\0\0",  { "qnx", NULL, VM, "QNX hypervisor" } },
	{ "LKVMLKVMLKVM",    { "kvm", "kvmtool", VM, "kvmtool (lkvm) on KVM" } },
	{ "OpenBSDVMM58",    { "vmm", NULL, VM, "OpenBSD vmm" } },
	{ " lrpepyh  vr",    { "parallels", NULL, VM, "Parallels" } },
	{ "Jailhouse\0\0\0", { "other", NULL, VM, "Jailhouse partitioning hypervisor" } },
};

const struct cpuid_signature *cpuid_signature_lookup(const char sig[12])
{
	for (size_t i = 0; i < sizeof(cpuid_signatures) / sizeof(cpuid_signatures[0]); i++)
		if (memcmp(cpuid_signatures[i].sig, sig, 12) == 0)
			return &cpuid_signatures[i];
	return NULL;
}

bool str_match(const char *s, enum str_match how, const char *text)
{
	size_t ls, lt;

	if (!s || !text)
		return false;
	switch (how) {
	case MATCH_EXACT:
		return strcmp(s, text) == 0;
	case MATCH_PREFIX:
		return strncmp(s, text, strlen(text)) == 0;
	case MATCH_SUFFIX:
		ls = strlen(s);
		lt = strlen(text);
		return ls >= lt && strcmp(s + ls - lt, text) == 0;
	case MATCH_CONTAINS:
		return strstr(s, text) != NULL;
	}
	return false;
}

#define NOF DMI_FIELD_COUNT   /* no second condition */

const struct dmi_signature dmi_signatures[] = {
	/* VMware: Workstation, Fusion and ESXi give the same strings. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "VMware, Inc.", NOF, NULL, { "vmware", NULL, VM, "VMware virtual platform" } },
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "VMware", NOF, NULL, { "vmware", NULL, VM, "VMware virtual platform" } },
	{ DMI_PRODUCT_SERIAL, MATCH_PREFIX, "VMware-", NOF, NULL, { "vmware", NULL, VM, "VMware serial number" } },
	{ DMI_BIOS_VERSION, MATCH_PREFIX, "VMW", NOF, NULL, { "vmware", NULL, VM, "VMware EFI firmware" } },
	/* Hyper-V: the vendor alone is also Surface hardware; the product makes it a VM. */
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Virtual Machine", DMI_SYS_VENDOR, "Microsoft Corporation",
	  { "hyperv", NULL, VM, "Hyper-V virtual machine" } },
	{ DMI_BIOS_VERSION, MATCH_CONTAINS, "Hyper-V UEFI", NOF, NULL, { "hyperv", NULL, VM, "Hyper-V generation 2 firmware" } },
	{ DMI_CHASSIS_ASSET_TAG, MATCH_EXACT, "7783-7084-3265-9085-8269-3286-77", NOF, NULL,
	  { NULL, "azure", 0, "Azure's chassis asset tag" } },
	/* QEMU and its distributors' rebrands. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "QEMU", NOF, NULL, { "kvm", NULL, VM | QF, "QEMU machine" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Bochs", NOF, NULL, { "kvm", NULL, VM | QF, "QEMU machine (old Bochs strings)" } },
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "Standard PC (", NOF, NULL, { "kvm", NULL, VM | QF, "QEMU PC machine type" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "KVM Virtual Machine", NOF, NULL, { "kvm", NULL, VM, "QEMU virt machine with KVM" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "QEMU Virtual Machine", NOF, NULL, { "qemu", NULL, VM, "QEMU virt machine without KVM (TCG)" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "KVM", DMI_SYS_VENDOR, "Red Hat", { "kvm", NULL, VM, "Red Hat KVM" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "RHEV Hypervisor", NOF, NULL, { "kvm", "rhev", VM, "Red Hat Virtualization" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "oVirt", NOF, NULL, { "kvm", "ovirt", VM, "oVirt" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "oVirt Node", NOF, NULL, { "kvm", "ovirt", VM, "oVirt" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "OpenStack Nova", NOF, NULL, { "kvm", "openstack", VM | ANY, "OpenStack Nova instance" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "OpenStack Compute", NOF, NULL, { "kvm", "openstack", VM | ANY, "OpenStack Nova instance" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "OpenStack Foundation", NOF, NULL, { "kvm", "openstack", VM | ANY, "OpenStack" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "AHV", DMI_SYS_VENDOR, "Nutanix", { "kvm", "nutanix-ahv", VM, "Nutanix AHV" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Alibaba Cloud ECS", NOF, NULL, { "kvm", "alibaba", VM, "Alibaba Cloud ECS instance" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Alibaba Cloud", NOF, NULL, { NULL, "alibaba", 0, "Alibaba Cloud" } },
	/* Google: "Google" alone is also Chromebox hardware. */
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Google Compute Engine", NOF, NULL, { "kvm", "gce", VM, "Google Compute Engine" } },
	/* Amazon: the same strings on Nitro VMs and on .metal instances, so no hypervisor claim. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Amazon EC2", NOF, NULL, { NULL, "aws", 0, "Amazon EC2 (Nitro VM or .metal)" } },
	{ DMI_BIOS_VERSION, MATCH_SUFFIX, ".amazon", NOF, NULL, { "xen", "aws", VM, "Xen-era Amazon EC2" } },
	{ DMI_CHASSIS_ASSET_TAG, MATCH_EXACT, "OracleCloud.com", NOF, NULL, { NULL, "oracle", 0, "Oracle Cloud (VM or bare metal)" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Cloud Hypervisor", NOF, NULL,
	  { "kvm", "cloud-hypervisor", VM | ANY, "Cloud Hypervisor (on KVM or MSHV)" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "UpCloud", NOF, NULL, { "kvm", "upcloud", VM, "UpCloud" } },
	/* Proxmox VE's QEMU names its machine versions "pc-...+pveN"; a custom smbios1 may say Proxmox. */
	{ DMI_PRODUCT_VERSION, MATCH_CONTAINS, "+pve", NOF, NULL, { "kvm", "proxmox", VM | QF, "Proxmox VE machine version" } },
	{ DMI_SYS_VENDOR, MATCH_PREFIX, "Proxmox", NOF, NULL, { "kvm", "proxmox", VM | QF, "Proxmox VE" } },
	/* Xen HVM. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Xen", NOF, NULL, { "xen", NULL, VM, "Xen HVM guest" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "HVM domU", NOF, NULL, { "xen", NULL, VM, "Xen HVM guest" } },
	/* VirtualBox, Parallels, bhyve. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "innotek GmbH", NOF, NULL, { "virtualbox", NULL, VM, "VirtualBox" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "VirtualBox", NOF, NULL, { "virtualbox", NULL, VM, "VirtualBox" } },
	{ DMI_SYS_VENDOR, MATCH_PREFIX, "Parallels", NOF, NULL, { "parallels", NULL, VM, "Parallels" } },
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "Parallels", NOF, NULL, { "parallels", NULL, VM, "Parallels" } },
	{ DMI_BIOS_VENDOR, MATCH_EXACT, "BHYVE", NOF, NULL, { "bhyve", NULL, VM, "bhyve firmware" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "BHYVE", NOF, NULL, { "bhyve", NULL, VM, "bhyve" } },
	/* Firmware that real machines also run: context only. */
	{ DMI_BIOS_VENDOR, MATCH_EXACT, "SeaBIOS", NOF, NULL, { "kvm", NULL, QF, "SeaBIOS (QEMU's default, also coreboot payloads)" } },
	{ DMI_BIOS_VENDOR, MATCH_PREFIX, "EFI Development Kit II", NOF, NULL, { "kvm", NULL, QF, "EDK II / OVMF (also real boards)" } },
};
const size_t n_dmi_signatures = sizeof(dmi_signatures) / sizeof(dmi_signatures[0]);

const struct acpi_signature acpi_signatures[] = {
	{ ACPI_OEM_ID, MATCH_EXACT, "VRTUAL", { "hyperv", NULL, VM, "Hyper-V ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "VMWARE", { "vmware", NULL, VM, "VMware ACPI tables" } },
	{ ACPI_CREATOR_ID, MATCH_EXACT, "VMW", { "vmware", NULL, VM, "VMware ACPI table creator" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "BOCHS", { "kvm", NULL, VM | QF, "QEMU ACPI tables" } },
	{ ACPI_CREATOR_ID, MATCH_EXACT, "BXPC", { "kvm", NULL, VM | QF, "QEMU ACPI table creator" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "FIRECK", { "kvm", "firecracker", VM, "Firecracker ACPI tables" } },
	{ ACPI_CREATOR_ID, MATCH_EXACT, "FCAT", { "kvm", "firecracker", VM, "Firecracker ACPI table creator" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "CLOUDH", { "kvm", "cloud-hypervisor", VM | ANY, "Cloud Hypervisor ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "AMAZON", { NULL, "aws", 0, "Amazon EC2 ACPI tables (VM or .metal)" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "Google", { NULL, "gce", 0, "Google Compute Engine ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "VBOX", { "virtualbox", NULL, VM, "VirtualBox ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "PRLS", { "parallels", NULL, VM, "Parallels ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "BHYVE", { "bhyve", NULL, VM, "bhyve ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "Xen", { "xen", NULL, VM, "Xen HVM ACPI tables" } },
	{ ACPI_FADT_HV_VENDOR, MATCH_EXACT, "MsHyperV", { "hyperv", NULL, VM, "FADT hypervisor vendor: Hyper-V" } },
	{ ACPI_FADT_HV_VENDOR, MATCH_EXACT, "FIRECKVM", { "kvm", "firecracker", VM, "FADT hypervisor vendor: Firecracker" } },
	{ ACPI_FADT_HV_VENDOR, MATCH_PREFIX, "XenVMM", { "xen", NULL, VM, "FADT hypervisor vendor: Xen" } },
	{ ACPI_HID, MATCH_EXACT, "VMBUS", { "hyperv", NULL, VM, "Hyper-V VMBus ACPI device" } },
	{ ACPI_HID, MATCH_EXACT, "VMBus", { "hyperv", NULL, VM, "Hyper-V VMBus ACPI device" } },
	{ ACPI_HID, MATCH_EXACT, "QEMU0002", { "kvm", NULL, VM | QF, "QEMU fw_cfg ACPI device" } },
	{ ACPI_HID, MATCH_EXACT, "VMW0005", { "vmware", NULL, VM, "VMware precision clock ACPI device" } },
};
const size_t n_acpi_signatures = sizeof(acpi_signatures) / sizeof(acpi_signatures[0]);

const struct pci_signature pci_signatures[] = {
	{ 0x15ad, -1, false, { "vmware", NULL, VM | SUP, "VMware virtual device" } },
	{ 0x1414, 0x5353, false, { "hyperv", NULL, VM | SUP, "Hyper-V generation 1 legacy video" } },
	{ 0x80ee, -1, false, { "virtualbox", NULL, VM | SUP, "VirtualBox virtual device" } },
	{ 0x1ab8, -1, false, { "parallels", NULL, VM | SUP, "Parallels virtual device" } },
	{ 0x5853, -1, false, { "xen", NULL, VM | SUP, "Xen platform device" } },
	{ 0x1af4, -1, false, { "kvm", NULL, QF | SUP, "virtio device (KVM, QEMU and most VMMs)" } },
	{ 0x1af4, -1, true, { "kvm", NULL, VM | QF | SUP, "QEMU-emulated device (subsystem vendor 1af4)" } },
	{ 0x1234, 0x1111, false, { "kvm", NULL, VM | QF | SUP, "QEMU/Bochs display" } },
	{ 0x1d0f, -1, false, { NULL, "aws", SUP, "Amazon ENA/EBS device" } },
	{ 0x1ae0, -1, false, { NULL, "gce", SUP, "Google virtual device (gVNIC 0042, NVMe 001f)" } },
};
const size_t n_pci_signatures = sizeof(pci_signatures) / sizeof(pci_signatures[0]);
