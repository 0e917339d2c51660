/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one list of hypervisor and platform identifiers (hvdetect.h's
 * vocabularies): what systemd calls each, which hypervisor a platform's VMs run
 * on, and which names hvd_select() accepts. Adding a cloud is one row in
 * registry.c: the driver database's checks, hvd_select() and the public
 * enumeration (hvd_identifier() & co., which the Python plugin reads) take it
 * from here.
 */
#ifndef HVD_REGISTRY_H
#define HVD_REGISTRY_H

#include <stddef.h>

enum reg_kind { REG_HYPERVISOR, REG_PLATFORM };

enum reg_flags {
	REG_SELECTABLE = 1u << 0,   /* hvd_select() accepts it as a named target */
	REG_HAS_METAL  = 1u << 1,   /* platforms: bare-metal instances carry the same DMI/ACPI strings as its VMs */
};

struct reg_entry {
	const char *id;          /* stable lower-case identifier */
	enum reg_kind kind;
	const char *systemd_id;  /* what `systemd-detect-virt --vm` prints for a guest: hypervisors always;
	                            platforms only where systemd names the cloud itself ("amazon" for aws,
	                            "google" for gce), else NULL */
	const char *hypervisor;  /* platforms: the hypervisor its VMs run on, NULL when it varies
	                            (openstack, cloud-hypervisor ...); hypervisors: NULL */
	unsigned flags;          /* enum reg_flags */
	const char *name;        /* human name ("Amazon EC2") */
};

/* The entry of KIND named ID, or NULL when unknown (or ID is NULL). */
const struct reg_entry *registry_find(enum reg_kind kind, const char *id);
/* The I-th entry (hypervisors first, then platforms, in table order), or NULL past the end. */
const struct reg_entry *registry_at(size_t i);

#endif
