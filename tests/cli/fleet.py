#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fleet facts: --format prometheus and --format ansible, and --output FILE.

    fleet.py DETECT_HYPERVISOR MODTREE

 - every fixture tree's Prometheus file is read by a real parser of the text exposition format
   (python3-prometheus-client's; `promtool check metrics` too when the prometheus package is
   installed) and by a strict line grammar; hvdetect_info's labels and hvdetect_confidence are
   the --json verdict's, the DMI vendor and product escaped as the format says;
 - hostile DMI text (quotes, backslashes, a newline, invalid UTF-8, controls, bidi overrides,
   a 300-character product) parses, and round-trips to the sanitised value;
 - hvdetect_missing_boot_drivers is the selection's count against the modtree kernels (0 and
   1, exit 3) and is left out, with a warning, where no module tree exists;
 - the Ansible fact is JSON: the verdict's object plus missing_boot_drivers and selection;
 - --output replaces the file atomically: a new inode, the mode a new file gets, no temporary
   file left, and an unwritable directory leaves the old file as it was (exit 2).
Exit 77 when python3-prometheus-client is missing.
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
DB = os.path.join(SRC, "tests", "modtree", "drivers.d")
KA, KB = "6.1.0-1-hvdtest", "6.12.0-2-hvdtest"
INFO_FIELDS = ["hypervisor", "platform", "generation", "firmware", "role", "confidential", "systemd_id", "arch"]

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("fleet: python3-prometheus-client is missing (.ci/install-deps --test installs it): skipped")
    sys.exit(77)

# One sample line of the text format: name, optional {label="value",...}, a value. A label value
# holds no raw '"', '\\' or newline; its only escapes are \\ \" \n.
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*",?)*\})? -?[0-9]+(\.[0-9]+)?$')
INVISIBLE = {0xad, *range(0x200b, 0x2010), *range(0x2028, 0x202f), *range(0x2060, 0x2070), 0xfeff, 0xfff9, 0xfffa, 0xfffb}


def utf8_decode(b, i):
    """tools/fleet.c's utf8_decode(): (code point or -1, length)."""
    c0 = b[i]
    if c0 < 0x80:
        return c0, 1
    if 0xc2 <= c0 <= 0xdf:
        c, need = c0 & 0x1f, 1
    elif 0xe0 <= c0 <= 0xef:
        c, need = c0 & 0x0f, 2
    elif 0xf0 <= c0 <= 0xf4:
        c, need = c0 & 0x07, 3
    else:
        return -1, 1
    if len(b) - i < need + 1:
        return -1, 1
    for k in range(1, need + 1):
        if b[i + k] & 0xc0 != 0x80:
            return -1, 1
        c = (c << 6) | (b[i + k] & 0x3f)
    if (need == 2 and c < 0x800) or (need == 3 and c < 0x10000) or c > 0x10ffff or 0xd800 <= c <= 0xdfff:
        return -1, 1
    return c, need + 1


def sanitise(raw, limit=128):
    """What a label value must read as after parsing, from the machine's raw bytes: one U+FFFD
    for each byte that starts no UTF-8 character, and for each control or invisible one."""
    if raw is None:
        return ""
    out, i = [], 0
    while i < len(raw) and len(out) < limit:
        c, n = utf8_decode(raw, i)
        i += n
        if c < 0 or (c != 0x0a and (c < 0x20 or c == 0x7f or 0x80 <= c <= 0x9f or c in INVISIBLE)):
            out.append("\ufffd")
        else:
            out.append(chr(c))
    return "".join(out)


def shell_values(text):
    """--shell's assignments, each value as the exact bytes (tools/shell-quote.c quotes with '...' and \\')."""
    values = {}
    for m in re.finditer(rb"^(HVD_\w+)=((?:'[^']*'|\\')*)\n", text, flags=re.M):
        values[m.group(1).decode()] = b"".join(p[1:-1] if p.startswith(b"'") else b"'"
                                               for p in re.findall(rb"'[^']*'|\\'", m.group(2)))
    return values


class Checker:
    def __init__(self):
        self.failures = []
        self.count = 0

    def check(self, ok, what):
        self.count += 1
        if not ok:
            self.failures.append(what)


def run(tool, *args, env=None):
    return subprocess.run([tool, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=dict(os.environ, **(env or {})))


def families(text):
    return {f.name: f for f in text_string_to_metric_families(text)}


def check_grammar(c, what, text):
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        c.check(SAMPLE.match(line) is not None, "%s: not a valid sample line: %r" % (what, line))
    c.check(text.endswith("\n"), "%s: the file ends without a newline" % what)
    promtool = shutil.which("promtool")
    if promtool:
        p = subprocess.run([promtool, "check", "metrics"], input=text.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        c.check(p.returncode == 0, "%s: promtool check metrics: %s" % (what, p.stdout.decode(errors="replace")))


def raw_dmi(tool, sysroot, name):
    """The first DMI fact named NAME, as the bytes the machine gave (from --shell)."""
    vals = shell_values(run(tool, "--sysroot", sysroot, "--shell").stdout)
    for i in range(int(vals["HVD_EVIDENCE_COUNT"])):
        src, key = vals["HVD_EVIDENCE_%d_SOURCE" % i], vals["HVD_EVIDENCE_%d_KEY" % i].decode()
        if src in (b"dmi", b"smbios", b"dmidecode") and (key == name or key.endswith(": " + name)):
            return vals["HVD_EVIDENCE_%d_VALUE" % i]
    return None


def check_tree(c, tool, sysroot, what, *extra):
    """Prometheus and Ansible output of one tree against its --json verdict; returns the parsed families."""
    v = run(tool, "--sysroot", sysroot, "--json")
    c.check(v.returncode in (0, 1), "%s: --json exit %d" % (what, v.returncode))
    verdict = json.loads(v.stdout.decode("utf-8", "surrogateescape"))
    p = run(tool, "--sysroot", sysroot, "--format", "prometheus", "--db-dir", DB, *extra)
    c.check(p.returncode in (0, 3), "%s: --format prometheus exit %d: %s" % (what, p.returncode, p.stderr))
    text = p.stdout.decode("utf-8")   # must be UTF-8, whatever the machine said
    check_grammar(c, what, text)
    fams = families(text)
    info = fams["hvdetect_info"].samples
    c.check(len(info) == 1 and info[0].value == 1, "%s: one hvdetect_info sample of 1" % what)
    labels = info[0].labels
    for f in INFO_FIELDS:
        want = verdict[f]
        want = "" if want is None else str(want)
        c.check(labels.get(f) == sanitise(want.encode()), "%s: label %s=%r, --json says %r" % (what, f, labels.get(f), want))
    for label, name in (("vendor", "sys_vendor"), ("product", "product_name")):
        want = sanitise(raw_dmi(tool, sysroot, name))
        c.check(labels.get(label) == want, "%s: label %s=%r, expected %r" % (what, label, labels.get(label), want))
    conf = fams["hvdetect_confidence"].samples
    c.check(len(conf) == 1 and conf[0].value == verdict["confidence"], "%s: hvdetect_confidence" % what)

    a = run(tool, "--sysroot", sysroot, "--format", "ansible", "--db-dir", DB, *extra)
    c.check(a.returncode == p.returncode, "%s: --format ansible exit %d" % (what, a.returncode))
    fact = json.loads(a.stdout.decode("utf-8", "surrogateescape"))
    for k, val in verdict.items():
        c.check(fact.get(k) == val, "%s: the Ansible fact's %s differs from --json" % (what, k))
    c.check("missing_boot_drivers" in fact and "selection" in fact, "%s: the Ansible fact lacks the selection" % what)
    missing = fams.get("hvdetect_missing_boot_drivers")
    if fact["selection"] is None:
        c.check(fact["missing_boot_drivers"] is None, "%s: missing_boot_drivers without a selection" % what)
        c.check(missing is None or not missing.samples, "%s: hvdetect_missing_boot_drivers without a selection" % what)
        c.check(b"warning: no driver selection" in p.stderr, "%s: no warning that the selection failed" % what)
    else:
        c.check(missing is not None and len(missing.samples) == 1 and
                missing.samples[0].value == fact["missing_boot_drivers"],
                "%s: hvdetect_missing_boot_drivers differs from the Ansible fact" % what)
    return fams, fact, p


def main():
    tool, modtree = sys.argv[1:3]
    c = Checker()

    # Every fixture tree: no module tree there, so the selection's numbers are left out.
    trees = sorted(d for d in os.listdir(os.path.join(SRC, "tests", "fixtures"))
                   if os.path.isdir(os.path.join(SRC, "tests", "fixtures", d)))
    for d in trees:
        check_tree(c, tool, os.path.join(SRC, "tests", "fixtures", d), d)
    for d in ("hostile", "vmware", "empty", "baremetal"):
        check_tree(c, tool, os.path.join(SRC, "tests", "cli", "fixtures", d), "cli/" + d)

    # Against the modtree kernels: complete (0), then vmw_pvscsi missing (1, exit 3).
    kvm = os.path.join(SRC, "tests", "integration", "fixtures", "kvm")
    kernel = lambda k: os.path.join(modtree, "lib", "modules", k)
    fams, fact, p = check_tree(c, tool, kvm, "kvm on " + KA, "--moddir", kernel(KA))
    c.check(fact["missing_boot_drivers"] == 0 and p.returncode == 0, "kvm on %s: missing 0, exit 0" % KA)
    c.check(fams["hvdetect_missing_boot_drivers"].samples[0].labels == {"kernel": KA}, "kvm: the kernel label")
    fams, fact, p = check_tree(c, tool, kvm, "vmware on " + KB, "--moddir", kernel(KB), "--hypervisor", "vmware")
    c.check(fact["missing_boot_drivers"] == 1 and p.returncode == 3, "vmware on %s: missing 1, exit 3" % KB)

    with tempfile.TemporaryDirectory() as tmp:
        # Hostile DMI text, written byte for byte.
        root = os.path.join(tmp, "root")
        dmi = os.path.join(root, "sys", "class", "dmi", "id")
        os.makedirs(dmi)
        vendor = b'VMware, Inc. "quoted" \\back\\slash\\n \xff\xfe bad UTF-8 \x1b[31mred\x7f'
        product = b'line one\nline two \xe2\x80\xae evil \xc2\x85 ' + "é€😀".encode() + b"x" * 300
        with open(os.path.join(dmi, "sys_vendor"), "wb") as f:
            f.write(vendor + b"\n")
        with open(os.path.join(dmi, "product_name"), "wb") as f:
            f.write(product + b"\n")
        fams, fact, p = check_tree(c, tool, root, "hostile DMI")
        labels = fams["hvdetect_info"].samples[0].labels
        c.check("\ufffd" in labels["vendor"] and '"quoted"' in labels["vendor"] and "\\back\\slash\\n" in labels["vendor"],
                "hostile DMI: vendor %r" % labels["vendor"])
        c.check(len(labels["product"]) == 128 and "\u202e" not in labels["product"] and "€😀" in labels["product"],
                "hostile DMI: product %r" % labels["product"])

        # --output: atomic replacement.
        out = os.path.join(tmp, "textfile", "hvdetect.prom")
        os.makedirs(os.path.dirname(out))
        with open(out, "w") as f:
            f.write("old\n")
        before = os.stat(out).st_ino
        p = run(tool, "--sysroot", kvm, "--moddir", kernel(KA), "--db-dir", DB, "--format", "prometheus",
                "--output", out)
        c.check(p.returncode == 0 and p.stdout == b"", "--output: exit %d, stdout %r" % (p.returncode, p.stdout))
        text = open(out).read()
        c.check("hvdetect_missing_boot_drivers{kernel=\"%s\"} 0" % KA in text, "--output: the file's content")
        c.check(os.stat(out).st_ino != before, "--output: the file was rewritten in place, not renamed over")
        mode = stat.S_IMODE(os.stat(out).st_mode)
        umask = os.umask(0)
        os.umask(umask)
        c.check(mode == 0o666 & ~umask, "--output: mode %o, expected %o" % (mode, 0o666 & ~umask))
        c.check(os.listdir(os.path.dirname(out)) == ["hvdetect.prom"], "--output: left %s" % os.listdir(os.path.dirname(out)))
        if os.geteuid() != 0:
            os.chmod(os.path.dirname(out), 0o555)
            p = run(tool, "--sysroot", kvm, "--format", "prometheus", "--db-dir", DB, "--output", out)
            c.check(p.returncode == 2 and open(out).read() == text, "--output into a read-only directory")
            os.chmod(os.path.dirname(out), 0o755)
        p = run(tool, "--sysroot", kvm, "--format", "prometheus", "--output", os.path.join(tmp, "nodir", "x.prom"))
        c.check(p.returncode == 2 and b"cannot create a temporary file beside" in p.stderr,
                "--output into a missing directory: exit %d %r" % (p.returncode, p.stderr))
        p = run(tool, "--sysroot", kvm, "--quiet", "--output", out)
        c.check(p.returncode == 2, "--output --quiet is refused")
        fact_file = os.path.join(tmp, "hvdetect.fact")
        p = run(tool, "--sysroot", kvm, "--moddir", kernel(KA), "--db-dir", DB, "--format", "ansible",
                "--output", fact_file)
        c.check(p.returncode == 0 and json.load(open(fact_file))["missing_boot_drivers"] == 0, "--output of the Ansible fact")

    for f in c.failures:
        print("fleet: FAIL " + f, file=sys.stderr)
    print("fleet: %d checks on %d trees: %d passed, %d failed" % (c.count, len(trees) + 7, c.count - len(c.failures),
                                                                  len(c.failures)))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
