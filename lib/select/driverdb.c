/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver database parser. The files are edited by hand (and by admins in
 * /etc), so every mistake is reported with its file:line, and a database with
 * any mistake is not used at all: loading half a rule set could drop a boot
 * driver silently.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "driverdb.h"
#include "base/escape.h"
#include "base/sysroot.h"
#include "detect/registry.h"

#define DB_LINE_MAX   4096u
#define DB_FILE_MAX   (1u << 20)
#define DB_FILES_MAX  1024u
/*
 * Bounds on the whole database, not only on each file: 100 files of
 * "match arch=a,a,a,..." made 50 million 2-byte values, 2 GB and 11 s in
 * --check-db (each value a small allocation). The real database has 7 files,
 * 12 KB and about 200 items; these are far above any real one.
 */
#define DB_TOTAL_MAX  (4u << 20)   /* bytes of text, all files together */
#define DB_ITEMS_MAX  65536u       /* rules, match values, module names and packages */
#define DB_REPORT_MAX 1000u        /* error lines in a report; the rest are counted */

const char *const tier_names[TIER_COUNT] = { "boot", "network", "integration", "display" };
const char *const distro_names[DISTRO_COUNT] = { "rhel", "fedora", "debian", "ubuntu", "suse" };
static const char *const key_names[KEY_COUNT] = {
	"hypervisor", "platform", "generation", "firmware", "arch", "device",
};

int tier_from_name(const char *s)
{
	for (int i = 0; i < TIER_COUNT; i++)
		if (strcmp(s, tier_names[i]) == 0)
			return i;
	return -1;
}

int distro_from_name(const char *s)
{
	for (int i = 0; i < DISTRO_COUNT; i++)
		if (strcmp(s, distro_names[i]) == 0)
			return i;
	return -1;
}

static void strv_free_local(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static void rule_free(struct db_rule *r)
{
	for (int k = 0; k < KEY_COUNT; k++)
		strv_free_local(r->cond[k]);
	for (size_t i = 0; i < r->n_modules; i++)
		strv_free_local(r->modules[i].names);
	free(r->modules);
	for (size_t i = 0; i < r->n_packages; i++)
		free(r->packages[i].name);
	free(r->packages);
}

void driverdb_free(struct driverdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n_rules; i++)
		rule_free(&db->rules[i]);
	free(db->rules);
	for (size_t i = 0; i < db->n_files; i++)
		free(db->files[i]);
	free(db->files);
	memset(db, 0, sizeof(*db));
}

/* Parser state for one file. */
struct parser {
	struct hvd_ctx *ctx;
	struct driverdb *db;
	const char *file;
	unsigned line;
	struct strbuf *errors;   /* collect all (validation), or NULL: stop at the first */
	int n_errors;
	bool oom;
	struct db_rule *rule;    /* the open rule, or NULL */
	bool rule_has_body;
};

static void perror_at(struct parser *p, unsigned line, const char *format, ...) HVD_PRINTF(3, 4);
static void perror_at(struct parser *p, unsigned line, const char *format, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, format);
	if (vasprintf(&msg, format, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg) {
		p->oom = true;
		return;
	}
	/* A rule whose line is broken has a body that could not be read: "no 'module' line" would be wrong. */
	if (p->rule)
		p->rule_has_body = true;
	if (p->n_errors == 0)
		ctx_set_error(p->ctx, -EBADMSG, "%s:%u: %s", p->file, line, msg);
	if (p->errors && p->db->n_reported++ < DB_REPORT_MAX)
		strbuf_printf(p->errors, "%s:%u: %s\n", p->file, line, msg);
	p->n_errors++;
}
#define perr(p, ...) perror_at((p), (p)->line, __VA_ARGS__)

/* Count N more items against DB_ITEMS_MAX; false (and one error, then nothing more parsed) past it. */
static bool spend(struct parser *p, size_t n)
{
	if (p->db->n_items + n <= DB_ITEMS_MAX) {
		p->db->n_items += n;
		return true;
	}
	if (!p->db->full)
		perr(p, "the database holds more than %u rules, match values, module names and packages: "
		     "nothing after this line is read", DB_ITEMS_MAX);
	p->db->full = true;
	return false;
}

static bool valid_chars(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr(extra, *s)))
			return false;
	return true;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Split S at SEP into a NULL-terminated vector; NULL on OOM. Empty items are kept (and rejected by callers). */
static char **split(const char *s, char sep, size_t *n)
{
	size_t count = 1, i = 0;
	for (const char *c = s; *c; c++)
		count += *c == sep;
	char **v = calloc(count + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (const char *start = s;; i++) {
		const char *end = strchr(start, sep);
		size_t len = end ? (size_t)(end - start) : strlen(start);
		v[i] = strndup(start, len);
		if (!v[i]) {
			strv_free_local(v);
			return NULL;
		}
		if (!end)
			break;
		start = end + 1;
	}
	*n = count;
	return v;
}

static void *grow(void *array, size_t n, size_t size)
{
	/* Growth by powers of two: callers append one element at a time. */
	if (n & (n - 1))
		return array;
	size_t cap = n ? n * 2 : 1;
	return realloc(array, cap * size);
}

static void close_rule(struct parser *p)
{
	if (p->rule && !p->rule_has_body)
		perror_at(p, p->rule->line, "rule has no 'module' or 'package' line");
	p->rule = NULL;
}

static void parse_match(struct parser *p, char **tok, size_t ntok)
{
	struct db_rule r = { .file = p->db->files[p->db->n_files - 1], .line = p->line };
	int errors_before = p->n_errors;

	close_rule(p);
	if (ntok < 2)
		perr(p, "'match' needs at least one KEY=VALUE condition");
	for (size_t i = 1; i < ntok; i++) {
		char *eq = strchr(tok[i], '=');
		int k;
		size_t n;

		if (!eq || eq == tok[i]) {
			perr(p, "expected KEY=VALUE, got '%s'", tok[i]);
			continue;
		}
		*eq = '\0';
		for (k = 0; k < KEY_COUNT; k++)
			if (strcmp(tok[i], key_names[k]) == 0)
				break;
		if (k == KEY_COUNT) {
			perr(p, "unknown match key '%s' (expected hypervisor, platform, generation, firmware, arch or device)", tok[i]);
			continue;
		}
		if (r.cond[k]) {
			perr(p, "duplicate match key '%s'", key_names[k]);
			continue;
		}
		char **vals = split(eq + 1, ',', &n);
		if (!vals) {
			p->oom = true;
			break;
		}
		r.cond[k] = vals;
		if (!spend(p, n))
			break;
		for (size_t j = 0; j < n; j++) {
			const char *v = vals[j];
			if (!*v || strcmp(v, "!") == 0) {
				perr(p, "empty value for '%s'", key_names[k]);
				continue;
			}
			if (*v == '!')
				v++;
			if (k == KEY_HYPERVISOR && !has_glob(v)) {
				/* Against the registry, so that a typo in a rule is caught. */
				if (!registry_find(REG_HYPERVISOR, v))
					perr(p, "unknown hypervisor '%s'", v);
			} else if (k == KEY_GENERATION && strcmp(v, "1") != 0 && strcmp(v, "2") != 0) {
				perr(p, "generation must be 1 or 2, got '%s'", v);
			} else if (k == KEY_FIRMWARE && strcmp(v, "uefi") != 0 && strcmp(v, "bios") != 0) {
				perr(p, "firmware must be uefi or bios, got '%s'", v);
			} else if (k != KEY_DEVICE && !valid_chars(v, "-_.*?[]!")) {
				perr(p, "invalid %s value '%s'", key_names[k], v);
			} else if (k == KEY_DEVICE && !strchr(v, ':')) {
				perr(p, "device pattern '%s' has no bus prefix (like pci: or vmbus:)", v);
			}
		}
	}
	if (p->oom || p->n_errors > errors_before) {
		rule_free(&r);
		/* Lines below belong to a broken rule: do not report them as being outside one. */
		p->rule = NULL;
		p->rule_has_body = true;
		return;
	}
	if (!spend(p, 1)) {
		rule_free(&r);
		p->rule = NULL;
		p->rule_has_body = true;
		return;
	}
	struct db_rule *rules = grow(p->db->rules, p->db->n_rules, sizeof(*rules));
	if (!rules) {
		rule_free(&r);
		p->oom = true;
		return;
	}
	p->db->rules = rules;
	rules[p->db->n_rules] = r;
	p->rule = &rules[p->db->n_rules++];
	p->rule_has_body = false;
}

static bool in_rule(struct parser *p, const char *directive)
{
	if (p->rule)
		return true;
	/* After a broken match line the body is skipped silently. */
	if (!p->rule_has_body || p->n_errors == 0)
		perr(p, "'%s' outside a rule (no 'match' line before it)", directive);
	return false;
}

static void parse_module(struct parser *p, char **tok, size_t ntok)
{
	struct db_module m = { .line = p->line };
	int errors_before = p->n_errors;
	bool seen_initramfs = false, seen_explicit = false;
	size_t n;

	if (ntok < 2) {
		perr(p, "'module' needs a module name and a tier");
		return;
	}
	m.names = split(tok[1], '|', &n);
	if (!m.names) {
		p->oom = true;
		return;
	}
	if (!spend(p, n)) {
		strv_free_local(m.names);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!*m.names[i])
			perr(p, "empty module name in '%s'", tok[1]);
		else if (!valid_chars(m.names[i], "-_"))
			perr(p, "invalid module name '%s'", m.names[i]);
		for (char *c = m.names[i]; *c; c++)
			if (*c == '-')
				*c = '_';
	}
	if (ntok < 3) {
		perr(p, "module '%s' has no tier (boot, network, integration or display)", tok[1]);
	} else {
		int t = tier_from_name(tok[2]);
		if (t < 0)
			perr(p, "unknown tier '%s' (expected boot, network, integration or display)", tok[2]);
		else
			m.tier = (enum tier)t;
	}
	for (size_t i = 3; i < ntok; i++) {
		bool *seen;
		if (strcmp(tok[i], "initramfs") == 0)
			seen = &seen_initramfs;
		else if (strcmp(tok[i], "explicit") == 0)
			seen = &seen_explicit;
		else {
			perr(p, "unknown module flag '%s' (expected initramfs or explicit)", tok[i]);
			continue;
		}
		if (*seen)
			perr(p, "duplicate module flag '%s'", tok[i]);
		*seen = true;
	}
	m.initramfs = seen_initramfs;
	m.explicit_load = seen_explicit;
	if (p->n_errors > errors_before || !in_rule(p, "module")) {
		strv_free_local(m.names);
		return;
	}
	struct db_module *mods = grow(p->rule->modules, p->rule->n_modules, sizeof(*mods));
	if (!mods) {
		strv_free_local(m.names);
		p->oom = true;
		return;
	}
	p->rule->modules = mods;
	mods[p->rule->n_modules++] = m;
	p->rule_has_body = true;
}

static void parse_package(struct parser *p, char **tok, size_t ntok)
{
	unsigned families = 0;
	int errors_before = p->n_errors;

	if (ntok < 3) {
		perr(p, "'package' needs a distribution family (or *) and at least one package name");
		return;
	}
	if (strcmp(tok[1], "*") == 0) {
		families = (1u << DISTRO_COUNT) - 1;
	} else {
		size_t n;
		char **fam = split(tok[1], ',', &n);
		if (!fam) {
			p->oom = true;
			return;
		}
		for (size_t i = 0; i < n; i++) {
			int d = distro_from_name(fam[i]);
			if (d < 0)
				perr(p, "unknown distribution family '%s' (expected rhel, fedora, debian, ubuntu, suse or *)", fam[i]);
			else
				families |= 1u << d;
		}
		strv_free_local(fam);
	}
	for (size_t i = 2; i < ntok; i++)
		if (!valid_chars(tok[i], "-_.+:"))
			perr(p, "invalid package name '%s'", tok[i]);
	if (p->n_errors > errors_before || !in_rule(p, "package") || !spend(p, ntok - 2))
		return;
	for (size_t i = 2; i < ntok; i++) {
		struct db_package *pk = grow(p->rule->packages, p->rule->n_packages, sizeof(*pk));
		if (!pk) {
			p->oom = true;
			return;
		}
		p->rule->packages = pk;
		pk[p->rule->n_packages].families = families;
		pk[p->rule->n_packages].name = strdup(tok[i]);
		if (!pk[p->rule->n_packages].name) {
			p->oom = true;
			return;
		}
		p->rule->n_packages++;
	}
	p->rule_has_body = true;
}

#define TOK_MAX 64

static void parse_line(struct parser *p, char *s, size_t len)
{
	char *tok[TOK_MAX];
	size_t ntok = 0;

	if (len && s[len - 1] == '\r')
		s[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\0') {
			perr(p, "NUL byte in line");
			return;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			perr(p, "control character 0x%02x in line", c);
			return;
		}
		if (c >= 0x80) {
			perr(p, "non-ASCII byte 0x%02x in line", c);
			return;
		}
	}
	/* A comment starts with '#' at the beginning of a word. */
	for (size_t i = 0; i < len; i++)
		if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			s[i] = '\0';
			break;
		}
	for (char *save = NULL, *t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (ntok == TOK_MAX) {
			perr(p, "too many words (at most %d)", TOK_MAX);
			return;
		}
		tok[ntok++] = t;
	}
	if (ntok == 0)
		return;
	if (strcmp(tok[0], "match") == 0)
		parse_match(p, tok, ntok);
	else if (strcmp(tok[0], "module") == 0)
		parse_module(p, tok, ntok);
	else if (strcmp(tok[0], "package") == 0)
		parse_package(p, tok, ntok);
	else
		perr(p, "unknown directive '%s' (expected match, module or package)", tok[0]);
}

static int add_file_name(struct driverdb *db, const char *file)
{
	char **files = grow(db->files, db->n_files, sizeof(*files));
	if (!files)
		return -ENOMEM;
	db->files = files;
	files[db->n_files] = strdup(file);
	if (!files[db->n_files])
		return -ENOMEM;
	db->n_files++;
	return 0;
}

int driverdb_parse(struct hvd_ctx *ctx, struct driverdb *db, const char *file, const char *text,
                   size_t len, struct strbuf *errors)
{
	struct parser p = { .ctx = ctx, .db = db, .file = file, .errors = errors };
	char line[DB_LINE_MAX + 1];
	size_t pos = 0;
	int r;

	r = add_file_name(db, file);
	if (r < 0)
		return r;
	if (db->full)
		return -EBADMSG;
	if (len > DB_TOTAL_MAX - db->n_bytes) {
		db->full = true;
		p.line = 1;
		perr(&p, "the database is larger than %u bytes in all: this file is not read", DB_TOTAL_MAX);
		return -EBADMSG;
	}
	db->n_bytes += len;
	while (pos < len && !p.oom && !db->full && (errors || p.n_errors == 0)) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;

		p.line++;
		if (l > DB_LINE_MAX) {
			perr(&p, "line longer than %u bytes", DB_LINE_MAX);
		} else {
			memcpy(line, text + pos, l);
			line[l] = '\0';
			parse_line(&p, line, l);
		}
		pos += l + (nl ? 1 : 0);
	}
	if (!p.oom && !db->full && (errors || p.n_errors == 0))
		close_rule(&p);
	if (p.oom)
		return -ENOMEM;
	return p.n_errors ? -EBADMSG : 0;
}

static int read_host_file(const char *path, char **data, size_t *len)
{
	/* A device or FIFO named *.conf is refused before it is opened. */
	_cleanup_close_ int fd = host_open_regular(path);
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size > (off_t)DB_FILE_MAX)
		return -EFBIG;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

struct dbfile {
	char *name;
	const char *dir;
};

static int cmp_dbfile(const void *a, const void *b)
{
	return strcmp(((const struct dbfile *)a)->name, ((const struct dbfile *)b)->name);
}

/* Collect DIR's *.conf names into FILES, a later directory's name replacing an earlier one's. */
static int collect(struct hvd_ctx *ctx, const char *dir, struct dbfile **files, size_t *n)
{
	_cleanup_free_ char *shown = NULL;
	DIR *d;

	if (!dir)
		return 0;
	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		int r = -errno;
		shown = escape_name(dir);
		return ctx_set_error(ctx, r, "%s: cannot list the driver database: %s", shown ? shown : "?",
		                     strerror(-r));
	}
	for (struct dirent *de; (de = readdir(d));) {
		size_t l = strlen(de->d_name);
		size_t i;

		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0)
			continue;
		for (i = 0; i < *n; i++)
			if (strcmp((*files)[i].name, de->d_name) == 0)
				break;
		if (i < *n) {
			(*files)[i].dir = dir;
			continue;
		}
		if (*n == DB_FILES_MAX) {
			closedir(d);
			shown = escape_name(dir);
			return ctx_set_error(ctx, -E2BIG, "%s: more than %u *.conf files: not a driver database",
			                     shown ? shown : "?", DB_FILES_MAX);
		}
		struct dbfile *nf = grow(*files, *n, sizeof(**files));
		if (!nf) {
			closedir(d);
			return -ENOMEM;
		}
		*files = nf;
		nf[*n].name = strdup(de->d_name);
		nf[*n].dir = dir;
		if (!nf[*n].name) {
			closedir(d);
			return -ENOMEM;
		}
		(*n)++;
	}
	closedir(d);
	return 0;
}

int driverdb_load(struct hvd_ctx *ctx, struct driverdb *db, const char *vendor_dir,
                  const char *admin_dir, struct strbuf *errors)
{
	struct dbfile *files = NULL;
	size_t n = 0;
	int r, result = 0;

	memset(db, 0, sizeof(*db));
	r = collect(ctx, vendor_dir, &files, &n);
	if (r >= 0)
		r = collect(ctx, admin_dir, &files, &n);
	if (r < 0) {
		/* Validation reports it as its one line (once: the report is the result). */
		if (errors && r != -ENOMEM && ctx_error(ctx)) {
			strbuf_printf(errors, "%s\n", ctx_error(ctx));
			r = -EBADMSG;
		}
		goto out;
	}
	if (n == 0) {
		r = ctx_set_error(ctx, -ENOENT, "no driver database files (*.conf) in %s%s%s",
		                  vendor_dir ? vendor_dir : "", vendor_dir && admin_dir ? " or " : "",
		                  admin_dir ? admin_dir : "");
		goto out;
	}
	qsort(files, n, sizeof(*files), cmp_dbfile);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = strdup_printf("%s/%s", files[i].dir, files[i].name);
		_cleanup_free_ char *shown = NULL, *text = NULL;
		size_t len = 0;

		/* The name goes into every message and every rule's reason: escaped, so file:line: stays one line. */
		if (!path || !(shown = escape_name(path))) {
			r = -ENOMEM;
			goto out;
		}
		r = read_host_file(path, &text, &len);
		if (r < 0) {
			const char *why = r == -EISDIR ? "is a directory, not a database file" :
			                  r == -EINVAL ? "is not a regular file (a device, FIFO or socket): not opened" :
			                  r == -EFBIG ? "is larger than 1 MiB: not a database file" : NULL;
			if (why)
				ctx_set_error(ctx, r, "%s: %s", shown, why);
			else
				ctx_set_error(ctx, r, "%s: cannot read: %s", shown, strerror(-r));
			if (!errors || r == -ENOMEM)
				goto out;
			/* Validation goes on with the next file: the report says what is wrong with each. */
			if (db->n_reported++ < DB_REPORT_MAX)
				strbuf_printf(errors, "%s\n", ctx_error(ctx) ? ctx_error(ctx) : shown);
			result = -EBADMSG;
			continue;
		}
		r = driverdb_parse(ctx, db, shown, text, len, errors);
		if (r == -EBADMSG && errors && !db->full) {
			result = r;   /* keep going: validation reports every file's errors */
			continue;
		}
		if (r < 0)
			goto out;
	}
	r = result;
out:
	if (errors && db->n_reported > DB_REPORT_MAX)
		strbuf_printf(errors, "%s: %zu more errors not shown\n", n ? files[n - 1].dir : "drivers.d",
		              db->n_reported - DB_REPORT_MAX);
	for (size_t i = 0; i < n; i++)
		free(files[i].name);
	free(files);
	if (r < 0)
		driverdb_free(db);
	return r;
}

/*
 * Any positive pattern matches and no "!pattern" does. Only negations: none
 * may match. An absent field (NULL) matches no pattern.
 */
static bool any_fnmatch(char **patterns, const char *s)
{
	bool positive = false, hit = false;

	for (char **p = patterns; *p; p++) {
		if (**p == '!') {
			if (s && fnmatch(*p + 1, s, 0) == 0)
				return false;
			continue;
		}
		positive = true;
		if (s && fnmatch(*p, s, 0) == 0)
			hit = true;
	}
	return hit || !positive;
}

bool rule_matches_verdict(const struct db_rule *rule, const struct match_input *in)
{
	char gen[16] = "";

	if (in->generation)
		snprintf(gen, sizeof(gen), "%d", in->generation);
	const char *vals[KEY_COUNT] = {
		[KEY_HYPERVISOR] = in->hypervisor, [KEY_PLATFORM] = in->platform,
		[KEY_GENERATION] = in->generation ? gen : NULL, [KEY_FIRMWARE] = in->firmware,
		[KEY_ARCH] = in->arch,
	};
	for (int k = 0; k < KEY_COUNT; k++)
		if (k != KEY_DEVICE && rule->cond[k] && !any_fnmatch(rule->cond[k], vals[k]))
			return false;
	return true;
}

bool rule_matches_modalias(const struct db_rule *rule, const char *modalias)
{
	return !rule->cond[KEY_DEVICE] || any_fnmatch(rule->cond[KEY_DEVICE], modalias);
}
