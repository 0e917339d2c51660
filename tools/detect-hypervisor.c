/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * detect-hypervisor: print which hypervisor this machine (or a captured
 * sysroot) runs on. Public API only.
 *
 * The command line is two independent choices, each made by table:
 *  - an action (what to compute: the verdict, a capture, ...), see actions[];
 *  - a format (how to print it: one line, JSON, shell, explain, nothing), see
 *    format_names[]; every action lists the formats it supports.
 * Options live in options[]: the getopt_long array, the short-option string and
 * --help are all generated from it. Adding an action is a row in actions[], its
 * run function and an option row that calls set_action().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <hvdetect.h>

#include "buf.h"
#include "diag.h"
#include "outfile.h"
#include "output.h"
#include "select-cmd.h"
#include "shell-quote.h"
#include "term-escape.h"

#ifndef HVD_TOOL_VERSION
#define HVD_TOOL_VERSION "unknown"
#endif

#define PROG "detect-hypervisor"

/* Exit statuses, as systemd-detect-virt uses them. */
enum {
	EXIT_GUEST = 0,     /* a hypervisor was found and this is a guest */
	EXIT_NOT_GUEST = 1, /* bare metal, or a virtualization host */
	EXIT_FAIL = 2,      /* usage or fatal error */
};

enum format {
	FMT_DEFAULT = 0,    /* the action's own default */
	FMT_LINE,
	FMT_QUIET,
	FMT_JSON,
	FMT_SHELL,
	FMT_EXPLAIN,
};
#define FMT_BIT(f) (1u << (f))

enum action {
	ACT_DETECT = 0,
	ACT_CAPTURE,
	ACT_SELECT,         /* driver selection: select-cmd.c */
	N_ACTIONS,
};

struct cli {
	enum action action;
	const char *action_opt;     /* long name of the option that chose it, for conflict messages */
	enum format format;
	const char *format_opt;     /* likewise */
	const char *sysroot;
	const char *cpuid_dump;
	const char *from_dmidecode, *from_log;   /* a bug report's text (hvd_ctx_add_dmidecode/_boot_log) */
	const char *capture_dir;
	const char *output;         /* --output FILE: replaced atomically instead of printing */
	int log_priority;           /* -1: the library's default (HVD_LOG or errors only, not shown) */
	int verbose;
	bool help, version;
	unsigned int sel_given;     /* SEL_BIT()s of the selection options given (check_selection) */
	const char *sel_format;     /* --format's value */
};

struct action_def {
	const char *name;
	unsigned int formats;       /* FMT_BIT()s the action can print */
	/* Fill OUT; return an exit status, or -errno after printing one error line. */
	int (*run)(const struct cli *cli, struct hvd_ctx *ctx, struct buf *out);
};

/* ---- logging ---- */

static const char *priority_name(int priority)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};
	return priority >= 0 && priority <= LOG_DEBUG ? names[priority] : "log";
}

static void log_stderr(void *userdata, int priority, const char *file, int line,
                       const char *fn, const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_stderr(void *userdata, int priority, const char *file, int line,
                       const char *fn, const char *format, va_list args)
{
	char *msg = NULL;
	struct buf b = { 0 };

	(void)userdata; (void)file; (void)line;
	if (vasprintf(&msg, format, args) < 0)
		return;
	buf_printf(&b, PROG ": %s: ", priority_name(priority));
	if (priority >= LOG_DEBUG && fn)
		buf_printf(&b, "%s: ", fn);
	term_escape_ends(&b, msg, 4096, 0);
	buf_putc(&b, '\n');
	(void)!buf_write_all(&b, STDERR_FILENO);
	buf_free(&b);
	free(msg);
}

static int parse_log_level(const char *s)
{
	static const struct { const char *name; int priority; } names[] = {
		{ "err", LOG_ERR }, { "error", LOG_ERR }, { "warning", LOG_WARNING },
		{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};
	char *end;
	long l;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].priority;
	errno = 0;
	l = strtol(s, &end, 10);
	if (*s && !*end && errno == 0 && l >= 0 && l <= LOG_DEBUG)
		return (int)l;
	return -1;
}

/* ---- the context every action starts from ---- */

static int open_ctx(const struct cli *cli, struct hvd_ctx **out)
{
	struct hvd_ctx *ctx = NULL;
	int r, priority = cli->log_priority;

	if (priority < 0 && cli->verbose > 0)
		priority = cli->verbose == 1 ? LOG_INFO : LOG_DEBUG;

	r = hvd_ctx_new(&ctx, cli->sysroot);
	if (r < 0) {
		if (r == -EBADMSG)
			/* hvd_ctx_new() returns no context to ask, and a captured cpuid.txt is the only thing it parses. */
			diag("", "--sysroot %s: cpuid.txt: malformed CPUID dump", cli->sysroot);
		else if (cli->sysroot)
			diag("", "--sysroot %s: %s", cli->sysroot, strerror(-r));
		else
			diag("", "cannot open /: %s", strerror(-r));
		return r;
	}
	/* Logs are shown when asked for, here or through HVD_LOG; otherwise errors come as one line each. */
	if (priority >= 0 || secure_getenv("HVD_LOG"))
		hvd_ctx_set_log_fn(ctx, log_stderr, NULL);
	if (priority >= 0)
		hvd_ctx_set_log_priority(ctx, priority);

	if (cli->cpuid_dump) {
		r = hvd_ctx_set_cpuid_dump(ctx, cli->cpuid_dump);
		if (r < 0) {
			lib_error(ctx, r, "--cpuid-dump", cli->cpuid_dump);
			hvd_ctx_unref(ctx);
			return r;
		}
	}
	/* dmidecode first: of two texts the first added fills a field. */
	if (cli->from_dmidecode && (r = hvd_ctx_add_dmidecode(ctx, cli->from_dmidecode)) < 0) {
		lib_error(ctx, r, "--from-dmidecode", cli->from_dmidecode);
		hvd_ctx_unref(ctx);
		return r;
	}
	if (cli->from_log && (r = hvd_ctx_add_boot_log(ctx, cli->from_log)) < 0) {
		lib_error(ctx, r, "--from-log", cli->from_log);
		hvd_ctx_unref(ctx);
		return r;
	}
	*out = ctx;
	return 0;
}

/* ---- actions ---- */

static int run_detect(const struct cli *cli, struct hvd_ctx *ctx, struct buf *out)
{
	struct hvd_verdict *v = NULL;
	int r, status;

	r = hvd_detect(&v, ctx);
	if (r < 0)
		return lib_error(ctx, r, "detection failed", NULL);

	switch (cli->format) {
	case FMT_JSON:    r = output_json(out, v); break;
	case FMT_SHELL:   r = output_shell(out, v); break;
	case FMT_EXPLAIN: r = output_explain(out, v); break;
	case FMT_QUIET:   r = 0; break;
	default:          r = output_line(out, v); break;
	}
	if (r < 0) {
		diag("", "cannot format the verdict: %s", strerror(-r));
		hvd_verdict_unref(v);
		return r;
	}

	const char *hv = hvd_verdict_get_hypervisor(v);
	const char *role = hvd_verdict_get_role(v);
	status = hv && strcmp(hv, "none") != 0 && role && strcmp(role, "guest") == 0 ?
	         EXIT_GUEST : EXIT_NOT_GUEST;
	hvd_verdict_unref(v);
	return status;
}

static int run_capture(const struct cli *cli, struct hvd_ctx *ctx, struct buf *out)
{
	int r = hvd_capture(ctx, cli->capture_dir);

	if (r < 0)
		return lib_error(ctx, r, "--capture", cli->capture_dir);
	if (cli->format == FMT_QUIET)
		return EXIT_SUCCESS;
	buf_puts(out, "Captured ");
	buf_puts(out, cli->sysroot ? "the sysroot " : "this machine");
	if (cli->sysroot)
		term_escape(out, cli->sysroot, 4096, 0);
	buf_puts(out, " into ");
	term_escape(out, cli->capture_dir, 4096, 0);
	buf_puts(out, ".\nReplay it with:\n  " PROG " --explain --sysroot ");
	shell_quote_if_needed(out, cli->capture_dir);
	buf_puts(out, "\nIt holds DMI serial numbers, UUIDs and asset tags: review it before you share it.\n");
	return EXIT_SUCCESS;
}

static int run_select(const struct cli *cli, struct hvd_ctx *ctx, struct buf *out)
{
	return select_run(ctx, cli->format == FMT_JSON, cli->format == FMT_QUIET, out);
}

static const struct action_def actions[N_ACTIONS] = {
	[ACT_DETECT] = {
		.name = "detect",
		.formats = FMT_BIT(FMT_LINE) | FMT_BIT(FMT_QUIET) | FMT_BIT(FMT_JSON) |
		           FMT_BIT(FMT_SHELL) | FMT_BIT(FMT_EXPLAIN),
		.run = run_detect,
	},
	[ACT_CAPTURE] = {
		.name = "capture",
		.formats = FMT_BIT(FMT_LINE) | FMT_BIT(FMT_QUIET),
		.run = run_capture,
	},
	[ACT_SELECT] = {
		.name = "select",
		.formats = FMT_BIT(FMT_LINE) | FMT_BIT(FMT_QUIET) | FMT_BIT(FMT_JSON),
		.run = run_select,
	},
};

/* ---- options ---- */

struct cli_option;
typedef int (*option_fn)(struct cli *cli, const struct cli_option *o, const char *arg);

struct cli_option {
	const char *name;       /* long name */
	int short_name;         /* 0 when there is none */
	int has_arg;            /* no_argument / required_argument */
	const char *arg_name;   /* for --help */
	const char *help;
	option_fn fn;
	int value;              /* the format or action the option selects */
};

static int set_format(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)arg;
	if (cli->format != FMT_DEFAULT && cli->format != (enum format)o->value) {
		diag("", "--%s and --%s cannot be used together", cli->format_opt, o->name);
		return -EINVAL;
	}
	cli->format = (enum format)o->value;
	cli->format_opt = o->name;
	return 0;
}

static int set_action(struct cli *cli, enum action a, const char *opt)
{
	if (cli->action_opt && cli->action != a) {
		diag("", "--%s and --%s cannot be used together", cli->action_opt, opt);
		return -EINVAL;
	}
	cli->action = a;
	cli->action_opt = opt;
	return 0;
}

static int opt_capture(struct cli *cli, const struct cli_option *o, const char *arg)
{
	if (!*arg) {
		diag("", "--capture needs a directory");
		return -EINVAL;
	}
	cli->capture_dir = arg;
	return set_action(cli, ACT_CAPTURE, o->name);
}

static int opt_sysroot(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o;
	if (!*arg) {
		diag("", "--sysroot needs a directory");
		return -EINVAL;
	}
	cli->sysroot = arg;
	return 0;
}

static int opt_cpuid_dump(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o;
	if (!*arg) {
		diag("", "--cpuid-dump needs a file");
		return -EINVAL;
	}
	cli->cpuid_dump = arg;
	return 0;
}

static int opt_from_text(struct cli *cli, const struct cli_option *o, const char *arg)
{
	if (!*arg) {
		diag("", "--%s needs a file", o->name);
		return -EINVAL;
	}
	if (o->value)
		cli->from_log = arg;
	else
		cli->from_dmidecode = arg;
	return 0;
}

/* The selection options whose combinations check_selection() looks at. */
static const char *const sel_names[] = {
	"modules", "packages", "format", "portable", "hypervisor", "load", "dry-run", "moddir", "kernel", "distro",
	"check-db",
};
enum { SEL_MODULES, SEL_PACKAGES, SEL_FORMAT, SEL_PORTABLE, SEL_HYPERVISOR, SEL_LOAD, SEL_DRY_RUN, SEL_MODDIR,
       SEL_KERNEL, SEL_DISTRO, SEL_CHECK_DB };
#define SEL_BIT(i) (1u << (i))

static int opt_select(struct cli *cli, const struct cli_option *o, const char *arg)
{
	int r = select_option(o->name, arg);
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(sel_names) / sizeof(sel_names[0]); i++)
		if (strcmp(o->name, sel_names[i]) == 0)
			cli->sel_given |= SEL_BIT(i);
	if (strcmp(o->name, "format") == 0)
		cli->sel_format = arg;
	return set_action(cli, ACT_SELECT, o->name);
}

/*
 * An option the chosen output would ignore is refused, never dropped in
 * silence: --check-db --json printed text, --check-db --load validated and
 * loaded nothing, --packages --format dracut printed dracut, --dry-run
 * without --load made a plain selection.
 */
static int check_selection(const struct cli *cli)
{
	unsigned int g = cli->sel_given;
	const char *fmt = cli->sel_format;
	bool json = cli->format == FMT_JSON;

	if (g & SEL_BIT(SEL_CHECK_DB)) {
		for (size_t i = 0; i < sizeof(sel_names) / sizeof(sel_names[0]); i++)
			if (i != SEL_CHECK_DB && (g & SEL_BIT(i))) {
				diag("", "--check-db and --%s cannot be used together: --check-db only validates the database",
				     sel_names[i]);
				return -EINVAL;
			}
		if (json) {
			diag("", "--check-db and --json cannot be used together: the report is file:line: message lines");
			return -EINVAL;
		}
		return 0;
	}
	if ((g & SEL_BIT(SEL_DRY_RUN)) && !(g & SEL_BIT(SEL_LOAD))) {
		diag("", "--dry-run needs --load (it says what --load would insert)");
		return -EINVAL;
	}
	/* A bug report's text describes another machine: its drivers are not this kernel's to insert. */
	if ((g & SEL_BIT(SEL_LOAD)) && (cli->from_dmidecode || cli->from_log)) {
		diag("", "--load and --%s cannot be used together: --load inserts drivers into this machine's "
		     "kernel, and the text describes another machine", cli->from_log ? "from-log" : "from-dmidecode");
		return -EINVAL;
	}
	if (g & SEL_BIT(SEL_LOAD)) {
		static const int printed[] = { SEL_MODULES, SEL_PACKAGES, SEL_FORMAT, SEL_DISTRO };
		for (size_t i = 0; i < sizeof(printed) / sizeof(printed[0]); i++)
			if (g & SEL_BIT(printed[i])) {
				diag("", "--load and --%s cannot be used together: --load prints each module's outcome "
				     "(or --json)", sel_names[printed[i]]);
				return -EINVAL;
			}
	}
	if (fmt && json) {
		diag("", "--format and --json cannot be used together: use --format json");
		return -EINVAL;
	}
	if ((g & SEL_BIT(SEL_PACKAGES)) && ((g & SEL_BIT(SEL_MODULES)) || (fmt && strcmp(fmt, "packages") != 0))) {
		diag("", "--packages and --%s cannot be used together", fmt ? "format" : "modules");
		return -EINVAL;
	}
	if ((g & SEL_BIT(SEL_MODULES)) && fmt && strcmp(fmt, "modules") != 0) {
		diag("", "--modules and --format %s cannot be used together", fmt);
		return -EINVAL;
	}
	/* The family only chooses packages: it needs an output that has them. */
	if ((g & SEL_BIT(SEL_DISTRO)) && !(g & SEL_BIT(SEL_PACKAGES)) && !json &&
	    !(fmt && (strcmp(fmt, "packages") == 0 || strcmp(fmt, "json") == 0))) {
		diag("", "--distro needs --packages, --format packages or json, or --json: it only chooses the packages");
		return -EINVAL;
	}
	return 0;
}

static int opt_output(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o;
	if (!*arg) {
		diag("", "--output needs a file");
		return -EINVAL;
	}
	cli->output = arg;
	return 0;
}

static int opt_verbose(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o; (void)arg;
	cli->verbose++;
	return 0;
}

static int opt_log_level(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o;
	cli->log_priority = parse_log_level(arg);
	if (cli->log_priority < 0) {
		diag("", "--log-level %s: expected err, warning, notice, info, debug or 0-7", arg);
		return -EINVAL;
	}
	return 0;
}

static int opt_help(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o; (void)arg;
	cli->help = true;
	return 0;
}

static int opt_version(struct cli *cli, const struct cli_option *o, const char *arg)
{
	(void)o; (void)arg;
	cli->version = true;
	return 0;
}

static const struct cli_option options[] = {
	{ "json",       0,   no_argument,       NULL,    "print the verdict and its evidence as one JSON object",
	  set_format, FMT_JSON },
	{ "shell",      0,   no_argument,       NULL,    "print HVD_*='...' lines, safe to eval in sh",
	  set_format, FMT_SHELL },
	{ "explain",    0,   no_argument,       NULL,    "print the verdict and a table of the evidence behind it",
	  set_format, FMT_EXPLAIN },
	{ "quiet",      'q', no_argument,       NULL,    "print nothing: only the exit status answers",
	  set_format, FMT_QUIET },
	{ "sysroot",    0,   required_argument, "DIR",   "read the machine captured below DIR instead of this one",
	  opt_sysroot, 0 },
	{ "cpuid-dump", 0,   required_argument, "FILE",  "replay CPUID from FILE (`cpuid -1 -r` output)",
	  opt_cpuid_dump, 0 },
	{ "from-dmidecode", 0, required_argument, "FILE", "decide from FILE, `dmidecode` output of another machine",
	  opt_from_text, 0 },
	{ "from-log",   0,   required_argument, "FILE",  "decide from FILE, a kernel boot log (dmesg, journalctl -k, console)",
	  opt_from_text, 1 },
	{ "capture",    0,   required_argument, "DIR",   "snapshot what detection reads into the new directory DIR",
	  opt_capture, 0 },
	SELECT_OPTION_ROWS(opt_select),
	{ "output",     0,   required_argument, "FILE",  "write the output to FILE, replacing it atomically (for --format prometheus)",
	  opt_output, 0 },
	{ "verbose",    'v', no_argument,       NULL,    "log what the library does to stderr (twice: debug)",
	  opt_verbose, 0 },
	{ "log-level",  0,   required_argument, "LEVEL", "log at LEVEL: err, warning, notice, info, debug",
	  opt_log_level, 0 },
	{ "help",       'h', no_argument,       NULL,    "show this help and exit",
	  opt_help, 0 },
	{ "version",    'V', no_argument,       NULL,    "show the version and exit",
	  opt_version, 0 },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(struct buf *b)
{
	buf_puts(b,
		"Usage: " PROG " [OPTION]...\n"
		"Tell which hypervisor this machine runs on.\n"
		"\n"
		"By default prints one line: the hypervisor identifier, followed by the\n"
		"platform identifier when one is known (e.g. \"kvm firecracker\", \"vmware\",\n"
		"\"none\").\n"
		"\n"
		"Options:\n");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct cli_option *o = &options[i];
		struct buf col = { 0 };
		if (o->short_name)
			buf_printf(&col, "  -%c, --%s", o->short_name, o->name);
		else
			buf_printf(&col, "      --%s", o->name);
		if (o->arg_name)
			buf_printf(&col, " %s", o->arg_name);
		buf_append(b, col.data ? col.data : "", col.len);
		if (col.len < 26)
			buf_pad(b, 26 - col.len);
		else
			buf_puts(b, "\n                          ");
		buf_puts(b, o->help);
		buf_putc(b, '\n');
		if (col.oom)
			b->oom = true;
		buf_free(&col);
	}
	buf_puts(b,
		"\n"
		"Exit status:\n"
		"  0  a hypervisor was found and this machine is its guest\n"
		"  1  no hypervisor: bare metal, or a virtualization host (Xen dom0, Hyper-V root)\n"
		"  2  usage or fatal error (one line on stderr), or a bad driver database\n"
		"  3  driver selection: a boot-tier module is missing from the target kernel\n"
		"\n"
		"Environment: HVD_LOG=err|info|debug sets the library's log level.\n"
		"See detect-hypervisor(1).\n");
}

static int parse_args(struct cli *cli, int argc, char **argv)
{
	struct option longopts[N_OPTIONS + 1];
	char shortopts[2 * N_OPTIONS + 2];
	size_t ns = 0;
	int c, idx;

	/* A leading ':' makes getopt tell a missing argument from an unknown option. */
	shortopts[ns++] = ':';
	for (size_t i = 0; i < N_OPTIONS; i++) {
		longopts[i] = (struct option){ options[i].name, options[i].has_arg, NULL, 256 + (int)i };
		if (options[i].short_name) {
			shortopts[ns++] = (char)options[i].short_name;
			if (options[i].has_arg == required_argument)
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';
	longopts[N_OPTIONS] = (struct option){ 0 };

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct cli_option *o = NULL;

		if (c == '?' || c == ':') {
			const char *arg = argv[optind - 1];
			if (c == ':')
				diag("", "option %s needs an argument", arg);
			else if (optopt)
				diag("", "unknown option -%c", optopt);
			else
				diag("", "unknown option %s", arg);
			return -EINVAL;
		}
		if (c >= 256 && (size_t)(c - 256) < N_OPTIONS)
			o = &options[c - 256];
		else
			for (size_t i = 0; i < N_OPTIONS && !o; i++)
				if (options[i].short_name == c)
					o = &options[i];
		if (!o)
			return -EINVAL;
		int r = o->fn(cli, o, optarg);
		if (r < 0)
			return r;
	}
	if (optind < argc) {
		diag("", "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (cli->help || cli->version)
		return 0;
	if (cli->format == FMT_DEFAULT)
		cli->format = FMT_LINE;
	if (!(actions[cli->action].formats & FMT_BIT(cli->format))) {
		diag("", "--%s and --%s cannot be used together", cli->action_opt, cli->format_opt);
		return -EINVAL;
	}
	if (cli->output && cli->format == FMT_QUIET) {
		diag("", "--output and --quiet cannot be used together: --quiet prints nothing");
		return -EINVAL;
	}
	return cli->action == ACT_SELECT ? check_selection(cli) : 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { .action = ACT_DETECT, .log_priority = -1 };
	struct hvd_ctx *ctx = NULL;
	struct buf out = { 0 };
	int r, status;

	r = parse_args(&cli, argc, argv);
	if (r < 0)
		return EXIT_FAIL;

	if (cli.help) {
		usage(&out);
		status = EXIT_SUCCESS;
	} else if (cli.version) {
		buf_printf(&out, PROG " " HVD_TOOL_VERSION "\nlibhvdetect %s\n", hvd_version());
		status = EXIT_SUCCESS;
	} else {
		r = open_ctx(&cli, &ctx);
		if (r < 0)
			return EXIT_FAIL;
		status = actions[cli.action].run(&cli, ctx, &out);
		hvd_ctx_unref(ctx);
		if (status < 0) {
			buf_free(&out);
			return EXIT_FAIL;
		}
	}

	/* One write, checked: a full disk or a closed stdout must not pass for an answer. */
	if (cli.output && !cli.help && !cli.version) {
		const char *what;
		r = buf_write_file_atomic(&out, cli.output, &what);
		if (r < 0)
			diag("", "--output: %s %s: %s", what, cli.output, strerror(-r));
	} else {
		r = buf_write_all(&out, STDOUT_FILENO);
		if (r < 0)
			diag("", "write error: %s", strerror(-r));
	}
	buf_free(&out);
	if (r < 0)
		return EXIT_FAIL;
	return status;
}
