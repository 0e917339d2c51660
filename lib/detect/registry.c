/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The registry of hypervisor and platform identifiers (see registry.h), and the
 * public enumeration over it (hvd_identifier & co. in hvdetect.h).
 */
#include <string.h>

#include "base/internal.h"
#include "registry.h"

#define HV(id, systemd, name) { id, REG_HYPERVISOR, systemd, NULL, REG_SELECTABLE, name }
#define PF(id, systemd, hv, flags, name) { id, REG_PLATFORM, systemd, hv, flags, name }
#define SEL   REG_SELECTABLE
#define METAL REG_HAS_METAL

/* Hypervisors first, then platforms: hvd_identifier() lists each kind in this order. */
static const struct reg_entry registry[] = {
	HV("none",       "none",      "no hypervisor (bare metal)"),
	HV("kvm",        "kvm",       "KVM"),
	HV("qemu",       "qemu",      "QEMU emulation (TCG, no KVM)"),
	HV("vmware",     "vmware",    "VMware"),
	HV("hyperv",     "microsoft", "Microsoft Hyper-V"),
	HV("xen",        "xen",       "Xen"),
	HV("virtualbox", "oracle",    "Oracle VirtualBox"),
	HV("parallels",  "parallels", "Parallels"),
	HV("bhyve",      "bhyve",     "bhyve"),
	HV("acrn",       "acrn",      "ACRN"),
	HV("qnx",        "qnx",       "QNX Hypervisor"),
	HV("vmm",        "vm-other",  "OpenBSD vmm"),
	HV("apple",      "apple",     "Apple Virtualization framework"),
	HV("powervm",    "powervm",   "IBM PowerVM"),
	HV("zvm",        "zvm",       "IBM z/VM"),
	HV("other",      "vm-other",  "another hypervisor"),

	PF("azure",            NULL,     "hyperv", SEL,         "Microsoft Azure"),
	PF("aws",              "amazon", "kvm",    SEL | METAL, "Amazon EC2"),
	PF("gce",              "google", "kvm",    SEL,         "Google Compute Engine"),
	PF("alibaba",          NULL,     "kvm",    METAL,       "Alibaba Cloud ECS"),
	PF("oracle",           NULL,     "kvm",    METAL,       "Oracle Cloud Infrastructure"),
	PF("ibm",              NULL,     NULL,     METAL,       "IBM Cloud"),
	PF("hetzner",          NULL,     "kvm",    METAL,       "Hetzner Cloud"),
	PF("digitalocean",     NULL,     "kvm",    0,           "DigitalOcean"),
	PF("vultr",            NULL,     "kvm",    0,           "Vultr"),
	PF("exoscale",         NULL,     "kvm",    0,           "Exoscale"),
	PF("linode",           NULL,     "kvm",    0,           "Linode (Akamai)"),
	PF("upcloud",          NULL,     "kvm",    0,           "UpCloud"),
	PF("openstack",        NULL,     NULL,     0,           "OpenStack"),
	PF("ovirt",            NULL,     "kvm",    0,           "oVirt"),
	PF("rhev",             NULL,     "kvm",    0,           "Red Hat Virtualization"),
	PF("nutanix-ahv",      NULL,     "kvm",    0,           "Nutanix AHV"),
	PF("proxmox",          NULL,     "kvm",    0,           "Proxmox VE"),
	PF("firecracker",      NULL,     "kvm",    0,           "Firecracker"),
	PF("cloud-hypervisor", NULL,     NULL,     0,           "Cloud Hypervisor"),
	PF("kvmtool",          NULL,     "kvm",    0,           "kvmtool (lkvm)"),
	PF("wsl",              NULL,     "hyperv", 0,           "Windows Subsystem for Linux"),
};

const struct reg_entry *registry_find(enum reg_kind kind, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(registry); i++)
		if (registry[i].kind == kind && strcmp(registry[i].id, id) == 0)
			return &registry[i];
	return NULL;
}

const struct reg_entry *registry_at(size_t i)
{
	return i < ARRAY_SIZE(registry) ? &registry[i] : NULL;
}

HVD_EXPORT const char *hvd_identifier(enum hvd_id_kind kind, size_t i)
{
	enum reg_kind k;

	switch (kind) {
	case HVD_ID_HYPERVISOR:
		k = REG_HYPERVISOR;
		break;
	case HVD_ID_PLATFORM:
		k = REG_PLATFORM;
		break;
	default:
		return NULL;
	}
	for (size_t j = 0; j < ARRAY_SIZE(registry); j++)
		if (registry[j].kind == k && i-- == 0)
			return registry[j].id;
	return NULL;
}

HVD_EXPORT const char *hvd_platform_hypervisor(const char *platform)
{
	const struct reg_entry *e = registry_find(REG_PLATFORM, platform);

	return e ? e->hypervisor : NULL;
}

HVD_EXPORT int hvd_identifier_selectable(const char *name)
{
	const struct reg_entry *e = registry_find(REG_HYPERVISOR, name);

	if (!e)
		e = registry_find(REG_PLATFORM, name);
	return e && (e->flags & REG_SELECTABLE) ? 1 : 0;
}
