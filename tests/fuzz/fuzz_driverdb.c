/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * driverdb_parse() over a hostile drop-in file, collecting every error (first
 * input byte odd) or stopping at the first; then every parsed rule is matched
 * against a few verdicts, as selection does.
 */
#include <string.h>

#include "driverdb.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hvd_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx && hvd_ctx_new(&ctx, "/") < 0)
		__builtin_trap();
	if (size < 1)
		return 0;
	bool collect = data[0] & 1;
	data++, size--;

	struct driverdb db;
	struct strbuf errors = { 0 };
	memset(&db, 0, sizeof(db));
	int r = driverdb_parse(ctx, &db, "fuzz.conf", (const char *)data, size, collect ? &errors : NULL);
	if (r != 0 && r != -EBADMSG && r != -ENOMEM)
		__builtin_trap();
	if (r == -EBADMSG && collect && errors.len == 0 && !errors.oom)
		__builtin_trap();
	if (r == 0 && errors.len != 0)
		__builtin_trap();

	static const struct match_input inputs[] = {
		{ "kvm", "firecracker", "uefi", "x86_64", 0 },
		{ "hyperv", "azure", "uefi", "x86_64", 2 },
		{ NULL, NULL, NULL, NULL, 0 },
	};
	for (size_t i = 0; i < db.n_rules; i++) {
		const struct db_rule *rule = &db.rules[i];
		for (size_t k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++)
			(void)rule_matches_verdict(rule, &inputs[k]);
		(void)rule_matches_modalias(rule, "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00");
		for (size_t m = 0; m < rule->n_modules; m++)
			if (!rule->modules[m].names || !rule->modules[m].names[0] ||
			    rule->modules[m].tier >= TIER_COUNT)
				__builtin_trap();
		for (size_t p = 0; p < rule->n_packages; p++)
			if (!rule->packages[p].name)
				__builtin_trap();
	}
	strbuf_free(&errors);
	driverdb_free(&db);
	return 0;
}
