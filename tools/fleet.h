/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fleet facts: the verdict and the selection as the files fleet tooling
 * already collects (detect-hypervisor --format ansible|prometheus).
 *
 * These renderers live in the tool, not in the library: they are files for
 * other programs (an Ansible local fact, a node_exporter textfile), written by
 * the command and its systemd timer; they combine a verdict with a selection,
 * which no single library object holds; and each would otherwise be a new
 * versioned export whose format the stable ABI would freeze. They are built
 * from the library's own renderers where those exist (the verdict's and the
 * selection's JSON), so every format has exactly one renderer: JSON in the
 * library, these two here.
 */
#ifndef HVD_TOOLS_FLEET_H
#define HVD_TOOLS_FLEET_H

#include <hvdetect.h>

#include "buf.h"

/*
 * The Ansible local fact (/etc/ansible/facts.d/hvdetect.fact): the verdict's
 * JSON object with "missing_boot_drivers" (a number, or null when SEL is NULL:
 * no selection could be made) and "selection" (the selection's JSON, or null).
 */
int fleet_ansible(struct buf *b, const struct hvd_verdict *v, const struct hvd_selection *sel);

/*
 * A node_exporter textfile-collector file (Prometheus text exposition format
 * 0.0.4): hvdetect_info{hypervisor=...,platform=...,...} 1,
 * hvdetect_confidence and, when SEL is not NULL, hvdetect_missing_boot_drivers.
 * Label values are escaped as the format says (\\, \", \n); bytes that are not
 * UTF-8, control characters and invisible (zero-width, bidi) ones become
 * U+FFFD; every value is cut to 128 characters.
 */
int fleet_prometheus(struct buf *b, const struct hvd_verdict *v, const struct hvd_selection *sel);

/* Append S as a Prometheus label value (without the quotes), at most MAX characters. */
void prom_label_value(struct buf *b, const char *s, size_t max);

#endif
