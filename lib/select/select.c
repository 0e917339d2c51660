/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The selection: database rules x verdict x devices -> modules in load order,
 * resolved against the target kernel, and packages per distribution family.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dbdefault.h"
#include "devices.h"
#include "detect/facts.h"
#include "detect/registry.h"
#include "modarch.h"
#include "select.h"
#include "base/escape.h"
#include "base/sysroot.h"

#define DEPTH_MAX 64   /* module dependency chains are short; this only stops a cyclic index */

/* ---- the options of one call ---- */

/* A database directory as the options give it: NULL the default, "" none (NULL). */
static const char *db_dir(const char *dir, const char *fallback)
{
	return !dir ? fallback : *dir ? dir : NULL;
}

HVD_EXPORT int hvd_driverdb_check(struct hvd_ctx *ctx, const char *vendor_db, const char *admin_db, char **report)
{
	struct driverdb db;
	struct strbuf errors = { 0 };
	int r;

	ctx_clear_error();
	if (!ctx || !report)
		return -EINVAL;
	*report = NULL;
	r = driverdb_load(ctx, &db, db_dir(vendor_db, driverdb_default_vendor_dir()),
	                  db_dir(admin_db, HVD_SYSCONFDIR "/drivers.d"), &errors);
	driverdb_free(&db);
	if (r < 0 && r != -EBADMSG && errors.len == 0 && ctx_error(ctx))
		strbuf_printf(&errors, "%s\n", ctx_error(ctx));
	strbuf_puts(&errors, "");
	*report = strbuf_steal(&errors);
	if (!*report)
		return -ENOMEM;
	return r;
}

/* ---- a small string -> index map (open addressing), so that 1,000 devices cost linear time ---- */

struct strmap {
	const char **keys;
	size_t *vals;
	size_t n, cap;
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool strmap_get(const struct strmap *m, const char *key, size_t *val)
{
	if (!m->cap)
		return false;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return false;
		if (strcmp(m->keys[i], key) == 0) {
			if (val)
				*val = m->vals[i];
			return true;
		}
	}
}

/* KEY must outlive the map (it is not copied). */
static int strmap_put(struct strmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct strmap nm = { calloc(ncap, sizeof(char *)), calloc(ncap, sizeof(size_t)), 0, ncap };
		if (!nm.keys || !nm.vals) {
			free(nm.keys);
			free(nm.vals);
			return -ENOMEM;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				strmap_put(&nm, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = nm;
	}
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
	return 0;
}

static void strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- candidates: what rules and devices ask for, before dependency expansion ---- */

struct cand {
	char *name;
	char *reason;
	char *note;
	enum tier tier;
	bool initramfs, explicit_load;
	bool portable_extra;   /* only there for --portable: missing is a warning, never fatal */
	size_t order;
};

struct builder {
	struct hvd_ctx *ctx;
	struct hvd_selection *sel;
	struct target *t;
	struct cand *cands;
	size_t n_cands, cap_cands;
	struct strmap cand_map;
	struct strmap placed;       /* name -> index in sel->mods */
	const char *stack[DEPTH_MAX];
	size_t depth;
	size_t cap_mods;
};

static int add_cand(struct builder *b, const char *name, enum tier tier, bool initramfs, bool explicit_load,
                    bool portable_extra, const char *reason, const char *note)
{
	size_t i;

	if (strmap_get(&b->cand_map, name, &i)) {
		struct cand *c = &b->cands[i];
		if (tier < c->tier)
			c->tier = tier;
		c->initramfs |= initramfs;
		c->explicit_load |= explicit_load;
		c->portable_extra &= portable_extra;
		return 0;
	}
	if (b->n_cands == b->cap_cands) {
		size_t ncap = b->cap_cands ? b->cap_cands * 2 : 32;
		struct cand *nc = realloc(b->cands, ncap * sizeof(*nc));
		if (!nc)
			return -ENOMEM;
		/* The map holds pointers to the names, which do not move with the array. */
		b->cands = nc;
		b->cap_cands = ncap;
	}
	struct cand *c = &b->cands[b->n_cands];
	*c = (struct cand){ .name = strdup(name), .reason = strdup(reason), .note = note ? strdup(note) : NULL,
	                    .tier = tier, .initramfs = initramfs, .explicit_load = explicit_load,
	                    .portable_extra = portable_extra, .order = b->n_cands };
	if (!c->name || !c->reason || (note && !c->note) || strmap_put(&b->cand_map, c->name, b->n_cands) < 0) {
		free(c->name);
		free(c->reason);
		free(c->note);
		return -ENOMEM;
	}
	b->n_cands++;
	return 0;
}

static int add_rule_module(struct builder *b, const struct db_rule *rule, const struct db_module *m,
                           bool portable_extra)
{
	_cleanup_free_ char *reason = strdup_printf("%s:%u", rule->file, m->line);
	_cleanup_free_ char *note = NULL;
	const char *pick = m->names[0];

	if (!reason)
		return -ENOMEM;
	if (!b->t)
		return 0;   /* packages only: no module tree, no modules */
	if (m->names[1]) {
		/* Alternatives: only one may bind; take the first the target kernel has. */
		size_t i;
		for (i = 0; m->names[i]; i++)
			if (target_state(b->t, m->names[i]) != MOD_MISSING)
				break;
		if (m->names[i]) {
			pick = m->names[i];
			note = i == 0 ? strdup_printf("preferred over its alternatives")
			              : strdup_printf("alternative taken: %s is not in this kernel", m->names[0]);
		} else {
			note = strdup_printf("no alternative is in this kernel");
		}
		if (!note)
			return -ENOMEM;
	}
	return add_cand(b, pick, m->tier, m->initramfs, m->explicit_load, portable_extra, reason, note);
}

static int add_packages(struct hvd_selection *sel, const struct db_rule *rule)
{
	for (size_t i = 0; i < rule->n_packages; i++) {
		const struct db_package *p = &rule->packages[i];
		for (int d = 0; d < DISTRO_COUNT; d++) {
			size_t n = 0;
			if (!(p->families & (1u << d)))
				continue;
			for (; sel->packages[d] && sel->packages[d][n]; n++)
				if (strcmp(sel->packages[d][n], p->name) == 0)
					break;
			if (sel->packages[d] && sel->packages[d][n])
				continue;
			char **nv = realloc(sel->packages[d], (n + 2) * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			sel->packages[d] = nv;
			nv[n] = strdup(p->name);
			nv[n + 1] = NULL;
			if (!nv[n])
				return -ENOMEM;
		}
	}
	return 0;
}

enum tier tier_for_modalias(const char *a)
{
	if (startswith(a, "pci:")) {
		const char *bc = strstr(a, "bc");
		if (bc && strlen(bc) >= 4) {
			if (strncmp(bc + 2, "01", 2) == 0)
				return TIER_BOOT;
			if (strncmp(bc + 2, "02", 2) == 0)
				return TIER_NETWORK;
			if (strncmp(bc + 2, "03", 2) == 0)
				return TIER_DISPLAY;
		}
	} else if (startswith(a, "virtio:d")) {
		unsigned long id = strtoul(a + 8, NULL, 16);
		if (id == 2 || id == 8)
			return TIER_BOOT;
		if (id == 1)
			return TIER_NETWORK;
		if (id == 16)
			return TIER_DISPLAY;
	} else if (strcmp(a, "xen:vbd") == 0) {
		return TIER_BOOT;
	} else if (strcmp(a, "xen:vif") == 0) {
		return TIER_NETWORK;
	}
	return TIER_INTEGRATION;
}

/* ---- dependency expansion into load order ---- */

static int warn_sel(struct hvd_selection *sel, const char *format, ...) HVD_PRINTF(2, 3);
static int warn_sel(struct hvd_selection *sel, const char *format, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, format);
	msg = strdup_vprintf(format, ap);
	va_end(ap);
	if (!msg)
		return -ENOMEM;
	char **nv = realloc(sel->warnings, (sel->n_warnings + 1) * sizeof(*nv));
	if (!nv) {
		free(msg);
		return -ENOMEM;
	}
	sel->warnings = nv;
	nv[sel->n_warnings++] = msg;
	warn(sel->ctx, "%s", msg);
	return 0;
}

static int place(struct builder *b, const char *name, const char *parent, const char *relation,
                 enum tier tier, bool initramfs)
{
	struct hvd_selection *sel = b->sel;
	const struct cand *c = NULL;
	size_t idx;
	int r;

	if (strmap_get(&b->placed, name, &idx)) {
		/* Already placed earlier: a dependency of an initramfs module must be in the initramfs too. */
		if (initramfs && !sel->mods[idx].pub.initramfs)
			sel->mods[idx].pub.initramfs = 1;
		return 0;
	}
	for (size_t i = 0; i < b->depth; i++)
		if (strcmp(b->stack[i], name) == 0)
			return 0;   /* a cycle in a broken index: ignore the back edge */
	if (b->depth == DEPTH_MAX)
		return 0;
	if (strmap_get(&b->cand_map, name, &idx))
		c = &b->cands[idx];

	struct sel_module m = { .tier = c ? c->tier : tier };
	m.state = target_state(b->t, name);
	/* Like udev, the blacklist applies to what is asked for, not to what that needs. */
	m.blacklisted = c && m.state != MOD_MISSING && m.state != MOD_BUILTIN && target_blacklisted(b->t, name);
	if (m.state != MOD_MISSING && !m.blacklisted) {
		char **pre = NULL, **deps = NULL;
		r = target_deps(b->t, name, &pre, &deps);
		if (r < 0)
			return r;
		b->stack[b->depth++] = name;
		bool ir = c ? c->initramfs : initramfs;
		for (char **p = pre; r >= 0 && p && *p; p++)
			r = place(b, *p, name, "softdep of", m.tier, ir);
		for (char **p = deps; r >= 0 && p && *p; p++)
			r = place(b, *p, name, "dependency of", m.tier, ir);
		b->depth--;
		strv_free(pre);
		strv_free(deps);
		if (r < 0)
			return r;
	}
	m.name = strdup(name);
	m.reason = c ? strdup(c->reason) : strdup_printf("%s %s", relation, parent);
	m.note = c && c->note ? strdup(c->note) : NULL;
	if (!m.name || !m.reason || (c && c->note && !m.note))
		goto oom;
	if (m.blacklisted) {
		free(m.note);
		m.note = strdup("blacklisted in the target's modprobe.d: dropped");
		if (!m.note || warn_sel(sel, "%s is blacklisted in modprobe.d and will not be loaded", name) < 0)
			goto oom;
	} else if (m.state == MOD_MISSING) {
		/* A portable extra for another hypervisor is welcome, not required. */
		if (m.tier == TIER_BOOT && !(c && c->portable_extra)) {
			sel->missing_boot++;
			m.pub.missing_boot = 1;
		}
		if (warn_sel(sel, "%s-tier module %s is missing from kernel %s%s", tier_names[m.tier], name,
		             target_version(b->t), m.tier == TIER_BOOT ? ": the target cannot boot without it" : "") < 0)
			goto oom;
	}
	m.pub.name = m.name;
	m.pub.tier = tier_names[m.tier];
	m.pub.state = m.blacklisted ? "blacklisted" : mod_state_names[m.state];
	m.pub.reason = m.reason;
	m.pub.note = m.note;
	m.pub.initramfs = c ? c->initramfs : initramfs;
	m.pub.explicit_load = c ? c->explicit_load : 0;
	m.pub.dependency = !c;
	if (sel->n_mods == b->cap_mods) {
		size_t ncap = b->cap_mods ? b->cap_mods * 2 : 32;
		struct sel_module *nm = realloc(sel->mods, ncap * sizeof(*nm));
		if (!nm)
			goto oom;
		/* The public pointers are into the members' own heap strings, which do not move. */
		sel->mods = nm;
		b->cap_mods = ncap;
	}
	sel->mods[sel->n_mods] = m;
	if (strmap_put(&b->placed, sel->mods[sel->n_mods].name, sel->n_mods) < 0) {
		sel->n_mods++;   /* owned by the selection now; freed with it */
		return -ENOMEM;
	}
	sel->n_mods++;
	return 0;
oom:
	free(m.name);
	free(m.reason);
	free(m.note);
	return -ENOMEM;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->tier != y->tier)
		return (int)x->tier - (int)y->tier;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- distribution family ---- */

static int family_of_word(const char *w, size_t len)
{
	static const struct { const char *id; int family; } map[] = {
		{ "rhel", DISTRO_RHEL }, { "centos", DISTRO_RHEL }, { "rocky", DISTRO_RHEL },
		{ "almalinux", DISTRO_RHEL }, { "ol", DISTRO_RHEL }, { "redhat", DISTRO_RHEL },
		{ "fedora", DISTRO_FEDORA }, { "debian", DISTRO_DEBIAN }, { "raspbian", DISTRO_DEBIAN },
		{ "ubuntu", DISTRO_UBUNTU }, { "sles", DISTRO_SUSE }, { "sled", DISTRO_SUSE },
		{ "suse", DISTRO_SUSE }, { "opensuse", DISTRO_SUSE }, { "opensuse-leap", DISTRO_SUSE },
		{ "opensuse-tumbleweed", DISTRO_SUSE }, { "opensuse-microos", DISTRO_SUSE },
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strlen(map[i].id) == len && strncmp(map[i].id, w, len) == 0)
			return map[i].family;
	return -1;
}

/* The unquoted value of KEY= in os-release TEXT, as a pointer/length into it. */
static bool os_release_value(const char *text, const char *key, const char **val, size_t *len)
{
	size_t kl = strlen(key);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		if (ll > kl && strncmp(line, key, kl) == 0 && line[kl] == '=') {
			const char *v = line + kl + 1;
			size_t vl = ll - kl - 1;
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
				v++;
				vl -= 2;
			}
			*val = v;
			*len = vl;
			return true;
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

int distro_from_os_release(const char *text)
{
	const char *v;
	size_t len;

	if (os_release_value(text, "ID", &v, &len)) {
		int f = family_of_word(v, len);
		if (f >= 0)
			return f;
	}
	if (os_release_value(text, "ID_LIKE", &v, &len)) {
		for (size_t i = 0; i < len;) {
			size_t j = i;
			while (j < len && v[j] != ' ')
				j++;
			int f = family_of_word(v + i, j - i);
			if (f >= 0)
				return f;
			i = j + 1;
		}
	}
	return -1;
}

static int detect_distro(struct hvd_ctx *ctx)
{
	static const char *const paths[] = { "etc/os-release", "usr/lib/os-release" };
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		_cleanup_free_ char *text = NULL;
		size_t len;
		if (sysroot_read(ctx, paths[i], 65536, &text, &len) >= 0)
			return distro_from_os_release(text);
	}
	return -1;
}

/* ---- hvd_select ---- */

/*
 * A named target: a hypervisor, or a cloud that implies one (the registry says
 * which names are selectable, and which hypervisor a cloud's VMs run on).
 */
static int target_from_name(const char *name, const char **hv, const char **platform)
{
	const struct reg_entry *e = registry_find(REG_HYPERVISOR, name);

	if (e && (e->flags & REG_SELECTABLE)) {
		*hv = e->id;
		*platform = NULL;
		return 0;
	}
	e = registry_find(REG_PLATFORM, name);
	/* A platform without a hypervisor of its own would leave the selection nothing to match. */
	if (e && (e->flags & REG_SELECTABLE) && e->hypervisor) {
		*hv = e->hypervisor;
		*platform = e->id;
		return 0;
	}
	return -EINVAL;
}

static int build(struct builder *b, const struct driverdb *db, const struct match_input *in,
                 const struct device_list *devs, bool named, char *const *add)
{
	struct hvd_selection *sel = b->sel;
	struct strmap seen_alias = { 0 };
	int r = 0;

	for (size_t i = 0; i < db->n_rules && r >= 0; i++) {
		const struct db_rule *rule = &db->rules[i];
		if (!rule_matches_verdict(rule, in))
			continue;
		if (rule->cond[KEY_DEVICE] && named) {
			/*
			 * A named target's devices are unknown (this machine's are not its):
			 * take the device rules written for that hypervisor or platform.
			 */
			if (!rule->cond[KEY_HYPERVISOR] && !rule->cond[KEY_PLATFORM])
				continue;
		} else if (rule->cond[KEY_DEVICE]) {
			size_t d;
			for (d = 0; d < devs->n; d++)
				if (rule_matches_modalias(rule, devs->v[d].modalias))
					break;
			if (d == devs->n)
				continue;
		}
		for (size_t j = 0; j < rule->n_modules && r >= 0; j++)
			r = add_rule_module(b, rule, &rule->modules[j], false);
		if (r >= 0)
			r = add_packages(sel, rule);
	}
	/*
	 * Portable: on top of what this target needs, the boot tier of every rule,
	 * whatever it matches, so the installed image also boots after migrating: to
	 * another hypervisor, never to another architecture, so arch= still holds
	 * (an arm64 image gets no x86-only driver, nor a warning that it lacks one).
	 */
	for (size_t i = 0; sel->portable && i < db->n_rules && r >= 0; i++) {
		const struct db_rule arch_only = { .cond = { [KEY_ARCH] = db->rules[i].cond[KEY_ARCH] } };
		const struct match_input arch_in = { .arch = in->arch };
		if (in->arch && !rule_matches_verdict(&arch_only, &arch_in))
			continue;
		for (size_t j = 0; j < db->rules[i].n_modules && r >= 0; j++)
			if (db->rules[i].modules[j].tier == TIER_BOOT)
				r = add_rule_module(b, &db->rules[i], &db->rules[i].modules[j], true);
	}
	/* What udev would autoload for every device, whether or not a rule names it. */
	for (size_t d = 0; b->t && d < devs->n && r >= 0; d++) {
		const char *alias = devs->v[d].modalias;
		char **names = NULL;

		if (strmap_get(&seen_alias, alias, NULL))
			continue;
		r = strmap_put(&seen_alias, alias, d);
		if (r < 0)
			break;
		r = target_lookup(b->t, alias, &names);
		if (r == -EBADMSG)   /* the index names something that is not a module: kmod.c said which */
			break;
		if (r < 0) {
			dbg(b->ctx, "lookup of %s failed: %s", alias, strerror(-r));
			r = 0;
			continue;
		}
		_cleanup_free_ char *reason = strdup_printf("modalias:%s", alias);
		if (!reason)
			r = -ENOMEM;
		for (char **n = names; r >= 0 && *n; n++)
			r = add_cand(b, *n, tier_for_modalias(alias), false, false, false, reason, NULL);
		strv_free(names);
	}
	strmap_free(&seen_alias);
	if (r < 0)
		return r;
	/* The caller's own: in the initramfs and loaded by name, whatever else asks for them. */
	for (size_t i = 0; b->t && add && add[i] && r >= 0; i++)
		r = add_cand(b, add[i], TIER_INTEGRATION, true, true, false, "added by the caller (add_modules)", NULL);
	if (r < 0)
		return r;
	/* Boot drivers first, then network, integration, display; database order within a tier. */
	if (b->n_cands > 1)  /* qsort(NULL, 0, ...) is undefined */
		qsort(b->cands, b->n_cands, sizeof(*b->cands), cmp_cand);
	strmap_free(&b->cand_map);
	for (size_t i = 0; i < b->n_cands; i++) {
		r = strmap_put(&b->cand_map, b->cands[i].name, i);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < b->n_cands && r >= 0; i++)
		r = place(b, b->cands[i].name, NULL, NULL, b->cands[i].tier, b->cands[i].initramfs);
	return r;
}

/*
 * A caller's module list (add_modules, omit_modules) as kernel names ('-' as
 * '_', as the kernel and depmod name modules): every name checked, since it
 * goes into files that are sourced. *OUT is NULL-terminated (NULL for none).
 */
static int module_names(struct hvd_ctx *ctx, const char *const *list, const char *what, char ***out)
{
	size_t n = 0;
	char **v;

	*out = NULL;
	while (list && list[n])
		n++;
	if (!n)
		return 0;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!valid_module_name(list[i])) {
			_cleanup_free_ char *esc = escape_name(list[i]);
			strv_free(v);
			return ctx_set_error(ctx, -EINVAL, "%s: '%s' is not a module name (letters, digits, _ and -)", what,
			                     esc ? esc : "?");
		}
		if (!(v[i] = strdup(list[i]))) {
			strv_free(v);
			return -ENOMEM;
		}
		for (char *p = v[i]; *p; p++)
			if (*p == '-')
				*p = '_';
	}
	*out = v;
	return 0;
}

/*
 * Mark the caller's omitted modules: they stay in the list (the caller sees
 * what was left out) but no format or load takes them. The target cannot boot
 * without an omitted boot-tier module, so it counts as missing.
 */
static int omit(struct hvd_selection *sel, char *const *names)
{
	for (size_t i = 0; names && names[i]; i++) {
		bool found = false;
		for (size_t j = 0; j < sel->n_mods; j++) {
			struct sel_module *m = &sel->mods[j];
			if (strcmp(m->name, names[i]) != 0)
				continue;
			found = true;
			m->omitted = true;
			m->pub.omitted = 1;
			free(m->note);
			m->note = strdup("omitted by the caller (omit_modules)");
			m->pub.note = m->note;
			if (!m->note)
				return -ENOMEM;
			if (m->tier == TIER_BOOT && !m->pub.missing_boot && m->state != MOD_BUILTIN) {
				m->pub.missing_boot = 1;
				sel->missing_boot++;
				if (warn_sel(sel, "boot-tier module %s is omitted: the target cannot boot without it",
				             m->name) < 0)
					return -ENOMEM;
			}
		}
		if (!found && warn_sel(sel, "module %s was to be omitted, but nothing selects it", names[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

HVD_EXPORT int hvd_select(struct hvd_selection **out, struct hvd_ctx *ctx, const struct hvd_verdict *v,
                          const struct hvd_select_options *opts)
{
	static const struct hvd_select_options defaults = HVD_SELECT_OPTIONS_INIT;
	struct hvd_select_options o2 = HVD_SELECT_OPTIONS_INIT;
	char **add = NULL, **omitted = NULL;
	struct driverdb db = { 0 };
	struct device_list devs = { 0 };
	struct match_input in = { 0 };
	struct builder b = { 0 };
	struct hvd_selection *sel;
	const char *hypervisor;
	unsigned int flags;
	int r;

	ctx_clear_error();
	if (!out || !ctx)
		return -EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	/* Fields of a later version would be options this library cannot honour: refuse, never ignore. */
	if (opts->version != 1 && opts->version != HVD_SELECT_OPTIONS_VERSION)
		return ctx_set_error(ctx, -EINVAL, "selection options of version %u: this library knows versions 1 to %u",
		                     opts->version, HVD_SELECT_OPTIONS_VERSION);
	if (opts->version == 1) {
		/* A version-1 struct ends at admin_db: read no further. */
		memcpy(&o2, opts, offsetof(struct hvd_select_options, target_root));
		o2.version = HVD_SELECT_OPTIONS_VERSION;
		opts = &o2;
	}
	hypervisor = opts->hypervisor;
	flags = opts->flags;
	if (flags & ~(unsigned)(HVD_SELECT_PORTABLE | HVD_SELECT_NO_DEVICES | HVD_SELECT_PACKAGES_ONLY) ||
	    ((flags & HVD_SELECT_PACKAGES_ONLY) && opts == &o2))
		return ctx_set_error(ctx, -EINVAL, "unknown selection flags 0x%x", flags);
	if ((flags & HVD_SELECT_PACKAGES_ONLY) && (opts->moddir || opts->kernel || opts->add_modules || opts->omit_modules))
		return ctx_set_error(ctx, -EINVAL, "a packages-only selection takes no kernel and no module lists");
	if (!v && !hypervisor && !(flags & HVD_SELECT_PORTABLE))
		return ctx_set_error(ctx, -EINVAL, "nothing to select for: no verdict, no hypervisor, not portable");
	if (opts->moddir && opts->kernel)
		return ctx_set_error(ctx, -EINVAL, "a module directory and a kernel version cannot both be given");
	if (hypervisor) {
		if (target_from_name(hypervisor, &in.hypervisor, &in.platform) < 0)
			return ctx_set_error(ctx, -EINVAL, "unknown hypervisor '%s'", hypervisor);
	} else if (v) {
		in.hypervisor = hvd_verdict_get_hypervisor(v);
		in.platform = hvd_verdict_get_platform(v);
		in.generation = hvd_verdict_get_generation(v);
		in.firmware = hvd_verdict_get_firmware(v);
	}
	if (v)
		in.arch = hvd_verdict_get_arch(v);

	sel = calloc(1, sizeof(*sel));
	if (!sel)
		return -ENOMEM;
	sel->refcount = 1;
	sel->ctx = hvd_ctx_ref(ctx);   /* for the log and the errors of hvd_selection_load() */
	sel->portable = flags & HVD_SELECT_PORTABLE;
	sel->distro_override = -1;
	r = module_names(ctx, opts->add_modules, "add_modules", &add);
	if (r >= 0)
		r = module_names(ctx, opts->omit_modules, "omit_modules", &omitted);
	if (r < 0)
		goto out;
	for (size_t i = 0; add && omitted && add[i]; i++)
		for (size_t j = 0; omitted[j]; j++)
			if (strcmp(add[i], omitted[j]) == 0) {
				r = ctx_set_error(ctx, -EINVAL, "module %s is both added and omitted", add[i]);
				goto out;
			}
	sel->hypervisor = in.hypervisor ? strdup(in.hypervisor) : NULL;
	sel->platform = in.platform ? strdup(in.platform) : NULL;
	if ((in.hypervisor && !sel->hypervisor) || (in.platform && !sel->platform)) {
		r = -ENOMEM;
		goto out;
	}

	r = driverdb_load(ctx, &db, db_dir(opts->vendor_db, driverdb_default_vendor_dir()),
	                  db_dir(opts->admin_db, HVD_SYSCONFDIR "/drivers.d"), NULL);
	if (r < 0)
		goto out;
	if (v && !hypervisor && !(flags & HVD_SELECT_NO_DEVICES)) {
		r = devices_scan(ctx, &devs);
		if (r < 0) {
			if (r != -E2BIG)   /* devices.c says which limit */
				ctx_set_error(ctx, r, "device scan failed: %s", strerror(-r));
			goto out;
		}
	}
	/* The target root: its kernel and its os-release, by the same sysroot rules, reporting to CTX. */
	if (opts->target_root && (r = ctx_new_for_root(ctx, opts->target_root, &sel->target_ctx)) < 0)
		goto out;
	if (!(flags & HVD_SELECT_PACKAGES_ONLY)) {
		r = target_open(sel->target_ctx ? sel->target_ctx : ctx, opts->moddir, opts->kernel, &sel->target);
		if (r < 0)
			goto out;
	}
	b.ctx = ctx;
	b.sel = sel;
	b.t = sel->target;
	/* The module tree's architecture over the machine's: an image for another architecture is
	 * selected with that architecture's rules (data/drivers.d arch=; modarch.h). */
	const char *tree_arch = sel->target ? moddir_arch(target_moddir(sel->target)) : NULL;
	if (tree_arch)
		in.arch = tree_arch;
	/* A verdict from a bug report's text: that machine's devices are unknown, as a named target's. */
	r = build(&b, &db, &in, &devs, hypervisor != NULL || ctx_text_only(ctx), add);
	if (r >= 0)
		r = omit(sel, omitted);
	if (r < 0)
		goto out;
	sel->distro = detect_distro(sel->target_ctx ? sel->target_ctx : ctx);
	for (int d = 0; d < DISTRO_COUNT; d++)
		if (!sel->packages[d] && !(sel->packages[d] = calloc(1, sizeof(char *)))) {
			r = -ENOMEM;
			goto out;
		}
	*out = TAKE_PTR(sel);
out:
	for (size_t i = 0; i < b.n_cands; i++) {
		free(b.cands[i].name);
		free(b.cands[i].reason);
		free(b.cands[i].note);
	}
	free(b.cands);
	strmap_free(&b.cand_map);
	strmap_free(&b.placed);
	devices_free(&devs);
	driverdb_free(&db);
	strv_free(add);
	strv_free(omitted);
	hvd_selection_unref(sel);
	return r;
}

HVD_EXPORT struct hvd_selection *hvd_selection_ref(struct hvd_selection *sel)
{
	if (sel)
		ref_inc(&sel->refcount);
	return sel;
}

HVD_EXPORT struct hvd_selection *hvd_selection_unref(struct hvd_selection *sel)
{
	if (!sel || !ref_dec(&sel->refcount))
		return NULL;
	for (size_t i = 0; i < sel->n_mods; i++) {
		free(sel->mods[i].name);
		free(sel->mods[i].reason);
		free(sel->mods[i].note);
	}
	free(sel->mods);
	for (size_t i = 0; i < sel->n_outcomes; i++)
		free(sel->outcomes[i]);
	free(sel->outcomes);
	for (size_t i = 0; i < sel->n_warnings; i++)
		free(sel->warnings[i]);
	free(sel->warnings);
	for (int d = 0; d < DISTRO_COUNT; d++)
		strv_free(sel->packages[d]);
	free(sel->hypervisor);
	free(sel->platform);
	target_free(sel->target);
	hvd_ctx_unref(sel->target_ctx);
	hvd_ctx_unref(sel->ctx);
	free(sel);
	return NULL;
}

HVD_EXPORT size_t hvd_selection_get_module_count(const struct hvd_selection *sel)
{
	return sel ? sel->n_mods : 0;
}

HVD_EXPORT const struct hvd_module *hvd_selection_get_module(const struct hvd_selection *sel, size_t index)
{
	return sel && index < sel->n_mods ? &sel->mods[index].pub : NULL;
}

HVD_EXPORT const char *hvd_selection_get_kernel(const struct hvd_selection *sel)
{
	return sel ? target_version(sel->target) : NULL;
}

HVD_EXPORT const char *hvd_selection_get_moddir(const struct hvd_selection *sel)
{
	return sel ? target_moddir(sel->target) : NULL;
}

HVD_EXPORT size_t hvd_selection_get_missing_boot_count(const struct hvd_selection *sel)
{
	return sel ? sel->missing_boot : 0;
}

HVD_EXPORT size_t hvd_selection_get_warning_count(const struct hvd_selection *sel)
{
	return sel ? sel->n_warnings : 0;
}

HVD_EXPORT const char *hvd_selection_get_warning(const struct hvd_selection *sel, size_t index)
{
	return sel && index < sel->n_warnings ? sel->warnings[index] : NULL;
}

HVD_EXPORT const char *hvd_selection_get_distro(const struct hvd_selection *sel)
{
	if (!sel)
		return NULL;
	int d = sel->distro_override >= 0 ? sel->distro_override : sel->distro;
	return d >= 0 ? distro_names[d] : NULL;
}

HVD_EXPORT int hvd_selection_set_distro(struct hvd_selection *sel, const char *family)
{
	ctx_clear_error();
	if (!sel)
		return -EINVAL;
	if (!family) {
		sel->distro_override = -1;
		return 0;
	}
	int d = distro_from_name(family);
	if (d < 0)
		return ctx_set_error(sel->ctx, -EINVAL,
		                     "unknown distribution family '%s' (expected rhel, fedora, debian, ubuntu or suse)",
		                     family);
	sel->distro_override = d;
	return 0;
}

HVD_EXPORT const char *const *hvd_selection_get_packages(const struct hvd_selection *sel, const char *family)
{
	static const char *const empty[] = { NULL };
	int d;

	if (!sel)
		return NULL;
	if (family) {
		d = distro_from_name(family);
		if (d < 0)
			return NULL;
	} else {
		d = sel->distro_override >= 0 ? sel->distro_override : sel->distro;
		if (d < 0)
			return empty;
	}
	return (const char *const *)sel->packages[d];
}
