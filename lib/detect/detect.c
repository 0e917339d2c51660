/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hvd_detect() and the verdict object's public accessors. */
#include <string.h>

#include "facts.h"
#include "base/internal.h"
#include "verdict.h"

HVD_EXPORT int hvd_detect(struct hvd_verdict **out, struct hvd_ctx *ctx)
{
	struct facts f;
	int r;

	ctx_clear_error();
	if (!out || !ctx)
		return -EINVAL;
	*out = NULL;
	r = probe_all(ctx, &f);
	if (r < 0)
		return r;
	r = verdict_decide(out, &f);
	facts_free(&f);
	return r;
}

HVD_EXPORT struct hvd_verdict *hvd_verdict_ref(struct hvd_verdict *v)
{
	if (v)
		ref_inc(&v->refcount);
	return v;
}

HVD_EXPORT struct hvd_verdict *hvd_verdict_unref(struct hvd_verdict *v)
{
	if (!v || !ref_dec(&v->refcount))
		return NULL;
	for (size_t i = 0; i < v->n_evidence; i++) {
		struct hvd_evidence *e = &v->evidence[i];
		free((char *)e->source);
		free((char *)e->key);
		free((char *)e->value);
		free((char *)e->points_to);
		free((char *)e->note);
	}
	free(v->evidence);
	free(v->arch);
	free(v);
	return NULL;
}

HVD_EXPORT const char *hvd_verdict_get_hypervisor(const struct hvd_verdict *v) { return v ? v->hypervisor : NULL; }
HVD_EXPORT const char *hvd_verdict_get_platform(const struct hvd_verdict *v) { return v ? v->platform : NULL; }
HVD_EXPORT int hvd_verdict_get_generation(const struct hvd_verdict *v) { return v ? v->generation : 0; }
HVD_EXPORT const char *hvd_verdict_get_firmware(const struct hvd_verdict *v) { return v ? v->firmware : NULL; }
HVD_EXPORT const char *hvd_verdict_get_role(const struct hvd_verdict *v) { return v ? v->role : NULL; }
HVD_EXPORT const char *hvd_verdict_get_confidential(const struct hvd_verdict *v) { return v ? v->confidential : NULL; }
HVD_EXPORT const char *hvd_verdict_get_systemd_id(const struct hvd_verdict *v) { return v ? v->systemd_id : NULL; }
HVD_EXPORT const char *hvd_verdict_get_arch(const struct hvd_verdict *v) { return v ? v->arch : NULL; }
HVD_EXPORT int hvd_verdict_get_confidence(const struct hvd_verdict *v) { return v ? v->confidence : 0; }

HVD_EXPORT int hvd_verdict_is_uefi_only(const struct hvd_verdict *v)
{
	return verdict_uefi_only_platform(v) != NULL;
}

HVD_EXPORT size_t hvd_verdict_get_evidence_count(const struct hvd_verdict *v)
{
	return v ? v->n_evidence : 0;
}

HVD_EXPORT const struct hvd_evidence *hvd_verdict_get_evidence(const struct hvd_verdict *v, size_t index)
{
	return v && index < v->n_evidence ? &v->evidence[index] : NULL;
}
