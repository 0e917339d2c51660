/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running every probe, and releasing what they found. */
#include <string.h>

#include "facts.h"
#include "base/internal.h"
#include "base/sysroot.h"

const char *const dmi_field_names[DMI_FIELD_COUNT] = {
	[DMI_SYS_VENDOR] = "sys_vendor",
	[DMI_PRODUCT_NAME] = "product_name",
	[DMI_PRODUCT_VERSION] = "product_version",
	[DMI_PRODUCT_SERIAL] = "product_serial",
	[DMI_PRODUCT_FAMILY] = "product_family",
	[DMI_PRODUCT_SKU] = "product_sku",
	[DMI_BIOS_VENDOR] = "bios_vendor",
	[DMI_BIOS_VERSION] = "bios_version",
	[DMI_BIOS_DATE] = "bios_date",
	[DMI_BOARD_VENDOR] = "board_vendor",
	[DMI_BOARD_NAME] = "board_name",
	[DMI_BOARD_VERSION] = "board_version",
	[DMI_CHASSIS_VENDOR] = "chassis_vendor",
	[DMI_CHASSIS_TYPE] = "chassis_type",
	[DMI_CHASSIS_ASSET_TAG] = "chassis_asset_tag",
};

const char *text_kind_name(unsigned kind)
{
	switch (kind) {
	case TEXT_DMIDECODE: return "dmidecode";
	case TEXT_LOG: return "log";
	default: return NULL;
	}
}

int probe_all(struct hvd_ctx *ctx, struct facts *f)
{
	bool machine = !ctx_text_only(ctx);
	int r;

	memset(f, 0, sizeof(*f));
	f->dmi.vm_bit = f->dmi.uefi_bit = -1;
	if (ctx->pending_error)
		return ctx_pending_error(ctx);
	if ((r = (machine || ctx->cpuid_dump) ? probe_cpuid(ctx, &f->cpuid) : 0) < 0 ||
	    (r = machine ? probe_dmi(ctx, &f->dmi) : 0) < 0 ||
	    (r = machine ? probe_acpi(ctx, &f->acpi) : 0) < 0 ||
	    (r = machine ? probe_platform(ctx, &f->plat) : 0) < 0 ||
	    (r = machine ? probe_pci(ctx, &f->pci) : 0) < 0 ||
	    (r = text_facts_fill(ctx, f)) < 0) {
		facts_free(f);
		return r;
	}
	return 0;
}

void dmi_facts_free(struct dmi_facts *d)
{
	for (size_t i = 0; i < DMI_FIELD_COUNT; i++)
		free(d->field[i]);
	strv_free(d->oem_strings);
	free(d->smbios_problem);
	memset(d, 0, sizeof(*d));
}

void acpi_facts_free(struct acpi_facts *a)
{
	free(a->tables);
	strv_free(a->hids);
	memset(a, 0, sizeof(*a));
}

void platform_facts_free(struct platform_facts *p)
{
	free(p->hypervisor_type);
	free(p->xen_capabilities);
	free(p->dt_hypervisor_compatible);
	free(p->dt_compatible);
	free(p->dt_model);
	strv_free(p->vmbus_class_ids);
	free(p->cpuinfo_vendor);
	free(p->osrelease);
	free(p->arch);
	free(p->sysinfo_vm);
	free(p->clocksources);
	free(p->hypervisor_detected);
	free(p->paravirt_on);
	memset(p, 0, sizeof(*p));
}

void pci_facts_free(struct pci_facts *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->devs[i].slot);
	free(p->devs);
	memset(p, 0, sizeof(*p));
}

void facts_free(struct facts *f)
{
	dmi_facts_free(&f->dmi);
	acpi_facts_free(&f->acpi);
	platform_facts_free(&f->plat);
	pci_facts_free(&f->pci);
	memset(f, 0, sizeof(*f));
}
