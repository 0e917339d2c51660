/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The verdict: the one room where evidence is weighed and every precedence rule
 * lives. Probes only gather facts; signatures.c only says what one fact points
 * to. Here the facts become "claims" (one evidence entry each), the rules below
 * pick the hypervisor, and every claim's entry is finally told whether it
 * counted, was ignored, or conflicted, and why.
 *
 * Every signature has a strength (signatures.h): SIG_ALONE strings exist only
 * on one hypervisor's VMs and decide alone; SIG_SECOND strings are also found
 * on real hardware and need a second, independent source; SIG_CONTEXT facts
 * never decide. A clear SMBIOS "virtual machine" bit is no evidence (real VMs
 * of nearly every hypervisor leave it clear); a set one is strong.
 *
 * Hypervisor rules, first match wins:
 *  1. A Hyper-V root partition (the CreatePartitions privilege): host.
 *  2. VirtualBox and Parallels named by DMI/ACPI beat the KVM or Hyper-V
 *     interface (CPUID signature, kvm-clock) they offer their guests.
 *  3. CPUID names Hyper-V or Xen but QEMU's own strings are there, which
 *     neither ever gives: KVM emulating that interface.
 *  4. Xen's control domain (proc/xen/capabilities control_d), or a kernel on
 *     Xen that sees the machine's own firmware (DMI/ACPI present, none of it
 *     Xen's: a domU never sees real firmware): host, unless that firmware is
 *     itself another hypervisor's VM (dom0 nested in a VM: a guest of it).
 *  5. A known CPUID signature names the hypervisor (the highest range: KVM
 *     above "Microsoft Hv" = KVM with Hyper-V enlightenments), unless the
 *     kernel visibly talks to another one (paravirtual clocksource, FADT
 *     hypervisor vendor, VMBus, sys/hypervisor) and nothing else supports
 *     CPUID's: then CPUID is an outer host's, not intercepted (PVM). A known
 *     signature behind a clear hypervisor bit still counts (bare metal
 *     answers garbage there, never a signature), with less confidence.
 *  6. Hypervisor bit set, no known signature: the other sources vote; a QEMU
 *     machine here is TCG (KVM would have answered KVMKVMKVM); a cloud whose
 *     VMs run on one hypervisor names it; else "other".
 *  7. No CPUID signature (bit clear, or no CPUID at all: arm64, captures,
 *     dmidecode-only machines): the other sources vote, and the winner needs
 *     a SIG_ALONE fact, or two independent sources, or the SMBIOS VM bit
 *     set. Else a cloud whose bare-metal instances are marked, unmarked,
 *     names its VMs' hypervisor; a set SMBIOS VM bit alone says "other".
 *     A QEMU machine is reported as kvm: without CPUID, KVM and TCG cannot
 *     be told apart and KVM is the common case; the confidence says so.
 * A source that names a different hypervisor than the verdict is a conflict
 * (lower confidence, spelled out in its evidence note) unless it is
 * supporting-only (PCI devices can be passed through).
 *
 * Confidence (0..100):
 *  hypervisor found: independent sources agreeing (CPUID, DMI/SMBIOS, ACPI,
 *    kernel files, PCI): 1 -> 65 (75 when it is CPUID), 2 -> 85, 3 -> 95,
 *    4+ -> 98; capped at 70 when KVM vs TCG was guessed, 60 when only a cloud's
 *    strings implied KVM (no CPUID signature), 65 when the hypervisor
 *    bit was clear, 50 for "other"; a conflict subtracts 25 and caps at 50.
 *  none: hypervisor bit clear and physical DMI -> 90; bit clear -> 80 (70
 *    from proc/cpuinfo only); no CPUID but DMI/ACPI without VM strings -> 70;
 *    VM-looking strings ignored -> at most 80/50; nothing to go on -> 30.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "signatures.h"
#include "verdict.h"

enum domain { D_CPUID, D_KERNEL, D_DMI, D_ACPI, D_PCI, D_COUNT };

#define MAX_CLAIMS 96
#define NO_EV ((size_t)-1)

struct claim {
	struct sig_meaning m;
	enum domain dom;
	int weight;
	size_t ev;
	bool paravirt;    /* an interface the machine's hypervisor offers or emulates: consistent, not counted */
};

struct state {
	const struct facts *f;
	struct hvd_verdict *v;
	bool oom;
	struct claim claims[MAX_CLAIMS];
	size_t n_claims;

	int bit;                      /* hypervisor bit: -1 unknown, 0, 1 */
	size_t bit_ev;                /* its evidence entry */
	bool bit_from_cpuinfo;
	struct claim *cpuid;          /* the range that counts, or NULL */
	bool hv_root;                 /* Hyper-V root partition privileges */
	bool xen_dom0;
	bool dmi_vm_strings;          /* any SIG_ALONE DMI/ACPI claim */
	bool metal;                   /* a bare-metal instance marker (SIG_BARE_METAL) */

	const char *hv, *platform, *role;
	bool conflict, bit_override, guessed_accel, guessed_cloud;
};

static bool is(const char *a, const char *b) { return streq_ptr(a, b); }

/* ---------------------------------------------------------------- evidence */

static char *dup_or_oom(struct state *s, const char *str)
{
	char *d;

	if (!str)
		return NULL;
	d = strdup(str);
	if (!d)
		s->oom = true;
	return d;
}

static size_t ev_add(struct state *s, const char *source, const char *key, const char *value,
                     const char *points_to, int weight, const char *note)
{
	struct hvd_verdict *v = s->v;
	struct hvd_evidence *e;

	if (v->n_evidence == v->cap_evidence) {
		size_t cap = v->cap_evidence ? v->cap_evidence * 2 : 16;
		e = reallocarray(v->evidence, cap, sizeof(*e));
		if (!e) {
			s->oom = true;
			return NO_EV;
		}
		v->evidence = e;
		v->cap_evidence = cap;
	}
	e = &v->evidence[v->n_evidence];
	e->source = dup_or_oom(s, source);
	e->key = dup_or_oom(s, key);
	e->value = dup_or_oom(s, value);
	e->points_to = dup_or_oom(s, points_to);
	e->note = dup_or_oom(s, note);
	e->weight = weight;
	return v->n_evidence++;
}

/* Append "; TEXT" to an entry's note. */
static void ev_note(struct state *s, size_t idx, const char *format, ...) HVD_PRINTF(3, 4);
static void ev_note(struct state *s, size_t idx, const char *format, ...)
{
	struct hvd_evidence *e;
	char *add, *joined;
	va_list ap;
	int r;

	if (idx == NO_EV || idx >= s->v->n_evidence)
		return;
	e = &s->v->evidence[idx];
	va_start(ap, format);
	r = vasprintf(&add, format, ap);
	va_end(ap);
	if (r < 0) {
		s->oom = true;
		return;
	}
	if (e->note) {
		joined = strdup_printf("%s; %s", e->note, add);
		free(add);
		if (!joined) {
			s->oom = true;
			return;
		}
	} else
		joined = add;
	free((char *)e->note);
	e->note = joined;
}

static struct claim *claim_add(struct state *s, enum domain dom, const struct sig_meaning *m, int weight,
                               const char *source, const char *key, const char *value)
{
	struct claim *c;

	if (s->n_claims >= MAX_CLAIMS)
		return NULL;
	c = &s->claims[s->n_claims++];
	*c = (struct claim) { .m = *m, .dom = dom, .weight = weight };
	c->ev = ev_add(s, source, key, value, m->hypervisor ? m->hypervisor : m->platform, weight, m->meaning);
	if ((dom == D_DMI || dom == D_ACPI) && m->strength == SIG_ALONE)
		s->dmi_vm_strings = true;
	s->metal |= (m->flags & SIG_BARE_METAL) != 0;
	return c;
}

/* Whether claim C supports hypervisor HV. */
static bool agrees(const struct claim *c, const char *hv)
{
	if (!c->m.hypervisor || !hv)
		return false;
	if (is(c->m.hypervisor, hv))
		return true;
	return (c->m.flags & SIG_QEMU_FAMILY) && (is(hv, "kvm") || is(hv, "qemu"));
}

/*
 * Where a fact was read: SOURCE and KEY for the sysroot; a text's kind ("log",
 * "dmidecode") and "line N: KEY" when a text showed it (facts.h, text_line).
 */
static const char *ev_src(struct text_line at, const char *source)
{
	return at.text ? text_kind_name(at.text) : source;
}

static const char *ev_key(struct text_line at, const char *key, char buf[96])
{
	if (!at.text)
		return key;
	snprintf(buf, 96, "line %u: %s", (unsigned)at.line, key);
	return buf;
}

/* ------------------------------------------------------------------ CPUID */

/* The 12 signature bytes as text: trailing NULs dropped, inner NULs and controls as '.'. */
static void sig_text(const char sig[12], char out[13])
{
	size_t n = 12;

	while (n > 0 && sig[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)sig[i] < 0x20 || (unsigned char)sig[i] >= 0x7f ? '.' : sig[i];
	out[n] = '\0';
}

static bool sig_empty(const char sig[12])
{
	for (size_t i = 0; i < 12; i++)
		if (sig[i])
			return false;
	return true;
}

/* "Microsoft Hv" is Hyper-V only with the Hv#1 interface; a dump that lacks the leaf does not deny it. */
static bool hyperv_interface_ok(const struct cpuid_facts *c)
{
	if (!c->hv_leaves)
		return false;
	if (!c->hv_interface_known)
		return c->from_dump;
	return c->hv_interface == HV_INTERFACE_HV1;
}

static void read_cpuid(struct state *s)
{
	const struct cpuid_facts *c = &s->f->cpuid;
	const struct cpuid_signature *sigs[CPUID_MAX_RANGES] = { 0 };
	size_t n = c->n_ranges < CPUID_MAX_RANGES ? c->n_ranges : CPUID_MAX_RANGES;
	ssize_t top = -1;
	char key[64], text[13];

	s->bit_ev = NO_EV;
	if (!c->available) {
		s->bit = -1;
		if (s->f->plat.cpuinfo_vendor) {
			s->bit = s->f->plat.cpuinfo_hypervisor_flag;
			s->bit_from_cpuinfo = true;
			s->bit_ev = ev_add(s, "cpuinfo", "flags", s->bit ? "hypervisor" : "(no hypervisor flag)", NULL, W_CONTEXT,
			       s->bit ? "the kernel saw the CPUID hypervisor bit (no CPUID dump to read signatures from)"
			              : "the kernel saw no CPUID hypervisor bit (no CPUID dump)");
		}
		return;
	}
	s->bit = c->hypervisor_bit;
	s->bit_ev = ev_add(s, "cpuid", "0x00000001 ecx[31]", s->bit ? "1" : "0", NULL, W_CONTEXT,
	       s->bit ? "hypervisor bit set: running under a hypervisor" : "hypervisor bit clear: no hypervisor announced");

	for (size_t i = 0; i < n; i++) {
		sigs[i] = cpuid_signature_lookup(c->ranges[i].signature);
		if (!sigs[i])
			continue;
		if (is(sigs[i]->m.hypervisor, "hyperv") && !hyperv_interface_ok(c))
			continue;
		top = (ssize_t)i;
	}

	for (size_t i = 0; i < n; i++) {
		const struct cpuid_range *rg = &c->ranges[i];

		if (sig_empty(rg->signature) && !sigs[i])
			continue;
		snprintf(key, sizeof(key), "0x%08x signature", rg->base);
		sig_text(rg->signature, text);
		if ((ssize_t)i == top) {
			s->cpuid = claim_add(s, D_CPUID, &sigs[i]->m, W_CPUID, "cpuid", key, text);
			if (n > 1 && i > 0)
				ev_note(s, s->cpuid ? s->cpuid->ev : NO_EV, "the highest hypervisor range names the hypervisor");
			if (!s->bit)
				ev_note(s, s->cpuid ? s->cpuid->ev : NO_EV, "behind a clear hypervisor bit (hidden): bare "
				        "metal answers garbage in these leaves, never a hypervisor's signature");
			continue;
		}
		size_t ev = ev_add(s, "cpuid", key, text, sigs[i] ? sigs[i]->m.hypervisor : NULL, 0,
		                   sigs[i] ? sigs[i]->m.meaning : "unknown signature");
		if (!s->bit && !sigs[i])
			ev_note(s, ev, "ignored: hypervisor bit clear (bare metal answers garbage in these leaves)");
		else if (sigs[i] && is(sigs[i]->m.hypervisor, "hyperv") && !hyperv_interface_ok(c))
			ev_note(s, ev, "ignored: no Hv#1 interface in 0x%08x, so not Hyper-V", rg->base + 1);
		else if (top >= 0 && (ssize_t)i < top)
			ev_note(s, ev, "a lower range: an interface the hypervisor at 0x%08x also offers", c->ranges[top].base);
		else
			ev_note(s, ev, "ignored");
	}

	if (s->cpuid && is(s->cpuid->m.hypervisor, "hyperv")) {
		uint32_t ebx = c->hv_features[1];

		ev_add(s, "cpuid", "0x40000001 eax", "Hv#1", "hyperv", W_CONTEXT, "the Hyper-V hypervisor interface");
		if (c->hv_max_leaf < 0x40000005 || (c->hv_features[0] & 0x60) != 0x60)
			ev_note(s, s->cpuid->ev, "Linux would not enable its Hyper-V support (max leaf 0x%x, privileges 0x%x)",
			        c->hv_max_leaf, c->hv_features[0]);
		/* CreatePartitions: only the partition that creates the others, the root, holds it. */
		if (ebx & 1u) {
			char val[16];

			s->hv_root = true;
			snprintf(val, sizeof(val), "0x%08x", ebx);
			ev_add(s, "cpuid", "0x40000003 ebx", val, "hyperv", W_CONTEXT,
			       "CreatePartitions privilege: the Hyper-V root partition (the host)");
		}
	}
}

/* -------------------------------------------------------------------- DMI */

static void read_dmi(struct state *s)
{
	/* Shown even when they match nothing: "physical DMI" must be visible in --explain. */
	static const enum dmi_field identity[] = { DMI_SYS_VENDOR, DMI_PRODUCT_NAME, DMI_BIOS_VENDOR, DMI_BIOS_VERSION };
	const struct dmi_facts *d = &s->f->dmi;
	bool matched[DMI_FIELD_COUNT] = { false };
	char kb[96];

	for (size_t i = 0; i < n_dmi_signatures; i++) {
		const struct dmi_signature *sig = &dmi_signatures[i];
		const char *val = d->field[sig->field];
		int w;

		if (!str_match(val, sig->how, sig->text))
			continue;
		if (sig->also_text && !str_match(d->field[sig->also_field], MATCH_EXACT, sig->also_text))
			continue;
		w = !sig->m.hypervisor ? W_PLATFORM : sig->m.strength == SIG_ALONE ? W_DMI_VM : W_DMI;
		claim_add(s, D_DMI, &sig->m, w,
		          ev_src(d->field_line[sig->field], d->field_src[sig->field] == SRC_SMBIOS ? "smbios" : "dmi"),
		          ev_key(d->field_line[sig->field], dmi_field_names[sig->field], kb), val);
		matched[sig->field] = true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(identity); i++) {
		enum dmi_field k = identity[i];
		if (d->field[k] && !matched[k])
			ev_add(s, ev_src(d->field_line[k], d->field_src[k] == SRC_SMBIOS ? "smbios" : "dmi"),
			       ev_key(d->field_line[k], dmi_field_names[k], kb), d->field[k],
			       NULL, 0, "identity: names no hypervisor");
	}
	if (d->smbios && d->vm_bit >= 0)
		ev_add(s, ev_src(d->bits_line, "smbios"), ev_key(d->bits_line, "type 0 characteristics ext. byte 2 bit 4", kb),
		       d->vm_bit ? "1" : "0", NULL,
		       W_CONTEXT, d->vm_bit ? "the firmware says: this is a virtual machine"
		                            : "the firmware does not claim a virtual machine");
	if (d->smbios_problem)
		ev_add(s, "smbios", "table", d->smbios_problem, NULL, 0, "raw SMBIOS table rejected");
}

/* ------------------------------------------------------------------- ACPI */

static const char *acpi_field_name(enum acpi_field f)
{
	switch (f) {
	case ACPI_OEM_ID: return "oem_id";
	case ACPI_OEM_TABLE_ID: return "oem_table_id";
	case ACPI_CREATOR_ID: return "creator_id";
	default: return "?";
	}
}

static void read_acpi(struct state *s)
{
	const struct acpi_facts *a = &s->f->acpi;
	bool seen[64] = { false };   /* one claim per signature entry, from the first table that has it */
	char key[64], kb[96];

	for (size_t t = 0; t < a->n_tables; t++) {
		const struct acpi_table *tb = &a->tables[t];

		for (size_t i = 0; i < n_acpi_signatures && i < ARRAY_SIZE(seen); i++) {
			const struct acpi_signature *sig = &acpi_signatures[i];
			const char *val;

			switch (sig->field) {
			case ACPI_OEM_ID: val = tb->oem_id; break;
			case ACPI_OEM_TABLE_ID: val = tb->oem_table_id; break;
			case ACPI_CREATOR_ID: val = tb->creator_id; break;
			default: continue;
			}
			if (seen[i] || !str_match(val, sig->how, sig->text))
				continue;
			seen[i] = true;
			snprintf(key, sizeof(key), "%s %s", tb->signature, acpi_field_name(sig->field));
			claim_add(s, D_ACPI, &sig->m, !sig->m.hypervisor ? W_PLATFORM : W_ACPI_VM, ev_src(tb->at, "acpi"),
			          ev_key(tb->at, key, kb), val);
		}
	}
	if (a->fadt_hv_vendor_present && a->fadt_hv_vendor[0]) {
		static const struct sig_meaning unknown = { "other", NULL, SIG_ALONE, 0,
		                                            "FADT hypervisor vendor identity (unknown vendor)" };
		const struct sig_meaning *m = &unknown;

		for (size_t i = 0; i < n_acpi_signatures; i++)
			if (acpi_signatures[i].field == ACPI_FADT_HV_VENDOR &&
			    str_match(a->fadt_hv_vendor, acpi_signatures[i].how, acpi_signatures[i].text)) {
				m = &acpi_signatures[i].m;
				break;
			}
		claim_add(s, D_ACPI, m, m == &unknown ? W_ACPI : W_ACPI_VM + 10, "acpi", "FACP hypervisor_vendor",
		          a->fadt_hv_vendor);
	}
	for (size_t h = 0; h < a->n_hids && a->hids && a->hids[h]; h++)
		for (size_t i = 0; i < n_acpi_signatures; i++)
			if (acpi_signatures[i].field == ACPI_HID &&
			    str_match(a->hids[h], acpi_signatures[i].how, acpi_signatures[i].text)) {
				claim_add(s, D_ACPI, &acpi_signatures[i].m, W_ACPI, "acpi", "device", a->hids[h]);
				break;
			}
}

/* ---------------------------------------- kernel files: Xen, DT, VMBus, ... */

/* The value of one kernel fact as text, NULL when the kernel does not show it. */
static const char *kernel_fact(const struct platform_facts *p, enum kernel_fact k, char buf[32])
{
	switch (k) {
	case KF_HYPERVISOR_TYPE: return p->hypervisor_type && p->hypervisor_type[0] ? p->hypervisor_type : NULL;
	case KF_PROC_XEN: return p->proc_xen ? "present" : NULL;
	case KF_CLOCKSOURCE: return p->clocksources;
	case KF_DT_HYPERVISOR: return p->dt_hypervisor_compatible;
	case KF_DT_COMPATIBLE: return p->dt_compatible;
	case KF_DT_MODEL: return p->dt_model;
	case KF_VMBUS_DEVICES:
		if (!p->n_vmbus_devices)
			return NULL;
		snprintf(buf, 32, "%zu devices", p->n_vmbus_devices);
		return buf;
	case KF_VMBUS: return p->vmbus && !p->n_vmbus_devices ? "present" : NULL;
	case KF_OSRELEASE: return p->osrelease;
	case KF_SYSINFO_VM: return p->sysinfo_vm;
	case KF_LPARCFG: return p->lparcfg ? "present" : NULL;
	case KF_HYPERVISOR_DETECTED: return p->hypervisor_detected;
	case KF_PARAVIRT_ON: return p->paravirt_on;
	default: return NULL;
	}
}

/* Evidence source and key of each kernel fact. */
static const char *const kernel_fact_where[KF_COUNT][2] = {
	[KF_HYPERVISOR_TYPE] = { "xen", "sys/hypervisor/type" },
	[KF_PROC_XEN] = { "xen", "proc/xen" },
	[KF_CLOCKSOURCE] = { "kernel", "clocksource" },
	[KF_DT_HYPERVISOR] = { "devicetree", "hypervisor/compatible" },
	[KF_DT_COMPATIBLE] = { "devicetree", "compatible" },
	[KF_DT_MODEL] = { "devicetree", "model" },
	[KF_VMBUS_DEVICES] = { "vmbus", "sys/bus/vmbus/devices" },
	[KF_VMBUS] = { "vmbus", "sys/bus/vmbus" },
	[KF_OSRELEASE] = { "kernel", "osrelease" },
	[KF_SYSINFO_VM] = { "kernel", "proc/sysinfo VM00 Control Program" },
	[KF_LPARCFG] = { "kernel", "proc/ppc64/lparcfg" },
	[KF_HYPERVISOR_DETECTED] = { "kernel", "Hypervisor detected" },
	[KF_PARAVIRT_ON] = { "kernel", "Booting paravirtualized kernel on" },
};

/* The text line of a kernel fact (zero: the sysroot's file). */
static struct text_line kernel_fact_at(const struct platform_facts *p, enum kernel_fact k)
{
	switch (k) {
	case KF_CLOCKSOURCE: return p->clocksources_line;
	case KF_VMBUS: return p->vmbus_line;
	case KF_OSRELEASE: return p->osrelease_line;
	case KF_HYPERVISOR_DETECTED: return p->hypervisor_detected_line;
	case KF_PARAVIRT_ON: return p->paravirt_on_line;
	default: return (struct text_line) { 0 };
	}
}

static void read_kernel(struct state *s)
{
	const struct platform_facts *p = &s->f->plat;
	bool done[KF_COUNT] = { false };
	char buf[32], ubuf[32], kb[96];

	if (p->efi)
		ev_add(s, ev_src(p->efi_line, "efi"), ev_key(p->efi_line, p->efi_line.text ? "efi" : "sys/firmware/efi", kb),
		       "present", NULL, W_CONTEXT, "booted through UEFI");
	if (p->xen_capabilities && strstr(p->xen_capabilities, "control_d")) {
		s->xen_dom0 = true;
		ev_add(s, "xen", "proc/xen/capabilities", p->xen_capabilities, "xen", W_CONTEXT,
		       "control_d: the control domain (dom0)");
	}
	for (size_t i = 0; i < n_kernel_signatures; i++) {
		const struct kernel_signature *sig = &kernel_signatures[i];
		const char *val = kernel_fact(p, sig->fact, buf);

		if (done[sig->fact] || !val || (sig->text && !str_match(val, sig->how, sig->text)))
			continue;
		if (sig->unless_fact != KF_NONE &&
		    str_match(kernel_fact(p, sig->unless_fact, ubuf), MATCH_CONTAINS, sig->unless_text))
			continue;
		done[sig->fact] = true;
		claim_add(s, D_KERNEL, &sig->m, sig->weight, ev_src(kernel_fact_at(p, sig->fact), kernel_fact_where[sig->fact][0]),
		          ev_key(kernel_fact_at(p, sig->fact), kernel_fact_where[sig->fact][1], kb), val);
	}
}

/* -------------------------------------------------------------------- PCI */

static void read_pci(struct state *s)
{
	const struct pci_facts *p = &s->f->pci;
	bool seen[32] = { false };
	char val[48];

	for (size_t d = 0; d < p->n && p->devs; d++) {
		const struct pci_device *dev = &p->devs[d];

		for (size_t i = 0; i < n_pci_signatures && i < ARRAY_SIZE(seen); i++) {
			const struct pci_signature *sig = &pci_signatures[i];
			uint16_t vendor = sig->subsystem ? dev->subvendor : dev->vendor;

			if (seen[i] || vendor != sig->vendor || (sig->device >= 0 && dev->device != sig->device))
				continue;
			/* Subsystem 1af4 on a virtio device says nothing the vendor did not. */
			if (sig->subsystem && dev->vendor == 0x1af4)
				continue;
			seen[i] = true;
			if (sig->subsystem)
				snprintf(val, sizeof(val), "%04x:%04x subsystem %04x:%04x", dev->vendor, dev->device,
				         dev->subvendor, dev->subdevice);
			else
				snprintf(val, sizeof(val), "%04x:%04x", dev->vendor, dev->device);
			claim_add(s, D_PCI, &sig->m, W_PCI, "pci", dev->slot ? dev->slot : "?", val);
		}
	}
}

/* ------------------------------------------------------------ the rules */

struct vote {
	const char *hv;
	bool specific;       /* at least one supporting claim names this hypervisor itself, not "a QEMU machine" */
	bool iface;          /* at least one supporting claim is the kernel's interface to it */
	unsigned domains;    /* bit set of supporting domains */
	unsigned n_alone;    /* supporting SIG_ALONE claims */
};

/* Whether a vote is enough to name a hypervisor: a fact only its VMs carry, or two independent sources. */
static bool vote_suffices(const struct vote *v)
{
	return v->hv && (v->n_alone > 0 || __builtin_popcount(v->domains) >= 2);
}

/*
 * The hypervisor most weight points to among claims from the domains in MASK
 * (SIG_CONTEXT claims never vote). With STRICT, only candidates whose support
 * suffices (vote_suffices) compete. QEMU-family facts count for both kvm and
 * qemu. Returns NULL when nothing qualifies.
 */
static const char *vote(struct state *s, unsigned mask, bool strict, struct vote *out)
{
	struct { const char *hv; int sum; } tally[16];
	size_t n = 0;
	const char *best = NULL;
	int best_sum = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		const char *ids[2] = { c->m.hypervisor, NULL };

		if (!c->m.hypervisor || c->m.strength == SIG_CONTEXT || !(mask & (1u << c->dom)))
			continue;
		if (c->m.flags & SIG_QEMU_FAMILY)
			ids[1] = is(c->m.hypervisor, "kvm") ? "qemu" : "kvm";
		for (size_t k = 0; k < 2 && ids[k]; k++) {
			size_t j;
			for (j = 0; j < n && !is(tally[j].hv, ids[k]); j++)
				;
			if (j == n) {
				if (n == ARRAY_SIZE(tally))
					continue;
				tally[n++] = (typeof(tally[0])) { ids[k], 0 };
			}
			tally[j].sum += c->weight;
		}
	}
	for (size_t j = 0; j < n; j++) {
		struct vote v = { .hv = tally[j].hv };

		for (size_t i = 0; i < s->n_claims; i++) {
			const struct claim *c = &s->claims[i];
			if (c->m.strength == SIG_CONTEXT || !(mask & (1u << c->dom)) || !agrees(c, v.hv))
				continue;
			v.n_alone += c->m.strength == SIG_ALONE;
			v.specific |= is(c->m.hypervisor, v.hv) && !(c->m.flags & SIG_QEMU_FAMILY);
			v.iface |= (c->m.flags & SIG_KERNEL_IFACE) != 0;
			v.domains |= 1u << c->dom;
		}
		if (strict && !vote_suffices(&v))
			continue;
		/* Ties: prefer the hypervisor some fact names itself (KVM over a bare "QEMU machine"). */
		if (tally[j].sum > best_sum || (tally[j].sum == best_sum && v.specific && !out->specific)) {
			best = tally[j].hv;
			best_sum = tally[j].sum;
			*out = v;
		}
	}
	/* A QEMU machine with nothing naming the accelerator: KVM (see rule 7). */
	if (best && is(best, "qemu") && !out->specific)
		best = out->hv = "kvm";
	return best;
}

#define ALL_DOMAINS ((1u << D_COUNT) - 1)
#define NOT_CPUID (ALL_DOMAINS & ~(1u << D_CPUID))
#define FIRMWARE ((1u << D_DMI) | (1u << D_ACPI))

static unsigned popcount(unsigned x) { return (unsigned)__builtin_popcount(x); }

/* SMBIOS "virtual machine" bit: -1 unknown (no raw table), 0, 1. */
static int vm_bit(const struct state *s)
{
	return s->f->dmi.smbios ? s->f->dmi.vm_bit : -1;
}

/* Whether a DMI/ACPI fact only HV's VMs carry is there (FLAGS: and has these flags). */
static bool firmware_names(const struct state *s, const char *hv, unsigned flags)
{
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		if ((c->dom == D_DMI || c->dom == D_ACPI) && c->m.strength == SIG_ALONE &&
		    (c->m.flags & flags) == flags && (!hv || agrees(c, hv)))
			return true;
	}
	return false;
}

/*
 * The hypervisor's own interfaces that the machine's real hypervisor offers or
 * emulates (CPUID range, paravirtual clock, sys/hypervisor ...): consistent
 * with the verdict, never a conflict. Each gets WHY in its note.
 */
static void offered_interface(struct state *s, const char *iface_hv, const char *why)
{
	for (size_t i = 0; i < s->n_claims; i++) {
		struct claim *c = &s->claims[i];
		if (c->paravirt || !is(c->m.hypervisor, iface_hv) ||
		    !(c->dom == D_CPUID || (c->m.flags & SIG_KERNEL_IFACE)))
			continue;
		c->paravirt = true;
		ev_note(s, c->ev, "%s", why);
	}
}

/*
 * Clouds whose strings name no hypervisor: their VMs run on the registry's
 * hypervisor for them. Where bare-metal instances carry the same strings, only
 * when a VM is otherwise known (VM_KNOWN), or the cloud marks its bare metal
 * (AWS .metal, Alibaba EBM) and no marker is there.
 */
static const char *cloud_default_hv(struct state *s, bool vm_known)
{
	if (s->metal)
		return NULL;
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		const struct reg_entry *cloud;

		if (c->m.hypervisor || !c->m.platform || c->m.strength == SIG_CONTEXT)
			continue;
		cloud = registry_find(REG_PLATFORM, c->m.platform);
		if (!cloud || !cloud->hypervisor)
			continue;
		if (!vm_known && (cloud->flags & REG_HAS_METAL) && !platform_marks_metal(c->m.platform))
			continue;
		ev_note(s, c->ev, "this cloud's VMs run on %s", cloud->hypervisor);
		return cloud->hypervisor;
	}
	return NULL;
}

/*
 * Rule 4: the kernel runs on Xen and sees the machine's own firmware (only the
 * control domain does; a domU's DMI and ACPI, when it has any, are Xen's).
 */
static bool xen_control_domain(struct state *s, const char *cpu_hv)
{
	bool kernel_on_xen = false;

	if (s->xen_dom0)
		return true;
	if (cpu_hv && !is(cpu_hv, "xen"))
		return false;
	for (size_t i = 0; i < s->n_claims; i++)
		kernel_on_xen |= s->claims[i].dom == D_KERNEL && is(s->claims[i].m.hypervisor, "xen");
	return kernel_on_xen && (s->f->dmi.present || s->f->acpi.present) && !firmware_names(s, "xen", 0);
}

/* Whether a claim from the domains in MASK that only HV's VMs carry, or the kernel's interface, supports HV. */
static bool vote_for(const struct state *s, unsigned mask, const char *hv)
{
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		if ((mask & (1u << c->dom)) && agrees(c, hv) &&
		    (c->m.strength == SIG_ALONE || (c->m.flags & SIG_KERNEL_IFACE)))
			return true;
	}
	return false;
}

static void decide_hypervisor(struct state *s)
{
	const char *cpu_hv = s->cpuid ? s->cpuid->m.hypervisor : NULL;
	const char *pv_owner = firmware_names(s, "virtualbox", 0) ? "virtualbox"
	                     : firmware_names(s, "parallels", 0) ? "parallels" : NULL;
	struct vote v;

	s->role = "guest";
	/* 1. Hyper-V root partition. */
	if (is(cpu_hv, "hyperv") && s->hv_root) {
		s->hv = "hyperv";
		s->role = "host";
		return;
	}
	/* 2. VirtualBox / Parallels behind the paravirt interfaces they offer. */
	if (pv_owner && (!cpu_hv || is(cpu_hv, "kvm") || is(cpu_hv, "hyperv") || is(cpu_hv, pv_owner))) {
		char why[96];

		s->hv = pv_owner;
		snprintf(why, sizeof(why), "the paravirt interface %s offers its guests; DMI names the hypervisor", pv_owner);
		offered_interface(s, "kvm", why);
		offered_interface(s, "hyperv", why);
		return;
	}
	/* 3. KVM emulating Hyper-V or Xen: QEMU's own strings, which neither ever gives. */
	if ((is(cpu_hv, "hyperv") || is(cpu_hv, "xen")) && firmware_names(s, NULL, SIG_QEMU_FAMILY)) {
		s->hv = "kvm";
		offered_interface(s, cpu_hv, is(cpu_hv, "hyperv")
		                  ? "Hyper-V enlightenments of KVM (its own signature hidden): the machine's "
		                    "DMI/ACPI strings are QEMU's, which Hyper-V never gives"
		                  : "KVM's Xen emulation: the machine's DMI/ACPI strings are QEMU's, which Xen "
		                    "never gives");
		return;
	}
	/* 4. Xen's control domain: a host, unless its firmware is another hypervisor's VM. */
	if (xen_control_domain(s, cpu_hv)) {
		const char *outer = vote(s, FIRMWARE, true, &v);

		if (outer && !is(outer, "xen")) {
			s->hv = outer;
			offered_interface(s, "xen", "Xen's control domain (dom0), nested in this virtual machine");
			return;
		}
		if (!s->xen_dom0)
			offered_interface(s, "xen", "the kernel runs on Xen and sees the machine's own firmware, "
			                  "which only the control domain (dom0) does");
		s->hv = "xen";
		s->role = "host";
		return;
	}
	/* 5. A known CPUID signature, unless the kernel talks to another hypervisor. */
	if (cpu_hv) {
		const char *others = vote(s, NOT_CPUID, true, &v);

		s->hv = cpu_hv;
		if (is(cpu_hv, "hyperv") && is(others, "xen")) {
			s->hv = "xen";
			offered_interface(s, "hyperv", "Xen's viridian (Hyper-V) interface, its own range not "
			                  "recognised: the kernel and DMI/ACPI say Xen, which Hyper-V never gives");
		} else if (others && !agrees(s->cpuid, others) && v.iface && !vote_for(s, NOT_CPUID, cpu_hv)) {
			s->hv = others;
			s->cpuid->paravirt = true;
			ev_note(s, s->cpuid->ev, "an outer host's signature: the kernel talks to %s (CPUID not "
			        "intercepted, as under PVM)", others);
		} else if (!s->bit)
			s->bit_override = true;
		return;
	}
	/* 6. Hypervisor bit set, no known signature. */
	if (s->bit == 1) {
		s->hv = vote(s, NOT_CPUID, true, &v);
		if (!s->hv && (s->hv = cloud_default_hv(s, true)))
			s->guessed_cloud = true;
		else if (!s->hv)
			s->hv = "other";
		else if (is(s->hv, "kvm") && !v.specific && !s->bit_from_cpuinfo) {
			s->hv = "qemu";
			s->guessed_accel = true;
		} else if (is(s->hv, "kvm") && !v.specific)
			s->guessed_accel = true;
		return;
	}
	/* 7. No CPUID signature: facts only VMs carry, two sources, or the firmware's own word. */
	s->hv = vote(s, NOT_CPUID, vm_bit(s) != 1, &v);
	if (s->hv) {
		s->guessed_accel = is(s->hv, "kvm") && !v.specific;
		s->bit_override = s->bit == 0;
		return;
	}
	if ((s->hv = cloud_default_hv(s, vm_bit(s) == 1))) {
		s->guessed_cloud = true;
		s->bit_override = s->bit == 0;
		return;
	}
	if (vm_bit(s) == 1) {
		s->hv = "other";
		return;
	}
	s->hv = "none";
	s->role = "none";
}

static bool platform_ok(const struct claim *c, const char *hv)
{
	if (!c->m.platform || c->m.strength == SIG_CONTEXT)
		return false;
	if (is(c->m.platform, "azure"))
		return is(hv, "hyperv");
	if (!c->m.hypervisor || (c->m.flags & SIG_PLATFORM_ANY_HV))
		return true;
	return !is(hv, "none") && agrees(c, hv);
}

static void decide_platform(struct state *s)
{
	static const enum domain order[] = { D_CPUID, D_KERNEL, D_DMI, D_ACPI };
	const struct claim *chosen = NULL;

	if (is(s->role, "host"))
		return;
	for (size_t o = 0; o < ARRAY_SIZE(order) && !chosen; o++)
		for (size_t i = 0; i < s->n_claims && !chosen; i++)
			if (s->claims[i].dom == order[o] && platform_ok(&s->claims[i], s->hv))
				chosen = &s->claims[i];
	if (!chosen)
		return;
	s->platform = chosen->m.platform;
	if (is(s->hv, "none") && s->metal)
		ev_note(s, chosen->ev, "a bare-metal instance of this cloud");
}

/* ------------------------------------------------ firmware, generation ... */

static bool is_x86(const struct state *s)
{
	const char *arch = s->f->plat.arch;

	if (s->f->cpuid.available)
		return true;
	return !arch || startswith(arch, "x86") || (arch[0] == 'i' && strstr(arch, "86"));
}

static void decide_details(struct state *s)
{
	const struct facts *f = s->f;
	const char *bios_vendor = f->dmi.field[DMI_BIOS_VENDOR];
	const char *bios_version = f->dmi.field[DMI_BIOS_VERSION];
	struct hvd_verdict *v = s->v;

	/* Hyper-V generation: 2 is UEFI-only, 1 is the BIOS machine with legacy devices. */
	if (is(s->hv, "hyperv") && is(s->role, "guest") && !is(s->platform, "wsl")) {
		bool legacy_video = false;
		char kb[96];

		for (size_t i = 0; i < f->pci.n && f->pci.devs; i++)
			legacy_video |= f->pci.devs[i].vendor == 0x1414 && f->pci.devs[i].device == 0x5353;
		if (f->plat.efi)
			v->generation = 2;
		else if (is(bios_vendor, "Microsoft Corporation") || str_match(bios_version, MATCH_CONTAINS, "Hyper-V UEFI")) {
			/* The field that said so (a boot log's DMI line shows the version, not the vendor). */
			enum dmi_field k = is(bios_vendor, "Microsoft Corporation") ? DMI_BIOS_VENDOR : DMI_BIOS_VERSION;

			v->generation = 2;
			ev_add(s, ev_src(f->dmi.field_line[k], "dmi"), ev_key(f->dmi.field_line[k], dmi_field_names[k], kb),
			       f->dmi.field[k], "hyperv", W_CONTEXT, "Hyper-V's UEFI firmware: generation 2");
		} else if (!is_x86(s))
			v->generation = 2;   /* arm64 Hyper-V VMs are generation 2 only */
		else if (str_match(bios_vendor, MATCH_PREFIX, "American Megatrends") || legacy_video) {
			v->generation = 1;
			ev_add(s, legacy_video ? "pci" : ev_src(f->dmi.field_line[DMI_BIOS_VENDOR], "dmi"),
			       legacy_video ? "1414:5353" : ev_key(f->dmi.field_line[DMI_BIOS_VENDOR], "bios_vendor", kb),
			       legacy_video ? "legacy video" : bios_vendor, "hyperv", W_CONTEXT,
			       "Hyper-V's BIOS machine: generation 1");
		} else if (f->dmi.present)
			v->generation = 1;
	}

	/* Firmware: only what the tree shows; a direct kernel boot (no DMI, no EFI) has none to name. */
	if (f->plat.efi || v->generation == 2)
		v->firmware = "uefi";
	else if ((f->dmi.present && is_x86(s)) || v->generation == 1)
		v->firmware = "bios";

	/* Confidential computing, only inside a guest (a host CPU merely supports it). */
	if (is(s->role, "guest")) {
		const struct cpuid_facts *c = &f->cpuid;
		char val[16];

		if (is(s->hv, "hyperv") && c->hv_leaves && (c->hv_features[1] & (1u << 22))) {
			static const char *const iso[] = { NULL, "hyperv-vbs", "hyperv-snp", "hyperv-tdx" };
			unsigned type = c->hv_isolation[1] & 0xf;

			v->confidential = type < ARRAY_SIZE(iso) ? iso[type] : NULL;
			snprintf(val, sizeof(val), "0x%08x", c->hv_isolation[1]);
			ev_add(s, "cpuid", "0x4000000c ebx", val, "hyperv", W_CONTEXT,
			       v->confidential ? "Hyper-V isolated VM: isolation type in bits 3:0"
			                       : "Hyper-V isolated VM of an unknown isolation type");
		} else if (c->tdx) {
			v->confidential = "tdx";
			ev_add(s, "cpuid", "0x00000021 signature", "IntelTDX", NULL, W_CONTEXT, "an Intel TDX trust domain");
		} else if (c->has_sev_leaf && (c->sev_eax & 0x1a)) {
			v->confidential = (c->sev_eax & (1u << 4)) ? "sev-snp" : (c->sev_eax & (1u << 3)) ? "sev-es" : "sev";
			snprintf(val, sizeof(val), "0x%08x", c->sev_eax);
			ev_add(s, "cpuid", "0x8000001f eax", val, NULL, W_CONTEXT, "AMD memory encryption active in this guest");
		}
	} else if (f->cpuid.has_sev_leaf && (f->cpuid.sev_eax & 0x1a)) {
		char val[16];
		snprintf(val, sizeof(val), "0x%08x", f->cpuid.sev_eax);
		ev_add(s, "cpuid", "0x8000001f eax", val, NULL, 0, "ignored: the CPU supports SEV, but this is not a guest");
	}
}

static const char *systemd_id(const struct state *s)
{
	const struct reg_entry *hv = registry_find(REG_HYPERVISOR, s->hv);
	const struct reg_entry *cloud = registry_find(REG_PLATFORM, s->platform);

	if (!is(s->role, "guest"))
		return "none";
	/* systemd names the clouds whose KVM it recognises by DMI. */
	if (cloud && cloud->systemd_id && is(cloud->hypervisor, s->hv))
		return cloud->systemd_id;
	return hv && hv->systemd_id ? hv->systemd_id : "vm-other";
}

/* --------------------------------------- weights, notes, confidence */

static void finalize_claims(struct state *s, unsigned *agreeing)
{
	*agreeing = 0;
	for (size_t i = 0; i < s->n_claims; i++) {
		struct claim *c = &s->claims[i];
		struct hvd_evidence *e = c->ev == NO_EV ? NULL : &s->v->evidence[c->ev];
		bool counted;

		if (!e)
			continue;
		if (!c->m.hypervisor) {
			counted = is(c->m.platform, s->platform);
			if (!counted)
				ev_note(s, c->ev, "ignored: %s", s->platform ? "another platform was chosen"
				                                              : "no platform for this verdict");
		} else if (agrees(c, s->hv)) {
			counted = true;
			/* A "QEMU machine" fact supports whichever accelerator was decided. */
			if ((c->m.flags & SIG_QEMU_FAMILY) && !is(c->m.hypervisor, s->hv)) {
				free((char *)e->points_to);
				e->points_to = dup_or_oom(s, s->hv);
				/* Who named the accelerator: CPUID's TCG range, or another fact ("QEMU Virtual Machine"). */
				if (!s->guessed_accel)
					ev_note(s, c->ev, "%s says %s", s->cpuid && agrees(s->cpuid, s->hv) ? "CPUID" : "another fact",
					        is(s->hv, "qemu") ? "TCG" : s->hv);
			}
		} else if (c->paravirt) {
			counted = false;
		} else if (is(s->hv, "none")) {
			counted = false;
			ev_note(s, c->ev, "ignored: %s", c->m.strength == SIG_ALONE ? "a bare-metal instance marker is there"
			                                 : "also found on real machines, and no second source agrees");
		} else if (c->m.strength == SIG_CONTEXT || (c->m.flags & SIG_PLATFORM_ANY_HV)) {
			counted = false;
			ev_note(s, c->ev, "not %s, but consistent with it", s->hv);
		} else if (c->m.strength != SIG_ALONE) {
			counted = false;
			ev_note(s, c->ev, "ignored: also found on real machines");
		} else {
			counted = false;
			s->conflict = true;
			ev_note(s, c->ev, "CONFLICT: points to %s, but %s says %s", c->m.hypervisor,
			        s->cpuid && is(s->cpuid->m.hypervisor, s->hv) ? "CPUID (the hypervisor's own answer)"
			                                                      : "the weight of the other sources",
			        s->hv);
		}
		if (counted && s->guessed_accel && (c->m.flags & SIG_QEMU_FAMILY))
			ev_note(s, c->ev, is(s->hv, "qemu")
			        ? "hypervisor bit set without KVM's signature: TCG (or KVM started with kvm=off)"
			        : "without CPUID signatures KVM and TCG look alike: KVM assumed");
		if (counted)
			*agreeing |= 1u << c->dom;
		else
			e->weight = 0;
	}
	if (s->bit_override)
		ev_note(s, s->bit_ev, "yet %s names %s (it hides the bit): a VM after all",
		        s->cpuid && agrees(s->cpuid, s->hv) ? "CPUID's own signature" : "a fact only its VMs carry", s->hv);
	if (s->bit == 1 && !is(s->hv, "none"))
		*agreeing |= 1u << D_CPUID;
}

static int confidence(struct state *s, unsigned agreeing)
{
	static const int by_sources[] = { 30, 65, 85, 95, 98, 98 };
	unsigned n = popcount(agreeing);
	int conf;

	if (is(s->hv, "none")) {
		if (s->bit == 0)
			conf = s->bit_from_cpuinfo ? 70 : (s->f->dmi.present && !s->dmi_vm_strings) ? 90 : 80;
		else if (s->f->dmi.present || s->f->acpi.present)
			conf = s->dmi_vm_strings ? 50 : 70;
		else
			conf = 30;
		return conf;
	}
	conf = by_sources[n < ARRAY_SIZE(by_sources) ? n : ARRAY_SIZE(by_sources) - 1];
	if (n == 1 && (agreeing & (1u << D_CPUID)))
		conf = 75;
	if (s->guessed_accel && conf > 70)
		conf = 70;
	if (s->guessed_cloud && conf > 60)
		conf = 60;
	if (s->bit_override && conf > 65)
		conf = 65;
	if (is(s->hv, "other") && conf > 50)
		conf = 50;
	if (s->conflict) {
		conf -= 25;
		if (conf > 50)
			conf = 50;
	}
	return conf < 0 ? 0 : conf;
}

int verdict_decide(struct hvd_verdict **out, const struct facts *f)
{
	struct state *s;
	struct hvd_verdict *v;
	unsigned agreeing;
	int r = 0;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	s = calloc(1, sizeof(*s));
	if (!v || !s) {
		free(v);
		free(s);
		return -ENOMEM;
	}
	v->refcount = 1;
	s->v = v;
	s->f = f;

	read_cpuid(s);
	read_kernel(s);
	read_dmi(s);
	read_acpi(s);
	read_pci(s);

	decide_hypervisor(s);
	decide_platform(s);
	decide_details(s);
	finalize_claims(s, &agreeing);

	v->hypervisor = s->hv;
	v->platform = s->platform;
	v->role = s->role;
	v->systemd_id = systemd_id(s);
	v->confidence = confidence(s, agreeing);
	if (f->plat.arch)
		v->arch = dup_or_oom(s, f->plat.arch);
	else if (f->cpuid.available)
		v->arch = dup_or_oom(s, "x86_64");

	if (s->oom) {
		r = -ENOMEM;
		hvd_verdict_unref(v);
	} else
		*out = v;
	free(s);
	return r;
}

const char *verdict_uefi_only_platform(const struct hvd_verdict *v)
{
	if (!v)
		return NULL;
	/* Generation 2 exists only on Hyper-V and has no BIOS at all. */
	if (v->generation == 2)
		return "Hyper-V generation 2";
	/* VMware's EFI firmware has no CSM; a BIOS VMware VM boots anything. */
	if (streq_ptr(v->hypervisor, "vmware") && streq_ptr(v->firmware, "uefi"))
		return "VMware with EFI firmware";
	return NULL;
}
