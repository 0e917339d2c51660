/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver database: drop-in files (data/drivers.d/NAME.conf, overridable
 * from /etc/hvdetect/drivers.d/) of rules that map verdict fields and device
 * modaliases to modules and packages. The format is in hvdetect-drivers.d(5).
 */
#ifndef HVD_DRIVERDB_H
#define HVD_DRIVERDB_H

#include <stdbool.h>
#include <stddef.h>

#include "base/internal.h"

enum tier { TIER_BOOT, TIER_NETWORK, TIER_INTEGRATION, TIER_DISPLAY, TIER_COUNT };
extern const char *const tier_names[TIER_COUNT];
int tier_from_name(const char *s);

enum distro_family { DISTRO_RHEL, DISTRO_FEDORA, DISTRO_DEBIAN, DISTRO_UBUNTU, DISTRO_SUSE, DISTRO_COUNT };
extern const char *const distro_names[DISTRO_COUNT];
int distro_from_name(const char *s);

/* The verdict fields a rule can test. */
enum match_key { KEY_HYPERVISOR, KEY_PLATFORM, KEY_GENERATION, KEY_FIRMWARE, KEY_ARCH, KEY_DEVICE, KEY_COUNT };

struct db_module {
	char **names;        /* alternatives in order of preference (normalised: '-' -> '_'), NULL-terminated */
	enum tier tier;
	bool initramfs;
	bool explicit_load;  /* no device triggers it: must be loaded by name */
	unsigned line;
};

struct db_package {
	unsigned families;   /* bit set of enum distro_family */
	char *name;
};

struct db_rule {
	const char *file;    /* points into driverdb.files */
	unsigned line;
	/* Per key, a NULL-terminated list of fnmatch patterns (any may match), or NULL = no condition. */
	char **cond[KEY_COUNT];
	struct db_module *modules;
	size_t n_modules;
	struct db_package *packages;
	size_t n_packages;
};

struct driverdb {
	char **files;        /* basenames of the files read, in reading order */
	size_t n_files;
	struct db_rule *rules;
	size_t n_rules;
	/* What parsing has cost so far, all files together (driverdb.c bounds it). */
	size_t n_items;      /* rules, match values, module names and packages */
	size_t n_bytes;      /* text parsed */
	size_t n_reported;   /* error lines added to a report */
	bool full;           /* a bound was hit: nothing more is parsed */
};

/*
 * Parse one database file's text. FILE is the name used in error messages.
 * ERRORS, when non-NULL, collects every error as "file:line: message\n";
 * without it parsing stops at the first error (recorded in the context).
 * Returns 0 or -EBADMSG / -ENOMEM.
 */
int driverdb_parse(struct hvd_ctx *ctx, struct driverdb *db, const char *file, const char *text,
                   size_t len, struct strbuf *errors);

/*
 * Load the merged drop-in directories: every *.conf in VENDOR_DIR and
 * ADMIN_DIR (either may be NULL or missing), a name in ADMIN_DIR replacing the
 * same name in VENDOR_DIR, read in lexical order of the names. On error nothing
 * is kept (*DB is left empty). ERRORS as for driverdb_parse.
 */
int driverdb_load(struct hvd_ctx *ctx, struct driverdb *db, const char *vendor_dir,
                  const char *admin_dir, struct strbuf *errors);
void driverdb_free(struct driverdb *db);

/* The facts a rule is matched against. Any field may be NULL (generation 0). */
struct match_input {
	const char *hypervisor, *platform, *firmware, *arch;
	int generation;
};
/* Whether RULE's verdict conditions hold (device conditions are not looked at). */
bool rule_matches_verdict(const struct db_rule *rule, const struct match_input *in);
/* Whether MODALIAS satisfies one of RULE's device patterns (true when it has none). */
bool rule_matches_modalias(const struct db_rule *rule, const char *modalias);

#endif
