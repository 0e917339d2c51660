/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The signature tables (see signatures.h). Strings are exactly what machines
 * give (docs/facts.md); sources: the Linux kernel, systemd, virt-what, cloud-init,
 * and dumps of real machines.
 */
#include <string.h>

#include "signatures.h"

#define ALONE   SIG_ALONE
#define SECOND  SIG_SECOND
#define CONTEXT SIG_CONTEXT
#define QF      SIG_QEMU_FAMILY
#define ANY     SIG_PLATFORM_ANY_HV
#define IFACE   SIG_KERNEL_IFACE
#define METAL   SIG_BARE_METAL

static const struct cpuid_signature cpuid_signatures[] = {
	{ "KVMKVMKVM\0\0\0", { "kvm", NULL, ALONE, 0, "KVM" } },
	{ "Linux KVM Hv",    { "kvm", NULL, ALONE, 0, "KVM's Hyper-V emulation" } },
	{ "Microsoft Hv",    { "hyperv", NULL, ALONE, 0, "Hyper-V (or a hypervisor's Hyper-V enlightenments)" } },
	{ "VMwareVMware",    { "vmware", NULL, ALONE, 0, "VMware" } },
	{ "XenVMMXenVMM",    { "xen", NULL, ALONE, 0, "Xen" } },
	{ "VBoxVBoxVBox",    { "virtualbox", NULL, ALONE, 0, "VirtualBox" } },
	{ "TCGTCGTCGTCG",    { "qemu", NULL, ALONE, 0, "QEMU TCG emulation (no KVM)" } },
	{ "bhyve bhyve ",    { "bhyve", NULL, ALONE, 0, "bhyve" } },
	{ "ACRNACRNACRN",    { "acrn", NULL, ALONE, 0, "ACRN" } },
	{ "QNXQVMBSQG\0\0",  { "qnx", NULL, ALONE, 0, "QNX hypervisor" } },
	{ "LKVMLKVMLKVM",    { "kvm", "kvmtool", ALONE, 0, "kvmtool (lkvm) on KVM" } },
	{ "OpenBSDVMM58",    { "vmm", NULL, ALONE, 0, "OpenBSD vmm" } },
	{ " lrpepyh  vr",    { "parallels", NULL, ALONE, 0, "Parallels" } },
	{ "Jailhouse\0\0\0", { "other", NULL, ALONE, 0, "Jailhouse partitioning hypervisor" } },
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
	case MATCH_WORD:
		lt = strlen(text);
		for (const char *p = s; (p = strstr(p, text)); p++)
			if ((p == s || p[-1] == ' ') && (p[lt] == '\0' || p[lt] == ' '))
				return true;
		return false;
	}
	return false;
}

#define NOF DMI_FIELD_COUNT   /* no second condition */

const struct dmi_signature dmi_signatures[] = {
	/* VMware: Workstation, Fusion and ESXi give the same strings. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "VMware, Inc.", NOF, NULL, { "vmware", NULL, ALONE, 0, "VMware virtual platform" } },
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "VMware", NOF, NULL, { "vmware", NULL, ALONE, 0, "VMware virtual platform" } },
	{ DMI_PRODUCT_SERIAL, MATCH_PREFIX, "VMware-", NOF, NULL, { "vmware", NULL, ALONE, 0, "VMware serial number" } },
	{ DMI_BIOS_VERSION, MATCH_PREFIX, "VMW", NOF, NULL, { "vmware", NULL, ALONE, 0, "VMware EFI firmware" } },
	/* Hyper-V: the vendor alone is also Surface hardware; the product makes it a VM. */
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Virtual Machine", DMI_SYS_VENDOR, "Microsoft Corporation",
	  { "hyperv", NULL, ALONE, 0, "Hyper-V virtual machine" } },
	{ DMI_BIOS_VERSION, MATCH_CONTAINS, "Hyper-V UEFI", NOF, NULL, { "hyperv", NULL, ALONE, 0, "Hyper-V generation 2 firmware" } },
	{ DMI_CHASSIS_ASSET_TAG, MATCH_EXACT, "7783-7084-3265-9085-8269-3286-77", NOF, NULL,
	  { NULL, "azure", SECOND, 0, "Azure's chassis asset tag" } },
	/* QEMU and its distributors' rebrands. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "QEMU", NOF, NULL, { "kvm", NULL, ALONE, QF, "QEMU machine" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Bochs", NOF, NULL, { "kvm", NULL, ALONE, QF, "QEMU machine (old Bochs strings)" } },
	{ DMI_BIOS_VENDOR, MATCH_EXACT, "Bochs", NOF, NULL, { "kvm", NULL, ALONE, QF, "QEMU machine (Bochs BIOS strings)" } },
	{ DMI_CHASSIS_VENDOR, MATCH_EXACT, "QEMU", NOF, NULL, { "kvm", NULL, ALONE, QF, "QEMU machine (chassis)" } },
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "Standard PC (", NOF, NULL, { "kvm", NULL, ALONE, QF, "QEMU PC machine type" } },
	{ DMI_BOARD_NAME, MATCH_PREFIX, "Standard PC (", NOF, NULL, { "kvm", NULL, ALONE, QF, "QEMU PC machine type (board)" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "KVM Virtual Machine", NOF, NULL, { "kvm", NULL, ALONE, 0, "QEMU virt machine with KVM" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "QEMU Virtual Machine", NOF, NULL, { "qemu", NULL, ALONE, 0, "QEMU virt machine without KVM (TCG)" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "KVM", DMI_SYS_VENDOR, "Red Hat", { "kvm", NULL, ALONE, 0, "Red Hat KVM" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "RHEV Hypervisor", NOF, NULL, { "kvm", "rhev", ALONE, 0, "Red Hat Virtualization" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "oVirt", NOF, NULL, { "kvm", "ovirt", ALONE, 0, "oVirt" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "oVirt Node", NOF, NULL, { "kvm", "ovirt", ALONE, 0, "oVirt" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "OpenStack Nova", NOF, NULL, { "kvm", "openstack", ALONE, ANY, "OpenStack Nova instance" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "OpenStack Compute", NOF, NULL, { "kvm", "openstack", ALONE, ANY, "OpenStack Nova instance" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "OpenStack Foundation", NOF, NULL, { "kvm", "openstack", ALONE, ANY, "OpenStack" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "AHV", DMI_SYS_VENDOR, "Nutanix", { "kvm", "nutanix-ahv", ALONE, 0, "Nutanix AHV" } },
	/* Alibaba: ECS VMs say "Alibaba Cloud", its bare-metal EBM instances only "Alibaba" (corpus). */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Alibaba Cloud", NOF, NULL, { "kvm", "alibaba", ALONE, 0, "Alibaba Cloud ECS virtual machine" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Alibaba Cloud ECS", DMI_SYS_VENDOR, "Alibaba",
	  { NULL, "alibaba", SECOND, METAL, "Alibaba ECS bare metal (EBM): vendor 'Alibaba', not 'Alibaba Cloud'" } },
	/* Google: "Google" alone is also Chromebox hardware. */
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Google Compute Engine", NOF, NULL, { "kvm", "gce", ALONE, 0, "Google Compute Engine" } },
	/* Amazon: the same strings on Nitro VMs and on .metal instances, so no hypervisor claim. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Amazon EC2", NOF, NULL, { NULL, "aws", SECOND, 0, "Amazon EC2 (Nitro VM or .metal)" } },
	{ DMI_PRODUCT_NAME, MATCH_SUFFIX, ".metal", DMI_SYS_VENDOR, "Amazon EC2",
	  { NULL, "aws", SECOND, METAL, "an EC2 bare-metal instance type" } },
	{ DMI_BIOS_VERSION, MATCH_SUFFIX, ".amazon", NOF, NULL, { "xen", "aws", ALONE, 0, "Xen-era Amazon EC2" } },
	{ DMI_CHASSIS_ASSET_TAG, MATCH_EXACT, "OracleCloud.com", NOF, NULL, { NULL, "oracle", SECOND, 0, "Oracle Cloud (VM or bare metal)" } },
	{ DMI_CHASSIS_ASSET_TAG, MATCH_EXACT, "IBM SoftLayer", NOF, NULL, { NULL, "ibm", SECOND, 0, "IBM Cloud classic (VM or bare metal)" } },
	/* Public clouds whose DMI vendor is their own name only on their virtual machines (cloud-init's ds-identify). */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "DigitalOcean", NOF, NULL, { "kvm", "digitalocean", ALONE, 0, "DigitalOcean droplet" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Vultr", NOF, NULL, { "kvm", "vultr", ALONE, 0, "Vultr instance" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Linode", NOF, NULL, { "kvm", "linode", ALONE, 0, "Akamai (Linode) instance" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "Exoscale", NOF, NULL, { "kvm", "exoscale", ALONE, 0, "Exoscale instance" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Hetzner", NOF, NULL, { "kvm", "hetzner", ALONE, 0, "Hetzner Cloud server (dedicated servers carry their board's DMI)" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Cloud Hypervisor", NOF, NULL,
	  { "kvm", "cloud-hypervisor", ALONE, ANY, "Cloud Hypervisor (on KVM or MSHV)" } },
	{ DMI_SYS_VENDOR, MATCH_EXACT, "UpCloud", NOF, NULL, { "kvm", "upcloud", ALONE, 0, "UpCloud" } },
	/* Proxmox VE's QEMU names its machine versions "pc-...+pveN"; a custom smbios1 may say Proxmox. */
	{ DMI_PRODUCT_VERSION, MATCH_CONTAINS, "+pve", NOF, NULL, { "kvm", "proxmox", ALONE, QF, "Proxmox VE machine version" } },
	{ DMI_SYS_VENDOR, MATCH_PREFIX, "Proxmox", NOF, NULL, { "kvm", "proxmox", ALONE, QF, "Proxmox VE" } },
	/* Xen HVM. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "Xen", NOF, NULL, { "xen", NULL, ALONE, 0, "Xen HVM guest" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "HVM domU", NOF, NULL, { "xen", NULL, ALONE, 0, "Xen HVM guest" } },
	/* VirtualBox, Parallels, bhyve. */
	{ DMI_SYS_VENDOR, MATCH_EXACT, "innotek GmbH", NOF, NULL, { "virtualbox", NULL, ALONE, 0, "VirtualBox" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "VirtualBox", NOF, NULL, { "virtualbox", NULL, ALONE, 0, "VirtualBox" } },
	{ DMI_SYS_VENDOR, MATCH_PREFIX, "Parallels", NOF, NULL, { "parallels", NULL, ALONE, 0, "Parallels" } },
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "Parallels", NOF, NULL, { "parallels", NULL, ALONE, 0, "Parallels" } },
	{ DMI_BIOS_VENDOR, MATCH_EXACT, "BHYVE", NOF, NULL, { "bhyve", NULL, ALONE, 0, "bhyve firmware" } },
	{ DMI_PRODUCT_NAME, MATCH_EXACT, "BHYVE", NOF, NULL, { "bhyve", NULL, ALONE, 0, "bhyve" } },
	/* Apple: "Apple Inc." alone is every Mac; the product makes it a Virtualization.framework VM. */
	{ DMI_PRODUCT_NAME, MATCH_PREFIX, "Apple Virtualization", NOF, NULL, { "apple", NULL, ALONE, 0, "Apple Virtualization framework VM" } },
	/* Firmware that real machines also run: context only. */
	{ DMI_BIOS_VENDOR, MATCH_EXACT, "SeaBIOS", NOF, NULL, { "kvm", NULL, SECOND, QF, "SeaBIOS (QEMU's default, also coreboot payloads)" } },
	{ DMI_BIOS_VENDOR, MATCH_PREFIX, "EFI Development Kit II", NOF, NULL, { "kvm", NULL, SECOND, QF, "EDK II / OVMF (also real boards)" } },
};
const size_t n_dmi_signatures = sizeof(dmi_signatures) / sizeof(dmi_signatures[0]);

bool platform_marks_metal(const char *platform)
{
	for (size_t i = 0; i < n_dmi_signatures; i++)
		if ((dmi_signatures[i].m.flags & SIG_BARE_METAL) && str_match(dmi_signatures[i].m.platform, MATCH_EXACT, platform))
			return true;
	return false;
}

const struct acpi_signature acpi_signatures[] = {
	{ ACPI_OEM_ID, MATCH_EXACT, "VRTUAL", { "hyperv", NULL, ALONE, 0, "Hyper-V ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "VMWARE", { "vmware", NULL, ALONE, 0, "VMware ACPI tables" } },
	{ ACPI_CREATOR_ID, MATCH_EXACT, "VMW", { "vmware", NULL, ALONE, 0, "VMware ACPI table creator" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "BOCHS", { "kvm", NULL, ALONE, QF, "QEMU ACPI tables" } },
	{ ACPI_CREATOR_ID, MATCH_EXACT, "BXPC", { "kvm", NULL, ALONE, QF, "QEMU ACPI table creator" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "FIRECK", { "kvm", "firecracker", ALONE, 0, "Firecracker ACPI tables" } },
	{ ACPI_CREATOR_ID, MATCH_EXACT, "FCAT", { "kvm", "firecracker", ALONE, 0, "Firecracker ACPI table creator" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "CLOUDH", { "kvm", "cloud-hypervisor", ALONE, ANY, "Cloud Hypervisor ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "AMAZON", { NULL, "aws", SECOND, 0, "Amazon EC2 ACPI tables (VM or .metal)" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "Google", { NULL, "gce", SECOND, 0, "Google Compute Engine ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "VBOX", { "virtualbox", NULL, ALONE, 0, "VirtualBox ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "PRLS", { "parallels", NULL, ALONE, 0, "Parallels ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "BHYVE", { "bhyve", NULL, ALONE, 0, "bhyve ACPI tables" } },
	{ ACPI_OEM_ID, MATCH_EXACT, "Xen", { "xen", NULL, ALONE, 0, "Xen HVM ACPI tables" } },
	{ ACPI_FADT_HV_VENDOR, MATCH_EXACT, "MsHyperV", { "hyperv", NULL, ALONE, IFACE, "FADT hypervisor vendor: Hyper-V" } },
	{ ACPI_FADT_HV_VENDOR, MATCH_EXACT, "FIRECKVM", { "kvm", "firecracker", ALONE, IFACE, "FADT hypervisor vendor: Firecracker" } },
	/* QEMU's virt machine (arm64) fills the FADT hypervisor vendor with "QEMU": KVM or TCG. */
	{ ACPI_FADT_HV_VENDOR, MATCH_EXACT, "QEMU", { "kvm", NULL, ALONE, QF, "FADT hypervisor vendor: QEMU" } },
	{ ACPI_FADT_HV_VENDOR, MATCH_PREFIX, "XenVMM", { "xen", NULL, ALONE, IFACE, "FADT hypervisor vendor: Xen" } },
	{ ACPI_HID, MATCH_EXACT, "VMBUS", { "hyperv", NULL, ALONE, 0, "Hyper-V VMBus ACPI device" } },
	{ ACPI_HID, MATCH_EXACT, "VMBus", { "hyperv", NULL, ALONE, 0, "Hyper-V VMBus ACPI device" } },
	{ ACPI_HID, MATCH_EXACT, "QEMU0002", { "kvm", NULL, ALONE, QF, "QEMU fw_cfg ACPI device" } },
	{ ACPI_HID, MATCH_EXACT, "VMW0005", { "vmware", NULL, ALONE, 0, "VMware precision clock ACPI device" } },
};
const size_t n_acpi_signatures = sizeof(acpi_signatures) / sizeof(acpi_signatures[0]);

const struct pci_signature pci_signatures[] = {
	{ 0x15ad, -1, false, { "vmware", NULL, CONTEXT, 0, "VMware virtual device" } },
	{ 0x1414, 0x5353, false, { "hyperv", NULL, CONTEXT, 0, "Hyper-V generation 1 legacy video" } },
	{ 0x80ee, -1, false, { "virtualbox", NULL, CONTEXT, 0, "VirtualBox virtual device" } },
	{ 0x1ab8, -1, false, { "parallels", NULL, CONTEXT, 0, "Parallels virtual device" } },
	{ 0x5853, -1, false, { "xen", NULL, CONTEXT, 0, "Xen platform device" } },
	{ 0x1af4, -1, false, { "kvm", NULL, CONTEXT, QF, "virtio device (KVM, QEMU and most VMMs)" } },
	{ 0x1af4, -1, true, { "kvm", NULL, CONTEXT, QF, "QEMU-emulated device (subsystem vendor 1af4)" } },
	{ 0x1234, 0x1111, false, { "kvm", NULL, CONTEXT, QF, "QEMU/Bochs display" } },
	{ 0x1d0f, -1, false, { NULL, "aws", CONTEXT, 0, "Amazon ENA/EBS device" } },
	{ 0x1ae0, -1, false, { NULL, "gce", CONTEXT, 0, "Google virtual device (gVNIC 0042, NVMe 001f)" } },
};
const size_t n_pci_signatures = sizeof(pci_signatures) / sizeof(pci_signatures[0]);

/*
 * What the running kernel shows in files. For each fact the first matching row
 * counts. A NULL text matches any value (the fact is present).
 */
const struct kernel_signature kernel_signatures[] = {
	{ KF_HYPERVISOR_TYPE, MATCH_EXACT, "xen", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "xen", NULL, ALONE, IFACE, "the kernel runs on Xen" } },
	{ KF_HYPERVISOR_TYPE, MATCH_EXACT, NULL, W_KERNEL, KF_NONE, NULL,
	  { "other", NULL, ALONE, IFACE, "the kernel reports a hypervisor type" } },
	{ KF_PROC_XEN, MATCH_EXACT, NULL, W_KERNEL, KF_NONE, NULL,
	  { "xen", NULL, ALONE, IFACE, "Xen interfaces present" } },
	/* A paravirtual clocksource registers only when the kernel talks to that hypervisor. */
	{ KF_CLOCKSOURCE, MATCH_WORD, "kvm-clock", W_KERNEL, KF_NONE, NULL,
	  { "kvm", NULL, ALONE, IFACE, "KVM's paravirtual clock (the kernel talks to KVM)" } },
	{ KF_CLOCKSOURCE, MATCH_WORD, "hyperv_clocksource_tsc_page", W_KERNEL, KF_NONE, NULL,
	  { "hyperv", NULL, ALONE, IFACE, "Hyper-V's reference TSC page clock" } },
	{ KF_CLOCKSOURCE, MATCH_WORD, "hyperv_clocksource_msr", W_KERNEL, KF_NONE, NULL,
	  { "hyperv", NULL, ALONE, IFACE, "Hyper-V's reference counter clock" } },
	{ KF_CLOCKSOURCE, MATCH_WORD, "xen", W_KERNEL, KF_NONE, NULL,
	  { "xen", NULL, ALONE, IFACE, "Xen's paravirtual clock" } },
	{ KF_DT_HYPERVISOR, MATCH_CONTAINS, "xen,xen", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "xen", NULL, ALONE, IFACE, "Xen hypervisor node" } },
	{ KF_DT_HYPERVISOR, MATCH_CONTAINS, "vmware", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "vmware", NULL, ALONE, 0, "VMware hypervisor node" } },
	{ KF_DT_HYPERVISOR, MATCH_EXACT, NULL, W_KERNEL, KF_NONE, NULL,
	  { "other", NULL, ALONE, 0, "a hypervisor node" } },
	{ KF_DT_COMPATIBLE, MATCH_CONTAINS, "linux,dummy-virt", W_KERNEL, KF_NONE, NULL,
	  { "kvm", NULL, ALONE, QF, "QEMU (or kvmtool) virt machine: KVM and TCG look alike here" } },
	{ KF_DT_MODEL, MATCH_CONTAINS, "emulated by qemu", W_KERNEL, KF_NONE, NULL,
	  { "kvm", NULL, ALONE, QF, "QEMU-emulated machine" } },
	{ KF_VMBUS_DEVICES, MATCH_EXACT, NULL, W_KERNEL_STRONG, KF_NONE, NULL,
	  { "hyperv", NULL, ALONE, IFACE, "Hyper-V VMBus devices" } },
	{ KF_VMBUS, MATCH_EXACT, NULL, W_KERNEL, KF_NONE, NULL,
	  { "hyperv", NULL, ALONE, IFACE, "the VMBus driver initialised (it does only under Hyper-V)" } },
	{ KF_OSRELEASE, MATCH_CONTAINS, "microsoft-standard", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "hyperv", "wsl", ALONE, 0, "a WSL2 kernel (a Hyper-V utility VM)" } },
	{ KF_OSRELEASE, MATCH_CONTAINS, "WSL", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "hyperv", "wsl", ALONE, 0, "a WSL2 kernel (a Hyper-V utility VM)" } },
	{ KF_SYSINFO_VM, MATCH_CONTAINS, "z/VM", W_KERNEL_STRONG + 10, KF_NONE, NULL,
	  { "zvm", NULL, ALONE, 0, "z/VM guest" } },
	{ KF_SYSINFO_VM, MATCH_CONTAINS, "KVM", W_KERNEL_STRONG + 10, KF_NONE, NULL,
	  { "kvm", NULL, ALONE, 0, "KVM guest on s390x" } },
	{ KF_SYSINFO_VM, MATCH_EXACT, NULL, W_KERNEL, KF_NONE, NULL,
	  { "other", NULL, ALONE, 0, "a guest of an unknown s390x control program" } },
	/*
	 * A boot log's "Hypervisor detected: X": the hypervisor interface the x86 kernel
	 * chose among those CPUID offers (init_hypervisor_platform; names from
	 * arch/x86/kernel/cpu/), or arm64's SMCCC KVM services. Like a paravirtual
	 * clock, it is the interface the kernel talks to: VirtualBox and Parallels
	 * offer KVM's, KVM and Xen may offer Hyper-V's (the verdict's rules 2 and 3).
	 */
	{ KF_HYPERVISOR_DETECTED, MATCH_EXACT, "KVM", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "kvm", NULL, ALONE, IFACE, "the kernel found KVM's interface" } },
	{ KF_HYPERVISOR_DETECTED, MATCH_EXACT, "Microsoft Hyper-V", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "hyperv", NULL, ALONE, IFACE, "the kernel found Hyper-V's interface" } },
	{ KF_HYPERVISOR_DETECTED, MATCH_EXACT, "VMware", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "vmware", NULL, ALONE, IFACE, "the kernel found VMware's interface" } },
	{ KF_HYPERVISOR_DETECTED, MATCH_PREFIX, "Xen", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "xen", NULL, ALONE, IFACE, "the kernel found Xen's interface" } },
	{ KF_HYPERVISOR_DETECTED, MATCH_EXACT, "ACRN", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "acrn", NULL, ALONE, IFACE, "the kernel found ACRN's interface" } },
	{ KF_HYPERVISOR_DETECTED, MATCH_EXACT, "Bhyve", W_KERNEL_STRONG, KF_NONE, NULL,
	  { "bhyve", NULL, ALONE, IFACE, "the kernel found bhyve's interface" } },
	{ KF_HYPERVISOR_DETECTED, MATCH_EXACT, NULL, W_KERNEL, KF_NONE, NULL,
	  { "other", NULL, ALONE, IFACE, "the kernel found a hypervisor interface" } },
	/* "Booting paravirtualized kernel on X" (pv_info.name; "bare hardware" when none: no claim). */
	{ KF_PARAVIRT_ON, MATCH_EXACT, "KVM", W_KERNEL, KF_NONE, NULL,
	  { "kvm", NULL, ALONE, IFACE, "the kernel runs paravirtualized on KVM" } },
	{ KF_PARAVIRT_ON, MATCH_PREFIX, "Xen", W_KERNEL, KF_NONE, NULL,
	  { "xen", NULL, ALONE, IFACE, "the kernel runs paravirtualized on Xen" } },
	{ KF_PARAVIRT_ON, MATCH_PREFIX, "VMware", W_KERNEL, KF_NONE, NULL,
	  { "vmware", NULL, ALONE, IFACE, "the kernel runs paravirtualized on VMware" } },
	/* QEMU's pseries machines have an lparcfg too; their model says "emulated by qemu". */
	{ KF_LPARCFG, MATCH_EXACT, NULL, W_KERNEL_STRONG, KF_DT_MODEL, "emulated by qemu",
	  { "powervm", NULL, ALONE, 0, "a PowerVM logical partition" } },
};
const size_t n_kernel_signatures = sizeof(kernel_signatures) / sizeof(kernel_signatures[0]);
