#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's ABI is what the header says, versioned as lib/libhvdetect.sym says.

    abi.py LIBRARY HEADER VERSION_HEADER SYMFILE VERSION [LIBDIR]

LIBRARY is the built shared object (its real file), HEADER include/hvdetect.h,
VERSION_HEADER the generated hvdetect-version.h, SYMFILE lib/libhvdetect.sym and
VERSION project()'s version. Fails when:
 - an exported symbol is not declared in the header, or a declared function is not exported;
 - the version script has a wildcard in a global list, names a symbol twice or one the header
   does not declare, or a node that does not inherit from the one before it;
 - an export carries another version than the node that lists it;
 - the SONAME is not libhvdetect.so.MAJOR or the file not libhvdetect.so.VERSION;
 - the header's version macros or hvd_version() say another version than VERSION;
 - (with LIBDIR, the library's sources) an exported function that returns an error code does
   not clear the calling thread's error message first (hvdetect.h, "Errors belong to the call").
"""
import ctypes
import os
import re
import subprocess
import sys


def header_functions(path):
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#[^\n]*(\\\n[^\n]*)*", " ", text, flags=re.M)
    # A name followed by "(" is a function declaration, unless it is "(*name)(": a pointer type.
    names = set(re.findall(r"(?<!\(\*)\b(hvd_[a-z0-9_]+)\s*\(", text))
    return names


def version_nodes(path):
    text = re.sub(r"/\*.*?\*/", " ", open(path).read(), flags=re.S)
    nodes = []
    for m in re.finditer(r"(\w+)\s*\{(.*?)\}\s*(\w*)\s*;", text, flags=re.S):
        name, body, parent = m.group(1), m.group(2), m.group(3) or None
        glob = re.search(r"global:(.*?)(local:|$)", body, flags=re.S)
        syms = [s.strip() for s in (glob.group(1) if glob else "").split(";") if s.strip()]
        nodes.append((name, parent, syms))
    return nodes


def exports(lib):
    out = subprocess.run(["readelf", "--dyn-syms", "-W", lib], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    found = {}
    for line in out.splitlines():
        cols = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(cols) < 8 or cols[4] not in ("GLOBAL", "WEAK") or cols[6] in ("UND", "ABS"):
            continue
        name, _, version = cols[7].partition("@")
        found[name] = version.lstrip("@")
    return found


def entries_without_clear(libdir):
    """Exported functions returning int that can fail, whose body does not start by clearing the
    error message: getters (get_, is_, _selectable), which report nothing, are exempt."""
    missing = []
    for base, _, files in os.walk(libdir):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            text = open(os.path.join(base, f)).read()
            for m in re.finditer(r"^HVD_EXPORT int (hvd_\w+)\(.*?\n\{\n(.*?)\n\}", text, flags=re.S | re.M):
                name, body = m.group(1), m.group(2)
                if re.search(r"_get_|_is_|_selectable$", name):
                    continue
                # Declarations may come first; the first statement that does anything is the clear.
                stmts = [ln.strip() for ln in body.splitlines()
                         if ln.strip() and not re.match(r"^(static |const |struct |_cleanup_|int |bool |size_t |"
                                                        r"unsigned |char |[a-z_]+ \*?[a-z_]+(\[.*\])?( = .*)?;$)",
                                                        ln.strip())]
                if not stmts or stmts[0] != "ctx_clear_error();":
                    missing.append("%s (%s)" % (name, os.path.relpath(os.path.join(base, f), libdir)))
    return missing


def main():
    if len(sys.argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    lib, header, version_header, symfile, version = sys.argv[1:6]
    errors = []
    if len(sys.argv) == 7:
        for e in entries_without_clear(sys.argv[6]):
            errors.append("does not clear the error message first: " + e)

    declared = header_functions(header)
    exported = exports(lib)
    for name in sorted(set(exported) - declared):
        errors.append("exported but not declared in %s: %s" % (os.path.basename(header), name))
    for name in sorted(declared - set(exported)):
        errors.append("declared in %s but not exported: %s" % (os.path.basename(header), name))

    listed = {}
    previous = None
    for name, parent, syms in version_nodes(symfile):
        if previous and parent != previous:
            errors.append("%s: node %s inherits from %s, not from the node before it (%s)" % (
                symfile, name, parent, previous))
        previous = name
        for s in syms:
            if any(c in s for c in "*?["):
                errors.append("%s: node %s exports by pattern (%s): name every symbol" % (symfile, name, s))
            elif s in listed:
                errors.append("%s: %s is listed in %s and in %s" % (symfile, s, listed[s], name))
            else:
                listed[s] = name
            if s not in declared and not any(c in s for c in "*?["):
                errors.append("%s: %s is not declared in the header" % (symfile, s))
    for name, ver in sorted(exported.items()):
        if name in listed and ver != listed[name]:
            errors.append("%s is exported as version %s, but %s lists it in %s" % (name, ver or "(none)",
                                                                                  symfile, listed[name]))
        if name not in listed:
            errors.append("%s is exported without being listed in %s" % (name, symfile))

    major = version.split(".")[0]
    dyn = subprocess.run(["readelf", "-d", "-W", lib], stdout=subprocess.PIPE, text=True, check=True).stdout
    soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dyn)
    if not soname or soname.group(1) != "libhvdetect.so." + major:
        errors.append("SONAME is %s, expected libhvdetect.so.%s" % (soname.group(1) if soname else "(none)", major))
    if os.path.basename(os.path.realpath(lib)) != "libhvdetect.so." + version:
        errors.append("the library's file is %s, expected libhvdetect.so.%s" % (
            os.path.basename(os.path.realpath(lib)), version))

    macros = dict(re.findall(r"#define (HVD_VERSION_\w+) (\S+)", open(version_header).read()))
    got = "%s.%s.%s" % (macros.get("HVD_VERSION_MAJOR"), macros.get("HVD_VERSION_MINOR"),
                        macros.get("HVD_VERSION_PATCH"))
    if got != version or macros.get("HVD_VERSION_STRING") != '"%s"' % version:
        errors.append("%s says %s (%s), expected %s" % (version_header, got, macros.get("HVD_VERSION_STRING"),
                                                        version))
    # A sanitizer build's library needs its runtime loaded first, which this interpreter is not.
    if re.search(r"\(NEEDED\)\s+Shared library: \[lib[at]san", dyn):
        print("abi: sanitizer build: hvd_version() not called")
    else:
        hvd_version = ctypes.CDLL(os.path.realpath(lib)).hvd_version
        hvd_version.restype = ctypes.c_char_p
        if hvd_version().decode() != version:
            errors.append("hvd_version() says %s, expected %s" % (hvd_version().decode(), version))

    for e in errors:
        print("abi: " + e, file=sys.stderr)
    if not errors:
        print("abi: %d functions declared and exported, in %d version nodes; SONAME libhvdetect.so.%s; version %s"
              % (len(declared), len(version_nodes(symfile)), major, version))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
