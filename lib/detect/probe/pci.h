/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCI device identity parsing: pure functions, no I/O (fuzzable). */
#ifndef HVD_PROBE_PCI_H
#define HVD_PROBE_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "detect/facts.h"

/* Guests have a few dozen functions, large hosts several hundred. */
#define PCI_MAX_DEVICES 1024u

/*
 * Parse a PCI modalias ("pci:v00001AF4d00001045sv00001AF4sd00001045bcFFscFFi00")
 * of LEN bytes (trailing whitespace allowed) into the ids of OUT; the slot is
 * left alone. Returns 0, or -EBADMSG when S is not exactly that form.
 */
int pci_parse_modalias(const char *s, size_t len, struct pci_device *out);

/* Parse a sysfs id file ("0x1af4\n") no larger than MAX. Returns 0 or -EBADMSG. */
int pci_parse_id(const char *s, uint32_t max, uint32_t *out);

#endif
