/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Modalias matching with hostile patterns and hostile modaliases. Input:
 * a pattern list (one "match device=..." line's worth) up to the first
 * newline, the rest a modalias. Also runs the modalias through the PCI
 * modalias parser and the tier-by-class rule, which see every device.
 */
#include <stdio.h>
#include <string.h>

#include "driverdb.h"
#include "internal.h"
#include "probe/pci.h"
#include "select.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hvd_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx && hvd_ctx_new(&ctx, "/") < 0)
		__builtin_trap();
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	const uint8_t *alias = nl ? nl + 1 : data + size;
	size_t alen = size - (size_t)(alias - data);

	char *ma = strndup((const char *)alias, alen);
	if (!ma)
		return 0;

	struct pci_device dev;
	memset(&dev, 0, sizeof(dev));
	(void)pci_parse_modalias(ma, strlen(ma), &dev);
	if ((int)tier_for_modalias(ma) < 0 || tier_for_modalias(ma) >= TIER_COUNT)
		__builtin_trap();

	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	if (!f) {
		free(ma);
		return 0;
	}
	fputs("match device=", f);
	fwrite(data, 1, plen, f);
	fputs("\nmodule m boot\n", f);
	fclose(f);

	struct driverdb db;
	memset(&db, 0, sizeof(db));
	if (driverdb_parse(ctx, &db, "fuzz.conf", text, tlen, NULL) == 0)
		for (size_t i = 0; i < db.n_rules; i++)
			(void)rule_matches_modalias(&db.rules[i], ma);
	driverdb_free(&db);
	free(text);
	free(ma);
	return 0;
}
