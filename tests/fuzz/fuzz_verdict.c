/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * verdict_decide() over random facts built from the input, then every way the
 * CLI renders a verdict (JSON, shell, explain). It must never crash, and the
 * JSON must stay one object.
 */
#include <string.h>

#include "buf.h"
#include "facts.h"
#include "internal.h"
#include "output.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reader {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct reader *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static uint32_t u32(struct reader *r)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = (v << 8) | u8(r);
	return v;
}

/* Strings the verdict looks for, so that the fuzzer reaches its rules quickly. */
static const char *const dict[] = {
	"KVMKVMKVM", "Microsoft Hv", "VMwareVMware", "XenVMMXenVMM", "TCGTCGTCGTCG", "bhyve bhyve ",
	" lrpepyh  vr", "VBoxVBoxVBox", "ACRNACRNACRN", "Linux KVM Hv", "QEMU", "Amazon EC2", "Google",
	"Google Compute Engine", "Microsoft Corporation", "Virtual Machine", "VMware, Inc.",
	"VMware Virtual Platform", "innotek GmbH", "VirtualBox", "Xen", "HVM domU", "Alibaba Cloud",
	"Alibaba Cloud ECS", "OracleCloud.com", "Standard PC (Q35 + ICH9, 2009)", "SeaBIOS",
	"EFI Development Kit II / OVMF", "FIRECK", "FIRECKVM", "xen", "control_d", "MsHyperV", "VRTUAL",
	"BOCHS", "BXPC", "Parallels", "Nutanix", "AHV", "oVirt", "OpenStack Nova", "Proxmox", "+pve",
	"linux,dummy-virt", "xen,xen-4.4 xen,xen", "IBM pSeries", "z/VM 7.2.0", "KVM/Linux",
	"5.15.0-microsoft-standard-WSL2", "x86_64", "aarch64", "s390x", "ppc64le", "GenuineIntel",
	"AuthenticAMD", "{f8615163-df3e-46c5-913f-f2d2f965ed0e}", "{da0a7802-e377-4aac-8e77-0558eb1073f8}",
	"VMBUS", "QEMU0002", "AMZNC10C", "VMW0005", "m5.metal", "7783-7084-3265-9085-8269-3286-77",
	"Hyper-V UEFI Release v4.1", "American Megatrends Inc.", "RHEV Hypervisor", "Red Hat", "KVM",
	"VMW", "PRLS", "CLOUDH", "IntelTDX", "Jailhouse", "QNXQVMBSQG", "OpenBSDVMM58", "UpCloud", "",
};

static char *str(struct reader *r)
{
	uint8_t b = u8(r);
	if (b == 0)
		return NULL;
	if (b & 0x80)
		return strdup(dict[(b & 0x7f) % ARRAY_SIZE(dict)]);
	size_t len = b & 0x3f;
	if (len > r->n)
		len = r->n;
	char *s = strndup((const char *)r->p, len);
	r->p += len, r->n -= len;
	return s;
}

static void fixed(struct reader *r, char *dst, size_t cap)
{
	char *s = str(r);
	memset(dst, 0, cap);
	if (s)
		strncpy(dst, s, cap - 1);
	free(s);
}

static char **strv(struct reader *r, size_t *count, size_t max)
{
	size_t n = u8(r) % (max + 1);
	if (count)
		*count = 0;
	if (n == 0)
		return NULL;
	char **v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char *s = str(r);
		if (s)
			v[k++] = s;
	}
	if (count)
		*count = k;
	return v;
}

static void build(struct reader *r, struct facts *f)
{
	memset(f, 0, sizeof(*f));
	uint8_t bits = u8(r);
	struct cpuid_facts *c = &f->cpuid;
	c->available = bits & 1;
	c->from_dump = bits & 2;
	c->hypervisor_bit = bits & 4;
	fixed(r, c->vendor, sizeof(c->vendor));
	c->max_basic = u32(r);
	c->max_ext = u32(r);
	c->n_ranges = u8(r) % (CPUID_MAX_RANGES + 1);
	for (size_t i = 0; i < c->n_ranges; i++) {
		c->ranges[i].base = 0x40000000u + 0x100u * (uint32_t)i;
		c->ranges[i].max_leaf = u32(r);
		char *s = str(r);
		memset(c->ranges[i].signature, 0, sizeof(c->ranges[i].signature));
		if (s)
			memcpy(c->ranges[i].signature, s, strnlen(s, sizeof(c->ranges[i].signature)));
		free(s);
	}
	c->hv_leaves = bits & 8;
	c->hv_interface = u8(r) & 1 ? 0x31237648 : u32(r);
	c->hv_max_leaf = u32(r);
	for (int i = 0; i < 4; i++)
		c->hv_features[i] = u32(r);
	for (int i = 0; i < 4; i++)
		c->hv_isolation[i] = u32(r);
	c->has_sev_leaf = bits & 16;
	c->sev_eax = u32(r);
	c->tdx = bits & 32;

	uint8_t dbits = u8(r);
	struct dmi_facts *d = &f->dmi;
	d->present = dbits & 1;
	for (int i = 0; i < DMI_FIELD_COUNT; i++) {
		d->field[i] = str(r);
		d->field_src[i] = d->field[i] ? (u8(r) & 1 ? SRC_SMBIOS : SRC_SYSFS) : SRC_NONE;
	}
	d->smbios = dbits & 2;
	d->smbios_major = u8(r);
	d->smbios_minor = u8(r);
	d->vm_bit = (int)(u8(r) % 3) - 1;
	d->uefi_bit = (int)(u8(r) % 3) - 1;
	d->oem_strings = strv(r, &d->n_oem_strings, 8);
	d->smbios_problem = str(r);

	struct acpi_facts *a = &f->acpi;
	a->present = dbits & 4;
	a->n_tables = u8(r) % 9;
	a->tables = a->n_tables ? calloc(a->n_tables, sizeof(*a->tables)) : NULL;
	if (!a->tables)
		a->n_tables = 0;
	for (size_t i = 0; i < a->n_tables; i++) {
		struct acpi_table *t = &a->tables[i];
		fixed(r, t->signature, sizeof(t->signature));
		fixed(r, t->oem_id, sizeof(t->oem_id));
		fixed(r, t->oem_table_id, sizeof(t->oem_table_id));
		fixed(r, t->creator_id, sizeof(t->creator_id));
		t->revision = u8(r);
		t->length = u32(r);
	}
	a->fadt_hv_vendor_present = dbits & 8;
	fixed(r, a->fadt_hv_vendor, sizeof(a->fadt_hv_vendor));
	a->hids = strv(r, &a->n_hids, 8);

	uint8_t pbits = u8(r);
	struct platform_facts *p = &f->plat;
	p->efi = pbits & 1;
	p->hypervisor_type = str(r);
	p->proc_xen = pbits & 2;
	p->xen_capabilities = str(r);
	p->dt_hypervisor_compatible = str(r);
	p->dt_compatible = str(r);
	p->dt_model = str(r);
	p->vmbus = pbits & 4;
	p->vmbus_class_ids = strv(r, &p->n_vmbus_devices, 8);
	p->cpuinfo_hypervisor_flag = pbits & 8;
	p->cpuinfo_vendor = str(r);
	p->osrelease = str(r);
	p->arch = str(r);
	p->sysinfo_vm = str(r);
	p->lparcfg = pbits & 16;

	struct pci_facts *pc = &f->pci;
	pc->present = pbits & 32;
	pc->n = u8(r) % 9;
	pc->devs = pc->n ? calloc(pc->n, sizeof(*pc->devs)) : NULL;
	if (!pc->devs)
		pc->n = 0;
	for (size_t i = 0; i < pc->n; i++) {
		struct pci_device *dev = &pc->devs[i];
		dev->slot = str(r);
		static const uint16_t vendors[] = { 0x1af4, 0x1414, 0x15ad, 0x5853, 0x1d0f, 0x1ae0, 0x80ee, 0x1ab8, 0x1234 };
		uint8_t v = u8(r);
		dev->vendor = v & 0x80 ? vendors[v % ARRAY_SIZE(vendors)] : (uint16_t)u32(r);
		dev->device = (uint16_t)u32(r);
		dev->subvendor = v & 0x40 ? vendors[(v >> 1) % ARRAY_SIZE(vendors)] : (uint16_t)u32(r);
		dev->subdevice = (uint16_t)u32(r);
		dev->class_code = u32(r) & 0xffffff;
	}
}

static void render(const struct hvd_verdict *v)
{
	char *json = NULL;
	if (hvd_verdict_to_json(v, &json) == 0) {
		size_t n = strlen(json);
		/* One object on one line, newline-terminated. */
		if (n < 3 || json[0] != '{' || json[n - 2] != '}' || json[n - 1] != '\n')
			__builtin_trap();
		n--;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)json[i] < 0x20)
				__builtin_trap();
	}
	free(json);

	struct buf b = { 0 };
	(void)output_line(&b, v);
	(void)output_shell(&b, v);
	(void)output_explain(&b, v);
	(void)output_json(&b, v);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size };
	struct facts f;
	build(&r, &f);

	struct hvd_verdict *v = NULL;
	int ret = verdict_decide(&v, &f);
	if (ret == 0) {
		if (!v || !v->hypervisor || v->confidence < 0 || v->confidence > 100)
			__builtin_trap();
		render(v);
		hvd_verdict_unref(v);
	} else if (ret != -ENOMEM) {
		__builtin_trap();
	}
	facts_free(&f);
	return 0;
}
