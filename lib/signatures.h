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

enum sig_flags {
	/* Only a virtual machine carries this (not a cloud's bare-metal instance, not a real board). */
	SIG_VM_ONLY = 1u << 0,
	/* A QEMU machine whose accelerator (KVM or TCG) the fact cannot tell. */
	SIG_QEMU_FAMILY = 1u << 1,
	/* The platform stands whatever hypervisor runs it (Cloud Hypervisor on KVM or MSHV ...). */
	SIG_PLATFORM_ANY_HV = 1u << 2,
	/* Supporting evidence only: never decides, never conflicts (pass-through devices exist). */
	SIG_SUPPORT_ONLY = 1u << 3,
};

struct sig_meaning {
	const char *hypervisor;   /* identifier, or NULL when the fact names no hypervisor */
	const char *platform;     /* identifier, or NULL */
	unsigned flags;           /* enum sig_flags */
	const char *meaning;      /* for the evidence note */
};

/* CPUID hypervisor range signatures (12 bytes as EBX ECX EDX give them). */
struct cpuid_signature {
	char sig[12];
	struct sig_meaning m;
};
const struct cpuid_signature *cpuid_signature_lookup(const char sig[12]);

enum str_match { MATCH_EXACT, MATCH_PREFIX, MATCH_SUFFIX, MATCH_CONTAINS };
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

/* Hyper-V "Hv#1" interface id (0x40000001 EAX). */
#define HV_INTERFACE_HV1 0x31237648u

#endif
