/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A kernel boot log as evidence: a pure function (no I/O) from the text of
 * `dmesg`, `dmesg -T`, `journalctl -k`, a syslog or a serial console to the
 * facts the probes produce. The text is hostile: any bytes, any length.
 */
#ifndef HVD_DETECT_BOOTLOG_H
#define HVD_DETECT_BOOTLOG_H

#include <stddef.h>

#include "facts.h"

#define BOOTLOG_MAX_LINE     4096u   /* bytes of one line looked at (the kernel's own lines are < 1024) */
#define BOOTLOG_MAX_TABLES   256u    /* ACPI table lines kept */
#define BOOTLOG_MAX_CLOCKS   16u     /* clocksource names kept */

/*
 * Read LEN bytes of a boot log into F, which is overwritten (cpuid and pci stay
 * empty: a log shows neither). Lines that say nothing known are skipped; a log
 * with nothing recognisable gives no facts, not an error. For each fact the
 * first line that shows it wins (journalctl -k without -b may hold several
 * boots: the oldest counts). Each fact remembers its line (TEXT_LOG).
 *
 * What is read (after the timestamp, syslog or journal prefix):
 *   "DMI: " / "Hardware name: " <vendor> <product>[/<board>], BIOS <version> <date>
 *   "Hypervisor detected: X", arm64's "smccc: KVM: hypervisor services detected"
 *   "ACPI: SIG 0x... LEN (vNN OEMID  TABLEID  REV CRTR REV)" table headers
 *   "efi: EFI v..." and "efi: ... ACPI=0x..." (a UEFI boot)
 *   "Booting paravirtualized kernel on X"
 *   "clocksource: NAME: mask: ...", "[clocksource: ]Switched to clocksource NAME", "kvm-clock: Using msrs"
 *   "hv_vmbus: Vmbus version:" (VMBus connected), "Linux version X ..." (osrelease)
 *
 * Returns 0 or -ENOMEM (F emptied).
 */
int bootlog_parse(const char *text, size_t len, struct facts *f);

/*
 * Split the kernel's DMI ident (dmi_format_ident(): "<sys_vendor> <product_name>
 * [/<board_name>], BIOS <bios_version> <bios_date>") into D's fields, each
 * remembering LINE. The vendor/product split is ambiguous (both may hold blanks):
 * see bootlog.c. Returns 1 when S is such an ident, 0 when not, -ENOMEM.
 */
int bootlog_dmi_ident(const char *s, size_t len, uint32_t line, struct dmi_facts *d);

#endif
