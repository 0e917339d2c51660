/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hvdetect._hvdetect: the CPython extension over the public C API. It returns
 * plain dicts and lists plus an opaque handle; the hvdetect package wraps them
 * in typed objects, so all object-model code stays in Python and this file
 * stays a thin, auditable translation layer.
 *
 * Threads: the GIL is released around every call that reads the machine or a
 * module tree. What that lets run at once is what the library's contract
 * allows (hvdetect.h, "Threads"): a handle's context and verdict are only read
 * once made, each select() passes its own options, and a selection is changed
 * only by load(), which holds the selection's lock against its readers.
 * Error messages are per thread, read right after the call that failed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <hvdetect.h>

#define HANDLE_NAME "hvdetect._hvdetect.handle"

/* A detection's context and verdict travel together: later calls need both. */
struct handle {
	struct hvd_ctx *ctx;
	struct hvd_verdict *verdict;
};

static void handle_destroy(PyObject *capsule)
{
	struct handle *h = PyCapsule_GetPointer(capsule, HANDLE_NAME);

	if (!h)
		return;
	hvd_verdict_unref(h->verdict);
	hvd_ctx_unref(h->ctx);
	PyMem_Free(h);
}

static struct handle *handle_get(PyObject *o)
{
	if (!PyCapsule_IsValid(o, HANDLE_NAME)) {
		PyErr_SetString(PyExc_TypeError, "expected a handle from hvdetect.detect()");
		return NULL;
	}
	return PyCapsule_GetPointer(o, HANDLE_NAME);
}

/*
 * Raise the exception for the library's error R (-errno), called right after
 * the call that failed (its message is this thread's until the next call): the
 * call's located message when it left one on CTX, else "WHAT: strerror".
 * EINVAL, a bad argument (an unknown name, format or family, options that
 * exclude each other), is a ValueError; ENOMEM a MemoryError; anything else
 * OSError(errno, message), which Python makes the matching subclass
 * (FileNotFoundError for ENOENT, ...). Messages and WHAT may hold paths of any
 * bytes: decoded as os.fsdecode() does, so the decoding never fails.
 */
static PyObject *raise_errno(int r, struct hvd_ctx *ctx, const char *what)
{
	const char *detail = ctx ? hvd_ctx_get_error(ctx) : NULL;
	PyObject *msg, *args;
	int e = r < 0 ? -r : EIO;

	if (e == ENOMEM)
		return PyErr_NoMemory();
	/* The located error already names the file and the reason: say it once. */
	if (detail) {
		msg = PyUnicode_DecodeFSDefault(detail);
	} else {
		PyObject *w = PyUnicode_DecodeFSDefault(what);
		msg = w ? PyUnicode_FromFormat("%U: %s", w, strerror(e)) : NULL;
		Py_XDECREF(w);
	}
	if (!msg)
		return NULL;
	if (e == EINVAL) {
		PyErr_SetObject(PyExc_ValueError, msg);
		Py_DECREF(msg);
		return NULL;
	}
	args = Py_BuildValue("(iN)", e, msg);
	if (args) {
		PyErr_SetObject(PyExc_OSError, args);
		Py_DECREF(args);
	}
	return NULL;
}

/* "O&" converter: None -> NULL, str/bytes/os.PathLike -> bytes (a new reference in *OUT). */
static int opt_path(PyObject *o, void *out)
{
	if (o == Py_None) {
		*(PyObject **)out = NULL;
		return 1;
	}
	return PyUnicode_FSConverter(o, out);
}

#define PATH_STR(b) ((b) ? PyBytes_AS_STRING(b) : NULL)

/* Text from the machine may be anything: never fail on it, never lose it silently. */
static PyObject *str_or_none(const char *s)
{
	if (!s)
		Py_RETURN_NONE;
	return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "backslashreplace");
}

/* A path: decoded as os.fsdecode() does, so that os.fsencode() gives the same bytes back. */
static PyObject *path_or_none(const char *s)
{
	if (!s)
		Py_RETURN_NONE;
	return PyUnicode_DecodeFSDefault(s);
}

/* ------------------------------------------------------------------------ */
/* The library's log, to Python's logging                                   */

/* logging.getLogger("hvdetect"), taken at import: the one place the log goes. */
static PyObject *py_logger;

static int level_of_priority(int priority)
{
	return priority <= LOG_ERR ? 40 : priority == LOG_WARNING ? 30 : priority <= LOG_INFO ? 20 : 10;
}

/*
 * The context's log callback. It may run in any thread, with or without the
 * GIL (the library runs with it released), so it takes the GIL itself; an
 * exception already pending in the caller is kept, one raised by a logging
 * handler is not the library call's and is dropped.
 */
static void log_to_python(void *userdata, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_to_python(void *userdata, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args)
{
	char buf[2048];
	PyGILState_STATE g;
	PyObject *type, *value, *tb, *msg, *res;

	(void)userdata;
	(void)file;
	(void)line;
	(void)fn;
	if (vsnprintf(buf, sizeof(buf), format, args) < 0)
		return;
	g = PyGILState_Ensure();
	PyErr_Fetch(&type, &value, &tb);
	msg = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)strlen(buf), "backslashreplace");
	/* No arguments: logging does not %-format the message, whatever it holds. */
	res = msg ? PyObject_CallMethod(py_logger, "log", "iO", level_of_priority(priority), msg) : NULL;
	Py_XDECREF(res);
	Py_XDECREF(msg);
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
	PyGILState_Release(g);
}

/* Route CTX's log to the "hvdetect" logger, at the priority its level lets through. */
static int log_setup(struct hvd_ctx *ctx)
{
	PyObject *lv = PyObject_CallMethod(py_logger, "getEffectiveLevel", NULL);
	long level;

	if (!lv)
		return -1;
	level = PyLong_AsLong(lv);
	Py_DECREF(lv);
	if (level == -1 && PyErr_Occurred())
		return -1;
	hvd_ctx_set_log_fn(ctx, log_to_python, NULL);
	hvd_ctx_set_log_priority(ctx, level <= 10 ? LOG_DEBUG : level <= 20 ? LOG_INFO : level <= 30 ? LOG_WARNING
	                                                                                          : LOG_ERR);
	return 0;
}

/* Set D[KEY] = VALUE, stealing VALUE; returns -1 (exception set) on failure. */
static int dict_set(PyObject *d, const char *key, PyObject *value)
{
	int r;

	if (!value)
		return -1;
	r = PyDict_SetItemString(d, key, value);
	Py_DECREF(value);
	return r;
}

static struct hvd_ctx *new_ctx(PyObject *sysroot, PyObject *cpuid_dump, int no_live_cpuid)
{
	struct hvd_ctx *ctx = NULL;
	int r;

	r = hvd_ctx_new(&ctx, PATH_STR(sysroot));
	if (r < 0) {
		raise_errno(r, NULL, sysroot ? PyBytes_AS_STRING(sysroot) : "/");
		return NULL;
	}
	/* Before the context is used by anyone: setters come first (hvdetect.h, "Threads"). */
	if (log_setup(ctx) < 0)
		return hvd_ctx_unref(ctx);
	if (no_live_cpuid && (r = hvd_ctx_set_flags(ctx, hvd_ctx_get_flags(ctx) | HVD_CTX_NO_LIVE_CPUID)) < 0) {
		raise_errno(r, ctx, "flags");
		return hvd_ctx_unref(ctx);
	}
	if (cpuid_dump && (r = hvd_ctx_set_cpuid_dump(ctx, PyBytes_AS_STRING(cpuid_dump))) < 0) {
		raise_errno(r, ctx, PyBytes_AS_STRING(cpuid_dump));
		return hvd_ctx_unref(ctx);
	}
	return ctx;
}

static PyObject *evidence_to_dict(const struct hvd_evidence *e)
{
	PyObject *d = PyDict_New();

	if (!d)
		return NULL;
	if (dict_set(d, "source", str_or_none(e->source)) < 0 ||
	    dict_set(d, "key", str_or_none(e->key)) < 0 ||
	    dict_set(d, "value", str_or_none(e->value)) < 0 ||
	    dict_set(d, "points_to", str_or_none(e->points_to)) < 0 ||
	    dict_set(d, "note", str_or_none(e->note)) < 0 ||
	    dict_set(d, "weight", PyLong_FromLong(e->weight)) < 0) {
		Py_DECREF(d);
		return NULL;
	}
	return d;
}

static PyObject *verdict_to_dict(const struct hvd_verdict *v)
{
	PyObject *d = PyDict_New(), *ev = NULL;
	int gen = hvd_verdict_get_generation(v);
	size_t n = hvd_verdict_get_evidence_count(v);

	if (!d)
		return NULL;
	if (dict_set(d, "hypervisor", str_or_none(hvd_verdict_get_hypervisor(v))) < 0 ||
	    dict_set(d, "platform", str_or_none(hvd_verdict_get_platform(v))) < 0 ||
	    dict_set(d, "generation", gen ? PyLong_FromLong(gen) : Py_NewRef(Py_None)) < 0 ||
	    dict_set(d, "firmware", str_or_none(hvd_verdict_get_firmware(v))) < 0 ||
	    dict_set(d, "role", str_or_none(hvd_verdict_get_role(v))) < 0 ||
	    dict_set(d, "confidential", str_or_none(hvd_verdict_get_confidential(v))) < 0 ||
	    dict_set(d, "systemd_id", str_or_none(hvd_verdict_get_systemd_id(v))) < 0 ||
	    dict_set(d, "arch", str_or_none(hvd_verdict_get_arch(v))) < 0 ||
	    dict_set(d, "confidence", PyLong_FromLong(hvd_verdict_get_confidence(v))) < 0)
		goto fail;
	ev = PyList_New(0);
	if (!ev)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct hvd_evidence *e = hvd_verdict_get_evidence(v, i);
		PyObject *o;

		if (!e)
			continue;
		o = evidence_to_dict(e);
		if (!o || PyList_Append(ev, o) < 0) {
			Py_XDECREF(o);
			goto fail;
		}
		Py_DECREF(o);
	}
	if (dict_set(d, "evidence", ev) < 0)
		goto fail_d;
	return d;
fail:
	Py_XDECREF(ev);
fail_d:
	Py_DECREF(d);
	return NULL;
}

PyDoc_STRVAR(detect_doc,
"detect(sysroot=None, cpuid_dump=None, no_live_cpuid=False, dmidecode=None, boot_log=None) -> (dict, handle)\n\n"
"Run every probe below SYSROOT and weigh the evidence. Returns the verdict's\n"
"fields as a dict and an opaque handle for select()/load()/check_target_disk().\n"
"DMIDECODE and BOOT_LOG are files of a bug report (dmidecode output, a kernel log).");

static PyObject *py_detect(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "sysroot", "cpuid_dump", "no_live_cpuid", "dmidecode", "boot_log", NULL };
	PyObject *sysroot = NULL, *dump = NULL, *d = NULL, *cap = NULL, *ret = NULL;
	PyObject *dmidecode = NULL, *boot_log = NULL;
	struct handle *h;
	int no_live = 0, r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&O&pO&O&:detect", kwlist, opt_path, &sysroot,
	                                 opt_path, &dump, &no_live, opt_path, &dmidecode, opt_path, &boot_log))
		goto out;
	h = PyMem_Calloc(1, sizeof(*h));
	if (!h) {
		PyErr_NoMemory();
		goto out;
	}
	cap = PyCapsule_New(h, HANDLE_NAME, handle_destroy);
	if (!cap) {
		PyMem_Free(h);
		goto out;
	}
	h->ctx = new_ctx(sysroot, dump, no_live);
	if (!h->ctx)
		goto out;
	/* A bug report's text, dmidecode first: of two texts the first added fills a field. */
	if (dmidecode && (r = hvd_ctx_add_dmidecode(h->ctx, PyBytes_AS_STRING(dmidecode))) < 0) {
		raise_errno(r, h->ctx, PyBytes_AS_STRING(dmidecode));
		goto out;
	}
	if (boot_log && (r = hvd_ctx_add_boot_log(h->ctx, PyBytes_AS_STRING(boot_log))) < 0) {
		raise_errno(r, h->ctx, PyBytes_AS_STRING(boot_log));
		goto out;
	}
	Py_BEGIN_ALLOW_THREADS
	r = hvd_detect(&h->verdict, h->ctx);
	Py_END_ALLOW_THREADS
	if (r < 0) {
		raise_errno(r, h->ctx, "detect");
		goto out;
	}
	d = verdict_to_dict(h->verdict);
	if (d)
		ret = PyTuple_Pack(2, d, cap);
out:
	Py_XDECREF(d);
	Py_XDECREF(cap);
	Py_XDECREF(sysroot);
	Py_XDECREF(dump);
	Py_XDECREF(dmidecode);
	Py_XDECREF(boot_log);
	return ret;
}

PyDoc_STRVAR(verdict_json_doc, "verdict_json(handle) -> str\n\nThe verdict as the library's JSON text.");

static PyObject *py_verdict_json(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "handle", NULL };
	PyObject *hobj;
	struct handle *h;
	char *json = NULL;
	PyObject *s;
	int r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O:verdict_json", kwlist, &hobj) || !(h = handle_get(hobj)))
		return NULL;
	r = hvd_verdict_to_json(h->verdict, &json);
	if (r < 0)
		return raise_errno(r, h->ctx, "verdict_json");
	s = PyUnicode_DecodeUTF8(json, (Py_ssize_t)strlen(json), "backslashreplace");
	free(json);
	return s;
}

static PyObject *driver_disk_to_dict(const struct hvd_driver_disk *dd)
{
	PyObject *d = PyDict_New();

	if (!d)
		return NULL;
	if (dict_set(d, "device", PyUnicode_DecodeFSDefault(dd->device)) < 0 ||
	    dict_set(d, "fstype", str_or_none(dd->fstype)) < 0 ||
	    dict_set(d, "label", str_or_none(dd->label)) < 0 ||
	    dict_set(d, "uuid", str_or_none(dd->uuid)) < 0 ||
	    dict_set(d, "partno", PyLong_FromLong(dd->partno)) < 0) {
		Py_DECREF(d);
		return NULL;
	}
	return d;
}

/* Fill a NULL-terminated array of C paths from a sequence of path-likes; *KEEP holds the bytes objects. */
static const char **paths_from_seq(PyObject *seq, PyObject **keep)
{
	PyObject *fast = PySequence_Fast(seq, "paths must be a sequence of paths");
	const char **paths;
	Py_ssize_t n;

	if (!fast)
		return NULL;
	n = PySequence_Fast_GET_SIZE(fast);
	*keep = PyList_New(0);
	paths = PyMem_Calloc((size_t)n + 1, sizeof(*paths));
	if (!*keep || !paths) {
		Py_DECREF(fast);
		PyMem_Free(paths);
		if (*keep)
			Py_CLEAR(*keep);
		PyErr_NoMemory();
		return NULL;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *b = NULL;

		if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(fast, i), &b) || PyList_Append(*keep, b) < 0) {
			Py_XDECREF(b);
			Py_DECREF(fast);
			PyMem_Free(paths);
			Py_CLEAR(*keep);
			return NULL;
		}
		paths[i] = PyBytes_AS_STRING(b);
		Py_DECREF(b);  /* *KEEP holds it */
	}
	Py_DECREF(fast);
	return paths;
}

PyDoc_STRVAR(find_driver_disks_doc,
"find_driver_disks(paths=None, sysroot=None) -> list[dict]\n\n"
"Filesystems labelled OEMDRV on PATHS (images or devices), or on every block\n"
"device of the running system when PATHS is None.");

static PyObject *py_find_driver_disks(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "paths", "sysroot", NULL };
	PyObject *seq = Py_None, *sysroot = NULL, *keep = NULL, *list = NULL;
	const char **paths = NULL;
	struct hvd_ctx *ctx = NULL;
	struct hvd_driver_disks *disks = NULL;
	int r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|OO&:find_driver_disks", kwlist, &seq, opt_path, &sysroot))
		return NULL;
	if (seq != Py_None && (PyUnicode_Check(seq) || PyBytes_Check(seq))) {
		PyErr_SetString(PyExc_TypeError, "paths must be a sequence of paths, not a single path");
		goto out;
	}
	if (seq != Py_None && !(paths = paths_from_seq(seq, &keep)))
		goto out;
	ctx = new_ctx(sysroot, NULL, 0);
	if (!ctx)
		goto out;
	Py_BEGIN_ALLOW_THREADS
	r = hvd_find_driver_disks(&disks, ctx, paths);
	Py_END_ALLOW_THREADS
	if (r < 0) {
		raise_errno(r, ctx, "find_driver_disks");
		goto out;
	}
	list = PyList_New(0);
	for (size_t i = 0; list && i < hvd_driver_disks_get_count(disks); i++) {
		PyObject *o = driver_disk_to_dict(hvd_driver_disks_get(disks, i));
		if (!o || PyList_Append(list, o) < 0)
			Py_CLEAR(list);
		Py_XDECREF(o);
	}
out:
	hvd_driver_disks_unref(disks);
	hvd_ctx_unref(ctx);
	PyMem_Free(paths);
	Py_XDECREF(keep);
	Py_XDECREF(sysroot);
	return list;
}

PyDoc_STRVAR(check_target_disk_doc,
"check_target_disk(path, handle=None) -> dict\n\n"
"Partition table type and EFI system partition of the target disk PATH, and a\n"
"warning when the detected platform (HANDLE from detect()) boots through UEFI only\n"
"and the disk has no GPT with an ESP.");

static PyObject *py_check_target_disk(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "path", "handle", NULL };
	PyObject *path = NULL, *hobj = Py_None, *d = NULL;
	struct handle *h = NULL;
	struct hvd_ctx *ctx = NULL;
	struct hvd_target_disk *t = NULL;
	int r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O:check_target_disk", kwlist, PyUnicode_FSConverter, &path, &hobj))
		return NULL;
	if (hobj != Py_None && !(h = handle_get(hobj)))
		goto out;
	ctx = h ? hvd_ctx_ref(h->ctx) : new_ctx(NULL, NULL, 0);
	if (!ctx)
		goto out;
	Py_BEGIN_ALLOW_THREADS
	r = hvd_check_target_disk(&t, ctx, PyBytes_AS_STRING(path), h ? h->verdict : NULL);
	Py_END_ALLOW_THREADS
	if (r < 0) {
		raise_errno(r, ctx, "check_target_disk");
		goto out;
	}
	d = PyDict_New();
	if (d && (dict_set(d, "device", PyUnicode_DecodeFSDefault(t->device)) < 0 ||
	          dict_set(d, "table", str_or_none(t->table)) < 0 ||
	          dict_set(d, "esp_partno", PyLong_FromLong(t->esp_partno)) < 0 ||
	          dict_set(d, "n_partitions", PyLong_FromLong(t->n_partitions)) < 0 ||
	          dict_set(d, "uefi_only", PyBool_FromLong(t->uefi_only)) < 0 ||
	          dict_set(d, "warning", str_or_none(t->warning)) < 0))
		Py_CLEAR(d);
out:
	hvd_target_disk_free(t);
	hvd_ctx_unref(ctx);
	Py_XDECREF(path);
	return d;
}

/* ------------------------------------------------------------------------ */
/* Driver selection                                                          */

#define SELECTION_NAME "hvdetect._hvdetect.selection"

/*
 * A selection and its lock: load() changes the selection (every module's
 * outcome) with the GIL released, so it holds the lock, and every reader of
 * the selection takes it too (hvdetect.h: a selection being loaded must not be
 * read meanwhile).
 */
struct selection_handle {
	struct hvd_ctx *ctx;
	struct hvd_selection *sel;
	PyThread_type_lock lock;
};

static void selection_destroy(PyObject *capsule)
{
	struct selection_handle *h = PyCapsule_GetPointer(capsule, SELECTION_NAME);

	if (!h)
		return;
	hvd_selection_unref(h->sel);
	hvd_ctx_unref(h->ctx);
	if (h->lock)
		PyThread_free_lock(h->lock);
	PyMem_Free(h);
}

/* Take the selection's lock; waiting for it, let other threads run (the holder may need the GIL). */
static void selection_lock(struct selection_handle *h)
{
	if (!PyThread_acquire_lock(h->lock, NOWAIT_LOCK)) {
		Py_BEGIN_ALLOW_THREADS
		PyThread_acquire_lock(h->lock, WAIT_LOCK);
		Py_END_ALLOW_THREADS
	}
}

static struct selection_handle *selection_get(PyObject *o)
{
	if (!PyCapsule_IsValid(o, SELECTION_NAME)) {
		PyErr_SetString(PyExc_TypeError, "expected a selection handle from select()");
		return NULL;
	}
	return PyCapsule_GetPointer(o, SELECTION_NAME);
}

static PyObject *module_to_dict(const struct hvd_module *m)
{
	PyObject *d = PyDict_New();

	if (!d)
		return NULL;
	if (dict_set(d, "name", str_or_none(m->name)) < 0 ||
	    dict_set(d, "tier", str_or_none(m->tier)) < 0 ||
	    dict_set(d, "state", str_or_none(m->state)) < 0 ||
	    dict_set(d, "reason", str_or_none(m->reason)) < 0 ||
	    dict_set(d, "note", str_or_none(m->note)) < 0 ||
	    dict_set(d, "outcome", str_or_none(m->outcome)) < 0 ||
	    dict_set(d, "initramfs", PyBool_FromLong(m->initramfs)) < 0 ||
	    dict_set(d, "explicit_load", PyBool_FromLong(m->explicit_load)) < 0 ||
	    dict_set(d, "dependency", PyBool_FromLong(m->dependency)) < 0 ||
	    dict_set(d, "omitted", PyBool_FromLong(m->omitted)) < 0 ||
	    dict_set(d, "missing_boot", PyBool_FromLong(m->missing_boot)) < 0) {
		Py_DECREF(d);
		return NULL;
	}
	return d;
}

static PyObject *strv_to_list(const char *const *v)
{
	PyObject *l = PyList_New(0);

	for (size_t i = 0; l && v && v[i]; i++) {
		PyObject *s = str_or_none(v[i]);
		if (!s || PyList_Append(l, s) < 0)
			Py_CLEAR(l);
		Py_XDECREF(s);
	}
	return l;
}

static PyObject *selection_to_dict(const struct hvd_selection *sel)
{
	PyObject *d = PyDict_New(), *mods = NULL, *warn = NULL;
	size_t n = hvd_selection_get_module_count(sel), nw = hvd_selection_get_warning_count(sel);

	if (!d)
		return NULL;
	mods = PyList_New(0);
	warn = PyList_New(0);
	if (!mods || !warn)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct hvd_module *m = hvd_selection_get_module(sel, i);
		PyObject *o;

		if (!m)
			continue;
		o = module_to_dict(m);
		if (!o || PyList_Append(mods, o) < 0) {
			Py_XDECREF(o);
			goto fail;
		}
		Py_DECREF(o);
	}
	for (size_t i = 0; i < nw; i++) {
		PyObject *o = str_or_none(hvd_selection_get_warning(sel, i));
		if (!o || PyList_Append(warn, o) < 0) {
			Py_XDECREF(o);
			goto fail;
		}
		Py_DECREF(o);
	}
	if (dict_set(d, "kernel", str_or_none(hvd_selection_get_kernel(sel))) < 0 ||
	    dict_set(d, "moddir", path_or_none(hvd_selection_get_moddir(sel))) < 0 ||
	    dict_set(d, "distro", str_or_none(hvd_selection_get_distro(sel))) < 0 ||
	    dict_set(d, "missing_boot", PyLong_FromSize_t(hvd_selection_get_missing_boot_count(sel))) < 0 ||
	    dict_set(d, "packages", strv_to_list(hvd_selection_get_packages(sel, NULL))) < 0 ||
	    dict_set(d, "modules", Py_NewRef(mods)) < 0 ||
	    dict_set(d, "warnings", Py_NewRef(warn)) < 0)
		goto fail;
	Py_DECREF(mods);
	Py_DECREF(warn);
	return d;
fail:
	Py_XDECREF(mods);
	Py_XDECREF(warn);
	Py_DECREF(d);
	return NULL;
}

PyDoc_STRVAR(select_doc,
"select(handle, hypervisor=None, portable=False, no_devices=False, moddir=None,\n"
"       kernel=None, vendor_db=None, admin_db=None, target_root=None,\n"
"       add_modules=None, omit_modules=None, packages_only=False) -> (dict, selection)\n\n"
"Select modules and packages for the verdict of HANDLE (from detect()).");

/* A sequence of str as a NULL-terminated array of UTF-8 strings; *KEEP holds the bytes. None: NULL. */
static int names_from_seq(PyObject *seq, const char ***out, PyObject **keep)
{
	PyObject *fast;
	Py_ssize_t n;

	*out = NULL;
	*keep = NULL;
	if (!seq || seq == Py_None)
		return 0;
	if (PyUnicode_Check(seq) || PyBytes_Check(seq)) {
		PyErr_SetString(PyExc_TypeError, "module lists must be sequences of names, not a single string");
		return -1;
	}
	fast = PySequence_Fast(seq, "module lists must be sequences of names");
	if (!fast)
		return -1;
	n = PySequence_Fast_GET_SIZE(fast);
	*keep = PyList_New(0);
	*out = PyMem_Calloc((size_t)n + 1, sizeof(**out));
	if (!*keep || !*out) {
		Py_DECREF(fast);
		Py_CLEAR(*keep);
		PyMem_Free(*out);
		*out = NULL;
		PyErr_NoMemory();
		return -1;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *item = PySequence_Fast_GET_ITEM(fast, i);
		PyObject *b = PyUnicode_Check(item) ? PyUnicode_AsUTF8String(item) : NULL;

		if (!b || PyList_Append(*keep, b) < 0) {
			if (!b && !PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "module names must be str");
			Py_XDECREF(b);
			Py_DECREF(fast);
			Py_CLEAR(*keep);
			PyMem_Free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[i] = PyBytes_AS_STRING(b);
		Py_DECREF(b);   /* *KEEP holds it */
	}
	Py_DECREF(fast);
	return 0;
}

static PyObject *py_select(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "handle", "hypervisor", "portable", "no_devices", "moddir", "kernel",
	                          "vendor_db", "admin_db", "target_root", "add_modules", "omit_modules",
	                          "packages_only", NULL };
	PyObject *hobj, *moddir = NULL, *vendor = NULL, *admin = NULL, *ret = NULL, *d = NULL, *cap = NULL;
	PyObject *root = NULL, *add_seq = NULL, *omit_seq = NULL, *add_keep = NULL, *omit_keep = NULL;
	const char **add = NULL, **omit = NULL;
	const char *hypervisor = NULL, *kernel = NULL;
	int portable = 0, no_devices = 0, packages_only = 0, r;
	struct handle *h;
	struct selection_handle *sh;
	struct hvd_selection *sel = NULL;
	struct hvd_select_options so = HVD_SELECT_OPTIONS_INIT;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zppO&zO&O&O&OOp:select", kwlist, &hobj, &hypervisor, &portable,
	                                 &no_devices, opt_path, &moddir, &kernel, opt_path, &vendor, opt_path, &admin,
	                                 opt_path, &root, &add_seq, &omit_seq, &packages_only))
		return NULL;
	if (!(h = handle_get(hobj)))
		goto out;
	if (names_from_seq(add_seq, &add, &add_keep) < 0 || names_from_seq(omit_seq, &omit, &omit_keep) < 0)
		goto out;
	/*
	 * The context is the detection's: its sysroot supplies the devices and the
	 * default kernel. Everything else is this call's own (the options), so
	 * threads may select from one verdict at once.
	 */
	so.flags = (portable ? HVD_SELECT_PORTABLE : 0) | (no_devices ? HVD_SELECT_NO_DEVICES : 0) |
	           (packages_only ? HVD_SELECT_PACKAGES_ONLY : 0);
	so.target_root = PATH_STR(root);
	so.add_modules = add;
	so.omit_modules = omit;
	so.hypervisor = hypervisor;
	so.moddir = PATH_STR(moddir);
	so.kernel = kernel;
	so.vendor_db = PATH_STR(vendor);
	so.admin_db = PATH_STR(admin);
	Py_BEGIN_ALLOW_THREADS
	r = hvd_select(&sel, h->ctx, h->verdict, &so);
	Py_END_ALLOW_THREADS
	if (r < 0) {
		raise_errno(r, h->ctx, "select");
		goto out;
	}
	sh = PyMem_Calloc(1, sizeof(*sh));
	if (!sh || !(sh->lock = PyThread_allocate_lock())) {
		PyMem_Free(sh);
		PyErr_NoMemory();
		goto out;
	}
	sh->sel = sel;
	sh->ctx = hvd_ctx_ref(h->ctx);
	sel = NULL;
	cap = PyCapsule_New(sh, SELECTION_NAME, selection_destroy);
	if (!cap) {
		hvd_selection_unref(sh->sel);
		hvd_ctx_unref(sh->ctx);
		PyThread_free_lock(sh->lock);
		PyMem_Free(sh);
		goto out;
	}
	d = selection_to_dict(sh->sel);
	if (d)
		ret = PyTuple_Pack(2, d, cap);
out:
	hvd_selection_unref(sel);
	Py_XDECREF(d);
	Py_XDECREF(cap);
	Py_XDECREF(moddir);
	Py_XDECREF(vendor);
	Py_XDECREF(admin);
	Py_XDECREF(root);
	PyMem_Free(add);
	PyMem_Free(omit);
	Py_XDECREF(add_keep);
	Py_XDECREF(omit_keep);
	return ret;
}

PyDoc_STRVAR(load_doc,
"load(selection, dry_run=False) -> (int, dict)\n\n"
"Insert the selection's modules into the running kernel. Returns the number of\n"
"boot-tier modules still missing and the selection with every module's outcome.");

static PyObject *py_load(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "selection", "dry_run", NULL };
	PyObject *sobj, *d;
	struct selection_handle *sh;
	int dry = 0, r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|p:load", kwlist, &sobj, &dry))
		return NULL;
	if (!(sh = selection_get(sobj)))
		return NULL;
	selection_lock(sh);
	Py_BEGIN_ALLOW_THREADS
	r = hvd_selection_load(sh->sel, dry ? HVD_LOAD_DRY_RUN : 0);
	Py_END_ALLOW_THREADS
	if (r < 0) {
		raise_errno(r, sh->ctx, "load");
		PyThread_release_lock(sh->lock);
		return NULL;
	}
	d = selection_to_dict(sh->sel);
	PyThread_release_lock(sh->lock);
	return d ? Py_BuildValue("(iN)", r, d) : NULL;
}

PyDoc_STRVAR(selection_format_doc,
"selection_format(selection, format) -> str\n\n"
"Render as \"modules\", \"packages\", \"dracut\", \"modules-load\", \"initramfs-tools\" or \"json\".");

static PyObject *py_selection_format(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "selection", "format", NULL };
	PyObject *sobj, *s;
	const char *fmt;
	struct selection_handle *sh;
	char *out = NULL;
	int r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "Os:selection_format", kwlist, &sobj, &fmt) ||
	    !(sh = selection_get(sobj)))
		return NULL;
	selection_lock(sh);
	r = hvd_selection_format(sh->sel, fmt, &out);
	if (r < 0) {
		/* The library names a bad format by its errno alone: say which, and what would do. */
		if (r == -EINVAL && !hvd_ctx_get_error(sh->ctx))
			PyErr_Format(PyExc_ValueError, "unknown format '%s' (expected modules, packages, dracut, "
			             "modules-load, initramfs-tools or json)", fmt);
		else
			raise_errno(r, sh->ctx, fmt);
		PyThread_release_lock(sh->lock);
		return NULL;
	}
	PyThread_release_lock(sh->lock);
	s = PyUnicode_DecodeUTF8(out, (Py_ssize_t)strlen(out), "backslashreplace");
	free(out);
	return s;
}

PyDoc_STRVAR(selection_packages_doc,
"selection_packages(selection, family=None) -> list[str]\n\n"
"Guest-tools packages for FAMILY (rhel fedora debian ubuntu suse; None: the sysroot's).");

static PyObject *py_selection_packages(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "selection", "family", NULL };
	PyObject *sobj, *list;
	const char *family = NULL;
	const char *const *pkgs;
	struct selection_handle *sh;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|z:selection_packages", kwlist, &sobj, &family) ||
	    !(sh = selection_get(sobj)))
		return NULL;
	selection_lock(sh);
	pkgs = hvd_selection_get_packages(sh->sel, family);
	list = pkgs ? strv_to_list(pkgs) : NULL;
	PyThread_release_lock(sh->lock);
	if (!pkgs)
		PyErr_Format(PyExc_ValueError,
		             "unknown distribution family '%s' (expected rhel, fedora, debian, ubuntu or suse)", family);
	return list;
}

PyDoc_STRVAR(version_doc, "version() -> str\n\nThe C library's version.");

static PyObject *py_version(PyObject *self, PyObject *unused)
{
	return PyUnicode_FromString(hvd_version());
}

PyDoc_STRVAR(identifiers_doc,
"identifiers(kind) -> tuple[str, ...]\n\n"
"Every identifier of KIND (0 hypervisors, 1 platforms), in the library's order.");

static PyObject *py_identifiers(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "kind", NULL };
	long kind;
	PyObject *list, *tuple;
	const char *id;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "l:identifiers", kwlist, &kind))
		return NULL;
	if (kind != HVD_ID_HYPERVISOR && kind != HVD_ID_PLATFORM) {
		PyErr_Format(PyExc_ValueError, "bad identifier kind %ld", kind);
		return NULL;
	}
	list = PyList_New(0);
	if (!list)
		return NULL;
	for (size_t i = 0; (id = hvd_identifier((enum hvd_id_kind)kind, i)); i++) {
		PyObject *s = PyUnicode_FromString(id);
		if (!s || PyList_Append(list, s) < 0) {
			Py_XDECREF(s);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(s);
	}
	tuple = PyList_AsTuple(list);
	Py_DECREF(list);
	return tuple;
}

PyDoc_STRVAR(platform_hypervisor_doc,
"platform_hypervisor(platform) -> str | None\n\n"
"The hypervisor PLATFORM's virtual machines run on; None when unknown or when it varies.");

static PyObject *py_platform_hypervisor(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "platform", NULL };
	const char *name;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "s:platform_hypervisor", kwlist, &name))
		return NULL;
	return str_or_none(hvd_platform_hypervisor(name));
}

PyDoc_STRVAR(selectable_doc,
"selectable(name) -> bool\n\n"
"Whether select() accepts NAME as a named target (a hypervisor, or azure/aws/gce).");

static PyObject *py_selectable(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "name", NULL };
	const char *name;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "s:selectable", kwlist, &name))
		return NULL;
	return PyBool_FromLong(hvd_identifier_selectable(name));
}

static PyMethodDef methods[] = {
	{ "detect", (PyCFunction)(void (*)(void))py_detect, METH_VARARGS | METH_KEYWORDS, detect_doc },
	{ "verdict_json", (PyCFunction)(void (*)(void))py_verdict_json, METH_VARARGS | METH_KEYWORDS, verdict_json_doc },
	{ "find_driver_disks", (PyCFunction)(void (*)(void))py_find_driver_disks, METH_VARARGS | METH_KEYWORDS,
	  find_driver_disks_doc },
	{ "check_target_disk", (PyCFunction)(void (*)(void))py_check_target_disk, METH_VARARGS | METH_KEYWORDS,
	  check_target_disk_doc },
	{ "select", (PyCFunction)(void (*)(void))py_select, METH_VARARGS | METH_KEYWORDS, select_doc },
	{ "load", (PyCFunction)(void (*)(void))py_load, METH_VARARGS | METH_KEYWORDS, load_doc },
	{ "selection_format", (PyCFunction)(void (*)(void))py_selection_format, METH_VARARGS | METH_KEYWORDS,
	  selection_format_doc },
	{ "selection_packages", (PyCFunction)(void (*)(void))py_selection_packages, METH_VARARGS | METH_KEYWORDS,
	  selection_packages_doc },
	{ "version", py_version, METH_NOARGS, version_doc },
	{ "identifiers", (PyCFunction)(void (*)(void))py_identifiers, METH_VARARGS | METH_KEYWORDS, identifiers_doc },
	{ "platform_hypervisor", (PyCFunction)(void (*)(void))py_platform_hypervisor, METH_VARARGS | METH_KEYWORDS,
	  platform_hypervisor_doc },
	{ "selectable", (PyCFunction)(void (*)(void))py_selectable, METH_VARARGS | METH_KEYWORDS, selectable_doc },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "hvdetect._hvdetect",
	.m_doc = "Low-level binding of libhvdetect; use the hvdetect package.",
	.m_size = -1,
	.m_methods = methods,
};

PyMODINIT_FUNC PyInit__hvdetect(void);
PyMODINIT_FUNC PyInit__hvdetect(void)
{
	PyObject *m = PyModule_Create(&module), *logging;

	if (m && (PyModule_AddIntConstant(m, "ID_HYPERVISOR", HVD_ID_HYPERVISOR) < 0 ||
	          PyModule_AddIntConstant(m, "ID_PLATFORM", HVD_ID_PLATFORM) < 0 ||
	          PyModule_AddStringConstant(m, "FORMAT_HEADER", HVD_FORMAT_HEADER) < 0))
		Py_CLEAR(m);
	/* The library's log goes to logging.getLogger("hvdetect"); the package gives it a NullHandler. */
	if (m && !py_logger) {
		logging = PyImport_ImportModule("logging");
		py_logger = logging ? PyObject_CallMethod(logging, "getLogger", "s", "hvdetect") : NULL;
		Py_XDECREF(logging);
		if (!py_logger)
			Py_CLEAR(m);
	}
	return m;
}
