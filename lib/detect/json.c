/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The verdict as JSON: one stable object, keys in a fixed order. */
#include "base/internal.h"
#include "verdict.h"

static void key(struct strbuf *sb, const char *k, bool first)
{
	if (!first)
		strbuf_puts(sb, ", ");
	strbuf_json_string(sb, k);
	strbuf_puts(sb, ": ");
}

static void kv_str(struct strbuf *sb, const char *k, const char *v, bool first)
{
	key(sb, k, first);
	strbuf_json_string(sb, v);
}

HVD_EXPORT int hvd_verdict_to_json(const struct hvd_verdict *v, char **json)
{
	struct strbuf sb = { 0 };

	ctx_clear_error();
	if (!v || !json)
		return -EINVAL;
	strbuf_puts(&sb, "{");
	kv_str(&sb, "hypervisor", v->hypervisor, true);
	kv_str(&sb, "platform", v->platform, false);
	key(&sb, "generation", false);
	if (v->generation)
		strbuf_printf(&sb, "%d", v->generation);
	else
		strbuf_puts(&sb, "null");
	kv_str(&sb, "firmware", v->firmware, false);
	kv_str(&sb, "role", v->role, false);
	kv_str(&sb, "confidential", v->confidential, false);
	kv_str(&sb, "systemd_id", v->systemd_id, false);
	kv_str(&sb, "arch", v->arch, false);
	key(&sb, "confidence", false);
	strbuf_printf(&sb, "%d", v->confidence);
	key(&sb, "evidence", false);
	strbuf_puts(&sb, "[");
	for (size_t i = 0; i < v->n_evidence; i++) {
		const struct hvd_evidence *e = &v->evidence[i];
		strbuf_puts(&sb, i ? ", {" : "{");
		kv_str(&sb, "source", e->source, true);
		kv_str(&sb, "key", e->key, false);
		kv_str(&sb, "value", e->value, false);
		kv_str(&sb, "points_to", e->points_to, false);
		key(&sb, "weight", false);
		strbuf_printf(&sb, "%d", e->weight);
		kv_str(&sb, "note", e->note, false);
		strbuf_puts(&sb, "}");
	}
	strbuf_puts(&sb, "]}\n");
	*json = strbuf_steal(&sb);
	return *json ? 0 : -ENOMEM;
}
