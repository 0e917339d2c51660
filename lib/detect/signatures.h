/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the machine's strings and numbers mean, as data: CPUID signatures, DMI
 * strings, ACPI OEM ids, PCI vendors. A table entry only says what one fact
 * points to; which fact wins when they disagree is decided in verdict.c alone.
 */
#ifndef HVD_SIGNATURES_H
#define HVD_SIGNATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts.h"

/*
 * How much one fact proves on its own (docs/architecture.md, "Evidence strength").
 * The corpus of real machines decides which row a string belongs in: a string
 * is SIG_ALONE only when no real machine carries it.
 */
enum sig_strength {
	/* Shown, never decides, never conflicts (PCI devices can be passed through). */
	SIG_CONTEXT = 0,
	/* Real hardware carries it too (SeaBIOS on coreboot boards, a cloud's name on its bare-metal
	 * instances): it decides only with a second, independent source. */
	SIG_SECOND,
	/* Only one hypervisor's virtual machines carry it: it decides alone. */
	SIG_ALONE,
};

enum sig_flags {
	/* A QEMU machine whose accelerator (KVM or TCG) the fact cannot tell. */
	SIG_QEMU_FAMILY = 1u << 1,
	/* The platform stands whatever hypervisor runs it (Cloud Hypervisor on KVM or MSHV ...). */
	SIG_PLATFORM_ANY_HV = 1u << 2,
	/* The interface the guest kernel talks to (clocksource, FADT hypervisor vendor, VMBus,
	 * sys/hypervisor): the hypervisor the machine itself runs on, whatever CPUID says. */
	SIG_KERNEL_IFACE = 1u << 3,
	/* A bare-metal instance of the platform (AWS .metal, Alibaba EBM): never a VM by these strings. */
	SIG_BARE_METAL = 1u << 4,
};

struct sig_meaning {
	const char *hypervisor;   /* identifier, or NULL when the fact names no hypervisor */
	const char *platform;     /* identifier, or NULL */
	enum sig_strength strength;
	unsigned flags;           /* enum sig_flags */
	const char *meaning;      /* for the evidence note */
};

/* CPUID hypervisor range signatures (12 bytes as EBX ECX EDX give them). */
struct cpuid_signature {
	char sig[12];
	struct sig_meaning m;
};
const struct cpuid_signature *cpuid_signature_lookup(const char sig[12]);

/* MATCH_WORD: TEXT is one of the blank-separated words of S (a clocksource list). */
enum str_match { MATCH_EXACT, MATCH_PREFIX, MATCH_SUFFIX, MATCH_CONTAINS, MATCH_WORD };
bool str_match(const char *s, enum str_match how, const char *text);

/* DMI: FIELD matches TEXT (and, when ALSO_TEXT is set, ALSO_FIELD equals it exactly). */
struct dmi_signature {
	enum dmi_field field;
	enum str_match how;
	const char *text;
	enum dmi_field also_field;
	const char *also_text;
	struct sig_meaning m;
};
extern const struct dmi_signature dmi_signatures[];
extern const size_t n_dmi_signatures;
/* Whether PLATFORM's bare-metal instances carry a marker row (SIG_BARE_METAL): then an unmarked instance is a VM. */
bool platform_marks_metal(const char *platform);

/* ACPI table header fields, FADT hypervisor vendor, ACPI device ids. */
enum acpi_field { ACPI_OEM_ID, ACPI_OEM_TABLE_ID, ACPI_CREATOR_ID, ACPI_FADT_HV_VENDOR, ACPI_HID };
struct acpi_signature {
	enum acpi_field field;
	enum str_match how;
	const char *text;
	struct sig_meaning m;
};
extern const struct acpi_signature acpi_signatures[];
extern const size_t n_acpi_signatures;

/* PCI: vendor (and device unless -1), or the subsystem vendor when SUBSYSTEM is set. */
struct pci_signature {
	uint16_t vendor;
	int device;
	bool subsystem;
	struct sig_meaning m;
};
extern const struct pci_signature pci_signatures[];
extern const size_t n_pci_signatures;

/* Claim weights: how strongly one fact of a kind points at a hypervisor (verdict.c adds them up). */
enum {
	W_CPUID = 50,
	W_KERNEL_STRONG = 40,
	W_KERNEL = 30,
	W_DMI_VM = 30,
	W_DMI = 10,
	W_ACPI_VM = 20,
	W_ACPI = 10,
	W_PCI = 10,
	W_PLATFORM = 20,
	W_CONTEXT = 10,   /* firmware, generation, role, confidential facts */
};

/* What the running kernel shows in files (struct platform_facts). */
enum kernel_fact {
	KF_NONE = -1,
	KF_HYPERVISOR_TYPE,  /* sys/hypervisor/type */
	KF_PROC_XEN,         /* proc/xen exists */
	KF_CLOCKSOURCE,      /* the registered clocksources (available_clocksource, else the current one) */
	KF_DT_HYPERVISOR,    /* device tree hypervisor/compatible */
	KF_DT_COMPATIBLE,    /* device tree compatible */
	KF_DT_MODEL,         /* device tree model */
	KF_VMBUS_DEVICES,    /* VMBus devices ("N devices") */
	KF_VMBUS,            /* sys/bus/vmbus without devices */
	KF_OSRELEASE,        /* proc/sys/kernel/osrelease */
	KF_SYSINFO_VM,       /* s390x proc/sysinfo VM00 Control Program */
	KF_LPARCFG,          /* ppc64 proc/ppc64/lparcfg exists */
	KF_HYPERVISOR_DETECTED, /* a boot log's "Hypervisor detected: X" */
	KF_PARAVIRT_ON,      /* a boot log's "Booting paravirtualized kernel on X" */
	KF_COUNT
};
/* FACT matches TEXT (NULL: any value), unless UNLESS_FACT matches UNLESS_TEXT (contains). */
struct kernel_signature {
	enum kernel_fact fact;
	enum str_match how;
	const char *text;
	int weight;
	enum kernel_fact unless_fact;
	const char *unless_text;
	struct sig_meaning m;
};
extern const struct kernel_signature kernel_signatures[];
extern const size_t n_kernel_signatures;

/* Hyper-V "Hv#1" interface id (0x40000001 EAX). */
#define HV_INTERFACE_HV1 0x31237648u

#endif
