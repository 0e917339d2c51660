/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The verdict: the one room where evidence is weighed and every precedence rule
 * lives. Probes only gather facts; signatures.c only says what one fact points
 * to. Here the facts become "claims" (one evidence entry each), the rules below
 * pick the hypervisor, and every claim's entry is finally told whether it
 * counted, was ignored, or conflicted, and why.
 *
 * Hypervisor rules, first match wins:
 *  1. Hosts: Xen dom0 (proc/xen/capabilities has control_d); a Hyper-V root
 *     partition (CreatePartitions + CpuManagement privileges). role "host".
 *  2. VirtualBox and Parallels named by DMI/ACPI beat the KVM or Hyper-V CPUID
 *     signature they offer as a paravirt interface.
 *  3. CPUID with the hypervisor bit set: the highest range with a known
 *     signature names the hypervisor (KVM above "Microsoft Hv" = KVM with
 *     Hyper-V enlightenments; Xen above it = Xen with viridian). "Microsoft Hv"
 *     needs the Hv#1 interface; when QEMU's machine strings come with a bare
 *     "Microsoft Hv", it is KVM with its own signature hidden, and with Xen's
 *     (or the kernel's sys/hypervisor) it is Xen with viridian.
 *  4. Hypervisor bit set but no known signature: the other sources vote; a
 *     QEMU machine here is TCG (KVM would have answered KVMKVMKVM); nothing
 *     else: "other".
 *  5. Hypervisor bit clear: bare metal, unless the kernel itself reports a
 *     hypervisor (Xen PV guests do not see the bit; VMBus), or strings only a
 *     VM carries agree across two independent sources (VMware with
 *     hypervisor.cpuid.v0 = FALSE). A single substring never makes a VM.
 *  6. No CPUID at all (arm64, s390x, ppc64, a sysroot without a dump): the
 *     sources vote; the winner needs strings only VMs carry, from two
 *     sources, or the kernel, or the SMBIOS VM bit, or two such strings the
 *     SMBIOS VM bit does not deny. A QEMU
 *     machine (DMI "QEMU", device tree linux,dummy-virt) is reported as kvm:
 *     without CPUID, KVM and TCG cannot be told apart and KVM is the common
 *     case; the confidence says so.
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

#include "signatures.h"
#include "verdict.h"

enum domain { D_CPUID, D_KERNEL, D_DMI, D_ACPI, D_PCI, D_COUNT };

#define MAX_CLAIMS 96
#define NO_EV ((size_t)-1)

/* Claim weights: how strongly each kind of fact points at a hypervisor. */
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

struct claim {
	struct sig_meaning m;
	enum domain dom;
	int weight;
	size_t ev;
	bool paravirt;    /* an interface the real hypervisor offers: consistent, not counted */
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
	bool dmi_vm_strings;          /* any VM-only DMI/ACPI claim */

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
	if ((dom == D_DMI || dom == D_ACPI) && (m->flags & SIG_VM_ONLY))
		s->dmi_vm_strings = true;
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

static bool hyperv_interface_ok(const struct cpuid_facts *c)
{
	return c->hv_leaves && c->hv_interface == HV_INTERFACE_HV1;
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
		if (!s->bit || !sigs[i])
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
			continue;
		}
		size_t ev = ev_add(s, "cpuid", key, text, sigs[i] ? sigs[i]->m.hypervisor : NULL, 0,
		                   sigs[i] ? sigs[i]->m.meaning : "unknown signature");
		if (!s->bit)
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
		if ((ebx & 1u) && (ebx & (1u << 12))) {
			char val[16];

			s->hv_root = true;
			snprintf(val, sizeof(val), "0x%08x", ebx);
			ev_add(s, "cpuid", "0x40000003 ebx", val, "hyperv", W_CONTEXT,
			       "CreatePartitions and CpuManagement privileges: the Hyper-V root partition (the host)");
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

	for (size_t i = 0; i < n_dmi_signatures; i++) {
		const struct dmi_signature *sig = &dmi_signatures[i];
		const char *val = d->field[sig->field];
		int w;

		if (!str_match(val, sig->how, sig->text))
			continue;
		if (sig->also_text && !str_match(d->field[sig->also_field], MATCH_EXACT, sig->also_text))
			continue;
		w = !sig->m.hypervisor ? W_PLATFORM : (sig->m.flags & SIG_VM_ONLY) ? W_DMI_VM : W_DMI;
		claim_add(s, D_DMI, &sig->m, w, d->field_src[sig->field] == SRC_SMBIOS ? "smbios" : "dmi",
		          dmi_field_names[sig->field], val);
		matched[sig->field] = true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(identity); i++) {
		enum dmi_field k = identity[i];
		if (d->field[k] && !matched[k])
			ev_add(s, d->field_src[k] == SRC_SMBIOS ? "smbios" : "dmi", dmi_field_names[k], d->field[k],
			       NULL, 0, "identity: names no hypervisor");
	}
	if (d->smbios && d->vm_bit >= 0)
		ev_add(s, "smbios", "type 0 characteristics ext. byte 2 bit 4", d->vm_bit ? "1" : "0", NULL,
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
	char key[64];

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
			claim_add(s, D_ACPI, &sig->m, !sig->m.hypervisor ? W_PLATFORM : W_ACPI_VM, "acpi", key, val);
		}
	}
	if (a->fadt_hv_vendor_present && a->fadt_hv_vendor[0]) {
		static const struct sig_meaning unknown = { "other", NULL, SIG_VM_ONLY, "FADT hypervisor vendor identity (unknown vendor)" };
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

static void kernel_claim(struct state *s, const char *source, const char *key, const char *value,
                         const char *hv, const char *platform, int weight, const char *meaning)
{
	struct sig_meaning m = { hv, platform, SIG_VM_ONLY, meaning };

	claim_add(s, D_KERNEL, &m, weight, source, key, value);
}

static void read_kernel(struct state *s)
{
	const struct platform_facts *p = &s->f->plat;

	if (p->efi)
		ev_add(s, "efi", "sys/firmware/efi", "present", NULL, W_CONTEXT, "booted through UEFI");

	if (is(p->hypervisor_type, "xen"))
		kernel_claim(s, "xen", "sys/hypervisor/type", p->hypervisor_type, "xen", NULL, W_KERNEL_STRONG,
		             "the kernel runs on Xen");
	else if (p->hypervisor_type && p->hypervisor_type[0])
		kernel_claim(s, "xen", "sys/hypervisor/type", p->hypervisor_type, "other", NULL, W_KERNEL,
		             "the kernel reports a hypervisor type");
	if (p->proc_xen)
		kernel_claim(s, "xen", "proc/xen", "present", "xen", NULL, W_KERNEL, "Xen interfaces present");
	if (p->xen_capabilities && strstr(p->xen_capabilities, "control_d")) {
		s->xen_dom0 = true;
		ev_add(s, "xen", "proc/xen/capabilities", p->xen_capabilities, "xen", W_CONTEXT,
		       "control_d: the control domain (dom0), i.e. the host");
	}

	if (p->dt_hypervisor_compatible) {
		if (strstr(p->dt_hypervisor_compatible, "xen,xen"))
			kernel_claim(s, "devicetree", "hypervisor/compatible", p->dt_hypervisor_compatible, "xen", NULL,
			             W_KERNEL_STRONG, "Xen hypervisor node");
		else if (contains_ci(p->dt_hypervisor_compatible, "vmware"))
			kernel_claim(s, "devicetree", "hypervisor/compatible", p->dt_hypervisor_compatible, "vmware", NULL,
			             W_KERNEL_STRONG, "VMware hypervisor node");
		else
			kernel_claim(s, "devicetree", "hypervisor/compatible", p->dt_hypervisor_compatible, "other", NULL,
			             W_KERNEL, "a hypervisor node");
	}
	if (p->dt_compatible && strstr(p->dt_compatible, "linux,dummy-virt")) {
		struct sig_meaning m = { "kvm", NULL, SIG_VM_ONLY | SIG_QEMU_FAMILY,
		                         "QEMU (or kvmtool) virt machine: KVM and TCG look alike here" };
		claim_add(s, D_KERNEL, &m, W_KERNEL, "devicetree", "compatible", p->dt_compatible);
	}
	if (p->dt_model && strstr(p->dt_model, "emulated by qemu")) {
		struct sig_meaning m = { "kvm", NULL, SIG_VM_ONLY | SIG_QEMU_FAMILY, "QEMU-emulated machine" };
		claim_add(s, D_KERNEL, &m, W_KERNEL, "devicetree", "model", p->dt_model);
	}

	if (p->n_vmbus_devices > 0) {
		char val[32];

		snprintf(val, sizeof(val), "%zu devices", p->n_vmbus_devices);
		kernel_claim(s, "vmbus", "sys/bus/vmbus/devices", val, "hyperv", NULL, W_KERNEL_STRONG,
		             "Hyper-V VMBus devices");
	} else if (p->vmbus)
		kernel_claim(s, "vmbus", "sys/bus/vmbus", "present", "hyperv", NULL, W_KERNEL,
		             "the VMBus driver initialised (it does only under Hyper-V)");

	if (p->osrelease && (strstr(p->osrelease, "microsoft-standard") || strstr(p->osrelease, "WSL")))
		kernel_claim(s, "kernel", "osrelease", p->osrelease, "hyperv", "wsl", W_KERNEL_STRONG,
		             "a WSL2 kernel (a Hyper-V utility VM)");

	if (p->sysinfo_vm) {
		if (strstr(p->sysinfo_vm, "z/VM"))
			kernel_claim(s, "kernel", "proc/sysinfo VM00 Control Program", p->sysinfo_vm, "zvm", NULL,
			             W_KERNEL_STRONG + 10, "z/VM guest");
		else if (strstr(p->sysinfo_vm, "KVM"))
			kernel_claim(s, "kernel", "proc/sysinfo VM00 Control Program", p->sysinfo_vm, "kvm", NULL,
			             W_KERNEL_STRONG + 10, "KVM guest on s390x");
		else
			kernel_claim(s, "kernel", "proc/sysinfo VM00 Control Program", p->sysinfo_vm, "other", NULL,
			             W_KERNEL, "a guest of an unknown s390x control program");
	}
	/* QEMU's pseries machines have an lparcfg too; the model says "emulated by qemu" there. */
	if (p->lparcfg && !(p->dt_model && strstr(p->dt_model, "emulated by qemu")))
		kernel_claim(s, "kernel", "proc/ppc64/lparcfg", "present", "powervm", NULL, W_KERNEL_STRONG,
		             "a PowerVM logical partition");
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
	bool vm_only;        /* at least one supporting claim only VMs carry */
	bool specific;       /* at least one supporting claim names this hypervisor itself, not "a QEMU machine" */
	unsigned domains;    /* bit set of supporting domains */
	unsigned n_vm;       /* supporting claims only VMs carry */
};

/*
 * The hypervisor most weight points to among claims from the domains in MASK,
 * among candidates that some VM-only fact supports. QEMU-family facts count for
 * both kvm and qemu. Returns NULL when nothing qualifies.
 */
static const char *vote(struct state *s, unsigned mask, struct vote *out)
{
	struct { const char *hv; int sum; } tally[16];
	size_t n = 0;
	const char *best = NULL;
	int best_sum = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		const char *ids[2] = { c->m.hypervisor, NULL };

		if (!c->m.hypervisor || (c->m.flags & SIG_SUPPORT_ONLY) || !(mask & (1u << c->dom)))
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
			if ((c->m.flags & SIG_SUPPORT_ONLY) || !(mask & (1u << c->dom)) || !agrees(c, v.hv))
				continue;
			v.vm_only |= (c->m.flags & SIG_VM_ONLY) != 0;
			v.n_vm += (c->m.flags & SIG_VM_ONLY) != 0;
			v.specific |= is(c->m.hypervisor, v.hv) && !(c->m.flags & SIG_QEMU_FAMILY);
			v.domains |= 1u << c->dom;
		}
		/* Ties: prefer the hypervisor some fact names itself (KVM over a bare "QEMU machine"). */
		if (v.vm_only && (tally[j].sum > best_sum ||
		                  (tally[j].sum == best_sum && v.specific && !out->specific))) {
			best = tally[j].hv;
			best_sum = tally[j].sum;
			*out = v;
		}
	}
	/* A QEMU machine with nothing naming the accelerator: KVM (see rule 6). */
	if (best && is(best, "qemu") && !out->specific)
		best = out->hv = "kvm";
	return best;
}

#define ALL_DOMAINS ((1u << D_COUNT) - 1)
#define NOT_CPUID (ALL_DOMAINS & ~(1u << D_CPUID))

static unsigned popcount(unsigned x) { return (unsigned)__builtin_popcount(x); }

/* SMBIOS "virtual machine" bit: -1 unknown (no raw table), 0, 1. */
static int vm_bit(const struct state *s)
{
	return s->f->dmi.smbios ? s->f->dmi.vm_bit : -1;
}

static const char *dmi_identity(struct state *s, const char *hv)
{
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		if ((c->dom == D_DMI || c->dom == D_ACPI) && (c->m.flags & SIG_VM_ONLY) && is(c->m.hypervisor, hv))
			return hv;
	}
	return NULL;
}

static bool is_metal_instance(const struct state *s)
{
	return str_match(s->f->dmi.field[DMI_PRODUCT_NAME], MATCH_SUFFIX, ".metal");
}

/*
 * Clouds whose strings also appear on their bare-metal instances name no
 * hypervisor themselves; when a VM is otherwise known (hypervisor bit) or the
 * instance type is not bare metal, their VMs run on KVM.
 */
static const char *cloud_default_hv(struct state *s)
{
	static const char *const kvm_clouds[] = { "aws", "oracle", "alibaba", "gce" };

	if (is_metal_instance(s))
		return NULL;
	for (size_t i = 0; i < s->n_claims; i++) {
		const struct claim *c = &s->claims[i];
		if (c->m.hypervisor || !c->m.platform || (c->m.flags & SIG_SUPPORT_ONLY))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(kvm_clouds); k++)
			if (is(c->m.platform, kvm_clouds[k])) {
				ev_note(s, c->ev, "this cloud's VMs run on KVM");
				return "kvm";
			}
	}
	return NULL;
}

static void decide_hypervisor(struct state *s)
{
	const char *cpu_hv = s->cpuid ? s->cpuid->m.hypervisor : NULL;
	const char *pv_owner = dmi_identity(s, "virtualbox") ?: dmi_identity(s, "parallels");
	struct vote v;

	s->role = "guest";
	/* 1. Hosts. */
	if (s->xen_dom0) {
		s->hv = "xen";
		s->role = "host";
		return;
	}
	if (is(cpu_hv, "hyperv") && s->hv_root) {
		s->hv = "hyperv";
		s->role = "host";
		return;
	}
	/* 2. VirtualBox / Parallels behind their paravirt CPUID interface. */
	if (pv_owner && (is(cpu_hv, "kvm") || is(cpu_hv, "hyperv") || is(cpu_hv, pv_owner))) {
		s->hv = pv_owner;
		if (!is(cpu_hv, pv_owner)) {
			s->cpuid->paravirt = true;
			ev_note(s, s->cpuid->ev, "the paravirt interface %s offers its guests; DMI names the hypervisor",
			        pv_owner);
		}
		return;
	}
	/* 3. CPUID signature under the hypervisor bit. */
	if (cpu_hv) {
		s->hv = cpu_hv;
		if (is(cpu_hv, "hyperv")) {
			const char *others = vote(s, (1u << D_DMI) | (1u << D_ACPI) | (1u << D_KERNEL), &v);
			if (is(others, "kvm") || is(others, "qemu")) {
				s->hv = "kvm";
				s->cpuid->paravirt = true;
				ev_note(s, s->cpuid->ev, "Hyper-V enlightenments of KVM (its own signature hidden): "
				        "the machine's DMI/ACPI strings are QEMU's, which Hyper-V never gives");
			} else if (is(others, "xen")) {
				s->hv = "xen";
				s->cpuid->paravirt = true;
				ev_note(s, s->cpuid->ev, "Xen's viridian (Hyper-V) interface, its own range not "
				        "recognised: the kernel and DMI/ACPI say Xen, which Hyper-V never gives");
			}
		}
		return;
	}
	/* 4. Hypervisor bit set, no known signature. */
	if (s->bit == 1) {
		s->hv = vote(s, NOT_CPUID, &v);
		if (!s->hv && (s->hv = cloud_default_hv(s)))
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
	/* 5. Hypervisor bit clear. */
	if (s->bit == 0) {
		s->hv = vote(s, 1u << D_KERNEL, &v);
		if (s->hv)
			return;
		s->hv = vote(s, NOT_CPUID, &v);
		if (s->hv && (v.domains & (1u << D_DMI)) &&
		    (popcount(v.domains) >= 2 || vm_bit(s) == 1)) {
			s->bit_override = true;
			return;
		}
		s->hv = "none";
		s->role = "none";
		return;
	}
	/* 6. No CPUID at all: two sources, the kernel, or two VM-only strings the firmware does not deny. */
	s->hv = vote(s, NOT_CPUID, &v);
	if (s->hv && (popcount(v.domains) >= 2 || (v.domains & (1u << D_KERNEL)) || vm_bit(s) == 1 ||
	              (v.n_vm >= 2 && vm_bit(s) != 0))) {
		s->guessed_accel = is(s->hv, "kvm") && !v.specific;
		return;
	}
	if ((s->hv = cloud_default_hv(s))) {
		s->guessed_cloud = true;
		return;
	}
	s->hv = "none";
	s->role = "none";
}

static bool platform_ok(const struct claim *c, const char *hv)
{
	if (!c->m.platform || (c->m.flags & SIG_SUPPORT_ONLY))
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
	if (is(s->platform, "aws") && is(s->hv, "none") && is_metal_instance(s))
		ev_note(s, chosen->ev, "a .metal instance type without hypervisor bit: EC2 bare metal");
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

		for (size_t i = 0; i < f->pci.n && f->pci.devs; i++)
			legacy_video |= f->pci.devs[i].vendor == 0x1414 && f->pci.devs[i].device == 0x5353;
		if (f->plat.efi)
			v->generation = 2;
		else if (is(bios_vendor, "Microsoft Corporation") || str_match(bios_version, MATCH_CONTAINS, "Hyper-V UEFI")) {
			v->generation = 2;
			ev_add(s, "dmi", "bios_vendor", bios_vendor, "hyperv", W_CONTEXT, "Hyper-V's UEFI firmware: generation 2");
		} else if (!is_x86(s))
			v->generation = 2;   /* arm64 Hyper-V VMs are generation 2 only */
		else if (str_match(bios_vendor, MATCH_PREFIX, "American Megatrends") || legacy_video) {
			v->generation = 1;
			ev_add(s, legacy_video ? "pci" : "dmi", legacy_video ? "1414:5353" : "bios_vendor",
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
	static const struct { const char *hv, *id; } map[] = {
		{ "kvm", "kvm" }, { "qemu", "qemu" }, { "vmware", "vmware" }, { "hyperv", "microsoft" },
		{ "xen", "xen" }, { "virtualbox", "oracle" }, { "parallels", "parallels" }, { "bhyve", "bhyve" },
		{ "acrn", "acrn" }, { "qnx", "qnx" }, { "zvm", "zvm" }, { "powervm", "powervm" }, { "apple", "apple" },
	};

	if (!is(s->role, "guest"))
		return "none";
	/* systemd names the clouds whose KVM it recognises by DMI. */
	if (is(s->hv, "kvm") && is(s->platform, "aws"))
		return "amazon";
	if (is(s->hv, "kvm") && is(s->platform, "gce"))
		return "google";
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (is(s->hv, map[i].hv))
			return map[i].id;
	return "vm-other";
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
				if (!s->guessed_accel)
					ev_note(s, c->ev, "CPUID says TCG");
			}
		} else if (c->paravirt) {
			counted = false;
		} else if (is(s->hv, "none")) {
			counted = false;
			ev_note(s, c->ev, "ignored: %s", s->bit == 0 ? "hypervisor bit clear and no second source agrees"
			                                             : "not enough to call this a virtual machine");
		} else if (c->m.flags & (SIG_SUPPORT_ONLY | SIG_PLATFORM_ANY_HV)) {
			counted = false;
			ev_note(s, c->ev, "not %s, but consistent with it", s->hv);
		} else if (!(c->m.flags & SIG_VM_ONLY)) {
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
		ev_note(s, s->bit_ev, "yet independent sources agree on %s (it hides the bit): a VM after all", s->hv);
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
