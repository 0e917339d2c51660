/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Facts: what the probes found, source by source, with no interpretation.
 * Probes fill these (detect/probe/); the verdict (detect/verdict.c) is the only
 * reader that draws conclusions from them. Strings are malloc'ed, NUL-terminated
 * copies of what the machine said (attacker-controlled text: never trust them),
 * NULL when the source did not say. facts_free() releases everything.
 */
#ifndef HVD_FACTS_H
#define HVD_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hvd_ctx;

/*
 * Where a fact was read when it came from a text the caller supplied instead of
 * the sysroot (detect/text.c: dmidecode output, a kernel boot log): which text
 * and its line (1-based). All zero for the sysroot, so zeroed facts say "sysroot".
 */
enum text_kind { TEXT_NONE = 0, TEXT_DMIDECODE, TEXT_LOG };
struct text_line {
	uint8_t text;           /* enum text_kind */
	uint32_t line;
};
/* The evidence source word of a text ("dmidecode", "log"), or NULL for TEXT_NONE. */
const char *text_kind_name(unsigned kind);

/* ---- CPUID (probe/cpuid.c, probe/cpuid_dump.c) ---- */
#define CPUID_MAX_RANGES 16
struct cpuid_range {
	uint32_t base;          /* 0x40000000 + k*0x100 */
	uint32_t max_leaf;      /* EAX of the base leaf */
	char signature[12];     /* EBX, ECX, EDX bytes as the CPU gives them (may hold NULs) */
};
struct cpuid_facts {
	bool available;         /* any CPUID data at all (live or dump) */
	bool from_dump;
	char vendor[13];        /* leaf 0 vendor string, NUL-terminated ("AuthenticAMD") */
	uint32_t max_basic;     /* leaf 0 EAX */
	uint32_t max_ext;       /* leaf 0x80000000 EAX (0 when absent) */
	bool hypervisor_bit;    /* leaf 1 ECX bit 31 */
	/*
	 * Hypervisor ranges in ascending order. Live, they are read only when the
	 * hypervisor bit is set (on bare metal those leaves are garbage, and each
	 * CPUID in a guest is a VM exit); from a dump, whatever the dump holds.
	 */
	size_t n_ranges;
	struct cpuid_range ranges[CPUID_MAX_RANGES];
	/* Hyper-V interface leaves, read from the range signed "Microsoft Hv" (when there is one). */
	bool hv_leaves;         /* the fields below are valid */
	bool hv_interface_known;/* base+1 was answered (a dump may not hold it) */
	uint32_t hv_interface;  /* base+1 EAX ("Hv#1" = 0x31237648) */
	uint32_t hv_max_leaf;   /* the range's max_leaf */
	uint32_t hv_features[4];/* base+3 EAX EBX ECX EDX: privileges and features */
	uint32_t hv_isolation[4];/* base+0xC EAX EBX ECX EDX (0 when beyond max_leaf) */
	/* Confidential computing. */
	bool has_sev_leaf;      /* 0x8000001F present */
	uint32_t sev_eax;       /* 0x8000001F EAX */
	bool tdx;               /* leaf 0x21 says "IntelTDX    " */
};

/* ---- DMI / SMBIOS (probe/dmi.c, probe/smbios.c) ---- */
enum dmi_field {
	DMI_SYS_VENDOR,
	DMI_PRODUCT_NAME,
	DMI_PRODUCT_VERSION,
	DMI_PRODUCT_SERIAL,
	DMI_PRODUCT_FAMILY,
	DMI_PRODUCT_SKU,
	DMI_BIOS_VENDOR,
	DMI_BIOS_VERSION,
	DMI_BIOS_DATE,
	DMI_BOARD_VENDOR,
	DMI_BOARD_NAME,
	DMI_BOARD_VERSION,
	DMI_CHASSIS_VENDOR,
	DMI_CHASSIS_TYPE,
	DMI_CHASSIS_ASSET_TAG,
	DMI_FIELD_COUNT
};
/* The sysfs id file name of each field ("sys_vendor", ...). */
extern const char *const dmi_field_names[DMI_FIELD_COUNT];

enum fact_source { SRC_NONE = 0, SRC_SYSFS, SRC_SMBIOS };   /* a text's fields: field_line says which */
struct dmi_facts {
	bool present;                               /* sys/class/dmi/id exists */
	char *field[DMI_FIELD_COUNT];           /* trailing blanks stripped */
	enum fact_source field_src[DMI_FIELD_COUNT]; /* sysfs file, or the raw table when the file was missing */
	/* The raw table (sys/firmware/dmi/tables/{smbios_entry_point,DMI}). */
	bool smbios;                                /* entry point and table parsed */
	int smbios_major, smbios_minor;
	int vm_bit;                                 /* type 0 ext. byte 2 bit 4: -1 unknown, 0, 1 */
	int uefi_bit;                               /* type 0 ext. byte 2 bit 3: -1 unknown, 0, 1 */
	char **oem_strings;                         /* type 11, NULL-terminated, or NULL */
	size_t n_oem_strings;
	char *smbios_problem;                       /* why the raw table was rejected (truncated, bad checksum ...), or NULL */
	/* From a text: the line of each field, of the characteristics list (vm_bit, uefi_bit), of the OEM strings. */
	struct text_line field_line[DMI_FIELD_COUNT];
	struct text_line bits_line;
	struct text_line oem_line;
};

/* ---- ACPI (probe/acpi.c) ---- */
struct acpi_table {
	char signature[5];      /* "FACP"; the first 4 bytes of the sysfs file name when the header is unreadable */
	char oem_id[7];
	char oem_table_id[9];
	char creator_id[5];
	uint8_t revision;
	uint32_t length;
	struct text_line at;    /* from a text: the line of the table's header */
};
struct acpi_facts {
	bool present;                     /* sys/firmware/acpi/tables exists */
	size_t n_tables;
	struct acpi_table *tables;    /* in directory order (sorted by name) */
	bool fadt_hv_vendor_present;      /* FADT revision >= 6 and long enough */
	char fadt_hv_vendor[9];           /* 8 raw bytes + NUL ("MsHyperV") */
	char **hids;                      /* ACPI device ids from sys/bus/acpi/devices ("VMBUS", "QEMU0002"), deduplicated, sorted, NULL-terminated */
	size_t n_hids;
};

/* ---- Firmware, Xen, device tree, VMBus, kernel (probe/firmware.c, probe/xen.c, probe/devicetree.c, probe/kernel.c) ---- */
struct platform_facts {
	bool efi;                         /* sys/firmware/efi exists */
	char *hypervisor_type;            /* sys/hypervisor/type ("xen") */
	bool proc_xen;                    /* proc/xen exists */
	char *xen_capabilities;           /* proc/xen/capabilities ("control_d" in dom0) */
	char *dt_hypervisor_compatible;   /* proc/device-tree/hypervisor/compatible, its NUL-separated list joined with ' ' */
	char *dt_compatible;              /* proc/device-tree/compatible, joined likewise */
	char *dt_model;                   /* proc/device-tree/model */
	bool vmbus;                       /* sys/bus/vmbus exists */
	size_t n_vmbus_devices;
	char **vmbus_class_ids;           /* class_id of each VMBus device ("{f8615163-...}"), NULL-terminated */
	bool cpuinfo_hypervisor_flag;     /* proc/cpuinfo "flags" has "hypervisor" */
	char *cpuinfo_vendor;             /* proc/cpuinfo vendor_id (x86) */
	char *osrelease;                  /* proc/sys/kernel/osrelease ("...-microsoft-standard-WSL2") */
	char *arch;                       /* "x86_64", "aarch64" ...: proc/sys/kernel/arch, else inferred from cpuinfo, else (live) uname */
	char *sysinfo_vm;                 /* s390x proc/sysinfo "VM00 Control Program" line value ("z/VM 7.2.0") */
	bool lparcfg;                     /* ppc64 proc/ppc64/lparcfg exists (PowerVM LPAR) */
	/* sys/devices/system/clocksource/clocksource0: available_clocksource ("tsc kvm-clock "),
	 * else current_clocksource; a paravirtual clock is registered only under its hypervisor. */
	char *clocksources;
	/* Only a boot log shows these (detect/bootlog.c): the kernel's own words. */
	char *hypervisor_detected;        /* "Hypervisor detected: KVM" -> "KVM" (arm64: "smccc: KVM: hypervisor services detected") */
	char *paravirt_on;                /* "Booting paravirtualized kernel on KVM" -> "KVM" */
	/* From a text: the line of each fact above that a text showed. */
	struct text_line efi_line, vmbus_line, osrelease_line, arch_line, clocksources_line,
	                 hypervisor_detected_line, paravirt_on_line;
};

/* ---- PCI devices (probe/pci.c) ---- */
struct pci_device {
	char *slot;            /* "0000:00:08.0" */
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t class_code;   /* 24-bit class */
};
struct pci_facts {
	bool present;          /* sys/bus/pci/devices exists */
	size_t n;
	struct pci_device *devs;
};

struct facts {
	struct cpuid_facts cpuid;
	struct dmi_facts dmi;
	struct acpi_facts acpi;
	struct platform_facts plat;
	struct pci_facts pci;
};

/*
 * The probes. Each fills its part from the context's sysroot (or CPUID source)
 * and returns 0, or a negative errno only for fatal conditions (-ENOMEM, or a
 * caller-supplied input that is broken). A missing or unreadable source is not
 * an error: the facts just stay empty (logged at debug level).
 */
int probe_cpuid(struct hvd_ctx *ctx, struct cpuid_facts *out);
int probe_dmi(struct hvd_ctx *ctx, struct dmi_facts *out);     /* sysfs id files, then the raw table */
int probe_acpi(struct hvd_ctx *ctx, struct acpi_facts *out);
int probe_platform(struct hvd_ctx *ctx, struct platform_facts *out);
int probe_pci(struct hvd_ctx *ctx, struct pci_facts *out);

/*
 * Run every probe into F (zeroed first), then add what the context's texts
 * showed (detect/text.c). A context on the running system that holds a text
 * reads nothing of the machine (ctx_text_only): the text describes another one.
 */
int probe_all(struct hvd_ctx *ctx, struct facts *f);
bool ctx_text_only(const struct hvd_ctx *ctx);
/* Add to F what the context's texts showed and F lacks. 0 or -ENOMEM. */
int text_facts_fill(const struct hvd_ctx *ctx, struct facts *f);
void facts_free(struct facts *f);
void dmi_facts_free(struct dmi_facts *d);
void acpi_facts_free(struct acpi_facts *a);
void platform_facts_free(struct platform_facts *p);
void pci_facts_free(struct pci_facts *p);

#endif
