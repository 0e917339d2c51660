#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Read the serial logs of the e2e boots (tests/e2e/run) and check each personality.

Each guest prints lines "@@E2E ..." (tests/e2e/guest/report.sh): the verdict JSON,
the selected modules, the hook's load output, the driver bound to every device.
Prints one table per personality; exits 0 only if every check holds.
"""
import argparse
import json
import os
import re
import sys

PREFIX = "@@E2E "
# The drivers that need a VMBus (or Hyper-V itself); helper libraries such as pci_hyperv_intf load anywhere.
HV_MODULE = re.compile(r"^(hv_[a-z_]+|hyperv_[a-z]+|hid_hyperv|pci_hyperv)$")
# Drivers that exist in x86 kernels only (data/drivers.d arch=x86_64,i?86): an arm64 guest must
# neither select them nor report them missing.
X86_ONLY = {"vmw_balloon", "vmw_pvscsi", "ptp_vmw", "ata_piix"}


class Boot:
    def __init__(self, work, name):
        self.name = name
        self.rc, self.secs = None, None
        try:
            with open(os.path.join(work, name + ".result")) as f:
                rc, secs = f.read().split()
                self.rc, self.secs = int(rc), float(secs)
        except (OSError, ValueError):
            pass
        self.lines = []
        try:
            with open(os.path.join(work, name + ".log"), errors="replace") as f:
                for raw in f:
                    raw = raw.rstrip("\r\n").replace("\r", "")
                    i = raw.find(PREFIX)
                    if i >= 0:
                        self.lines.append(raw[i + len(PREFIX):])
        except OSError:
            pass
        self.sections = {}
        self.flags = set()
        self.devs = []  # (bus, name, id, driver)
        self.lsmod = set()
        self.select_rc = None
        cur = None
        for l in self.lines:
            if cur is not None:
                if l == cur + "-END":
                    cur = None
                else:
                    self.sections[cur].append(l)
                continue
            if l.endswith("-BEGIN") and " " not in l:
                cur = l[: -len("-BEGIN")]
                self.sections[cur] = []
            elif l.startswith("DEV "):
                parts = l.split()
                if len(parts) == 5:
                    self.devs.append(tuple(parts[1:]))
            elif l.startswith("LSMOD"):
                self.lsmod = set(l.split()[1:])
            elif l.startswith("SELECT-RC "):
                self.select_rc = int(l.split()[1])
            else:
                self.flags.add(l.split()[0] if l else l)
        self.verdict, self.verdict_error = None, None
        text = "\n".join(self.sections.get("VERDICT", []))
        try:
            self.verdict = json.loads(text)
        except ValueError as e:
            self.verdict_error = "%s: %r" % (e, text[:80])
        self.selected = []
        if self.select_rc == 0:
            for l in self.sections.get("SELECT", []):
                w = l.split()
                if w and re.fullmatch(r"[A-Za-z0-9_-]+", w[0]) and not l.startswith("#"):
                    self.selected.append(w[0].replace("-", "_"))
        self.load_lines = self.sections.get("LOAD", [])

    def loads(self):
        """The hook's --load report: {module: (tier, outcome)}; lines are "NAME TIER OUTCOME..."."""
        out = {}
        for l in self.load_lines:
            w = l.split(None, 2)
            if len(w) == 3 and re.fullmatch(r"[A-Za-z0-9_-]+", w[0]) and not l.startswith("detect-hypervisor:"):
                out[w[0].replace("-", "_")] = (w[1], w[2].strip())
        return out

    def outcome(self, module):
        """'ok' (inserted, already loaded, built in), 'failed', 'missing', another word, or None."""
        got = self.loads().get(module.replace("-", "_"))
        if got is None:
            return None
        o = got[1]
        if o in ("inserted", "already loaded", "builtin"):
            return "ok"
        if o.startswith("failed"):
            return "failed"
        return o

    def bound(self, bus, ident):
        return [d[3] for d in self.devs if d[0] == bus and d[2].lower() == ident.lower()]

    def evidence(self):
        return (self.verdict or {}).get("evidence") or []


class Checks:
    def __init__(self, boot):
        self.boot, self.rows = boot, []

    def check(self, what, ok, detail=""):
        self.rows.append((bool(ok), what, detail))

    def field(self, key, want):
        got = (self.boot.verdict or {}).get(key)
        self.check("verdict %s is %s" % (key, want), got == want, "got %r" % (got,))

    def bound(self, bus, ident, driver):
        got = self.boot.bound(bus, ident)
        self.check("%s %s bound to %s" % (bus, ident, driver), driver in got, "bound: %s" % (",".join(got) or "nothing"))

    def tcg_is_qemu(self):
        ev = [e for e in self.boot.evidence() if e.get("source") == "cpuid" and "TCGTCGTCGTCG" in (e.get("value") or "")]
        self.check("CPUID TCGTCGTCGTCG reported, pointing to qemu",
                   ev and all(e.get("points_to") == "qemu" for e in ev),
                   "; ".join("%s=%s->%s" % (e.get("key"), e.get("value"), e.get("points_to")) for e in ev) or "no such evidence")

    def no_tcg(self):
        ev = [e for e in self.boot.evidence() if "TCGTCGTCGTCG" in (e.get("value") or "") and (e.get("weight") or 0) > 0]
        self.check("hypervisor bit clear: CPUID signature not counted", not ev, "%d weighted TCG facts" % len(ev))

    def explained(self):
        v = self.boot.verdict or {}
        hv = v.get("hypervisor")
        support = [e for e in self.boot.evidence() if e.get("points_to") == hv and (e.get("weight") or 0) > 0]
        self.check("verdict %r explained by its evidence" % hv, hv == "none" or bool(support),
                   "; ".join("%s %s=%r" % (e.get("source"), e.get("key"), e.get("value")) for e in support[:4]) or "no supporting evidence")

    def loads_reported(self):
        sel = self.boot.selected
        self.check("selection listed in the guest", self.boot.select_rc == 0, "select rc %s" % self.boot.select_rc)
        loads = self.boot.loads()
        missing = [m for m in sel if m not in loads]
        self.check("hook reported an outcome for every selected module", not missing,
                   "missing: " + " ".join(missing) if missing else "%d modules" % len(loads))

    def boot_tier_present(self, except_re=None):
        """Boot-tier (storage) modules must be there afterwards; EXCEPT_RE may fail by design."""
        bad = ["%s(%s)" % (m, o) for m, (tier, o) in self.boot.loads().items()
               if tier == "boot" and self.boot.outcome(m) != "ok" and not (except_re and except_re.match(m))]
        self.check("every boot-tier module loaded" + (" (but Hyper-V's)" if except_re else ""), not bad, " ".join(bad))

    def loaded_ok(self, modules):
        for m in modules:
            o = self.boot.outcome(m)
            self.check("load of %s succeeded" % m, o == "ok", "outcome %s" % o)

    def arm64(self):
        self.field("arch", "aarch64")
        ev = [e for e in self.boot.evidence() if e.get("source") == "cpuid"]
        self.check("no CPUID evidence (arm64 has no CPUID)", not ev, "%d cpuid facts" % len(ev))

    def no_x86_only(self):
        sel = [m for m in self.boot.selected if m in X86_ONLY]
        loads = [m for m in self.boot.loads() if m in X86_ONLY]
        self.check("no x86-only driver selected or reported (%s)" % ",".join(sorted(X86_ONLY)),
                   not sel and not loads, " ".join(sel + loads))

    def others_missing_or_ok(self):
        """Every module the hook tried loaded, is missing from this kernel, or found nothing to bind."""
        bad = ["%s(%s)" % (m, o) for m, (tier, o) in self.boot.loads().items()
               if self.boot.outcome(m) not in ("ok", "missing", "failed")]
        self.check("every load outcome is loaded, missing or failed (no other word)", not bad, " ".join(bad))

    def hv_fail_survived(self):
        hv = [m for m in self.boot.selected if HV_MODULE.match(m)]
        self.check("Hyper-V modules selected", hv, " ".join(hv) or "none selected")
        bad = [m for m in hv if self.boot.outcome(m) != "failed"]
        self.check("Hyper-V modules that cannot bind reported as failed loads", hv and not bad,
                   "not failed: " + " ".join("%s(%s)" % (m, self.boot.outcome(m)) for m in bad) if bad else "")


def finished(c):
    b = c.boot
    c.check("guest finished in time", b.rc == 0, "qemu exit %s%s" % (b.rc, " (timeout)" if b.rc in (124, 137) else ""))
    c.check("hook returned, boot went on", "HOOK-RETURNED" in b.flags)
    c.check("report complete", "END" in b.flags)


def common(c):
    finished(c)
    c.check("verdict JSON parses", c.boot.verdict is not None, c.boot.verdict_error or "")


def kvm_target(c):
    """The image the target's dracut built from the configuration the installer addon wrote:
    no hvdetect in it (no verdict), the boot drivers there and bound by udev."""
    c.check("no hvdetect in the target's image", c.boot.verdict is None and c.boot.select_rc not in (0, 1, 3),
            "verdict %r, selection exit %s" % (bool(c.boot.verdict), c.boot.select_rc))
    c.bound("virtio", "0x1af4:0x0002", "virtio_blk")
    c.bound("virtio", "0x1af4:0x0001", "virtio_net")
    c.check("virtio_blk loaded", "virtio_blk" in c.boot.lsmod, " ".join(sorted(c.boot.lsmod)))


def kvm(c):
    c.field("hypervisor", "qemu")
    c.tcg_is_qemu()
    c.bound("virtio", "0x1af4:0x0001", "virtio_net")
    c.bound("virtio", "0x1af4:0x0002", "virtio_blk")
    c.loads_reported()
    c.loaded_ok(["virtio_net", "virtio_blk", "virtio_scsi"])
    c.boot_tier_present()


def vmware(c):
    c.tcg_is_qemu()
    c.explained()
    c.bound("pci", "0x15ad:0x07b0", "vmxnet3")
    c.bound("pci", "0x15ad:0x07c0", "vmw_pvscsi")
    c.loads_reported()
    c.loaded_ok(["vmxnet3", "vmw_pvscsi"])
    c.boot_tier_present()


def vmware_nohv(c):
    c.no_tcg()
    c.explained()
    c.bound("pci", "0x15ad:0x07b0", "vmxnet3")
    c.bound("pci", "0x15ad:0x07c0", "vmw_pvscsi")
    c.loads_reported()
    c.loaded_ok(["vmxnet3", "vmw_pvscsi"])
    c.boot_tier_present()


def hyperv(c):
    c.field("firmware", "uefi")
    c.explained()
    c.loads_reported()
    c.hv_fail_survived()
    c.boot_tier_present(HV_MODULE)


def bios(c):
    c.field("firmware", "bios")
    c.field("hypervisor", "qemu")
    c.tcg_is_qemu()
    c.loads_reported()
    c.boot_tier_present()


def arm64_kvm(c):
    c.arm64()
    c.field("hypervisor", "kvm")
    c.field("platform", None)
    c.field("firmware", "uefi")
    c.explained()
    c.bound("virtio", "0x1af4:0x0001", "virtio_net")
    c.bound("virtio", "0x1af4:0x0002", "virtio_blk")
    c.loads_reported()
    c.loaded_ok(["virtio_net", "virtio_blk", "virtio_scsi"])
    c.boot_tier_present()
    c.no_x86_only()


def arm64_vmware(c):
    c.arm64()
    c.field("hypervisor", "vmware")
    c.field("platform", None)
    c.explained()
    c.bound("pci", "0x15ad:0x07b0", "vmxnet3")
    c.loads_reported()
    c.loaded_ok(["vmxnet3"])
    c.others_missing_or_ok()
    c.boot_tier_present()
    c.no_x86_only()


def arm64_hyperv(c):
    c.arm64()
    c.field("hypervisor", "hyperv")
    c.field("generation", 2)
    c.field("firmware", "uefi")
    c.field("platform", None)
    c.explained()
    c.loads_reported()
    c.hv_fail_survived()
    c.boot_tier_present(HV_MODULE)
    c.no_x86_only()


def arm64_aws(c):
    c.arm64()
    c.field("hypervisor", "kvm")
    c.field("platform", "aws")
    c.explained()
    c.bound("pci", "0x1b36:0x0010", "nvme")
    c.loads_reported()
    c.loaded_ok(["nvme"])
    c.others_missing_or_ok()
    c.boot_tier_present()
    c.no_x86_only()


def arm64_board(c):
    c.arm64()
    c.field("hypervisor", "none")
    c.field("role", "none")
    c.field("platform", None)
    c.field("firmware", "uefi")
    c.loads_reported()
    c.others_missing_or_ok()
    c.no_x86_only()


PERSONALITIES = {"kvm": kvm, "kvm-target": kvm_target, "vmware": vmware, "vmware-nohv": vmware_nohv,
                 "hyperv-gen2": hyperv, "bios-q35": bios,
                 "arm64-kvm": arm64_kvm, "arm64-vmware": arm64_vmware, "arm64-hyperv": arm64_hyperv,
                 "arm64-aws": arm64_aws, "arm64-board": arm64_board}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("names", nargs="+")
    a = ap.parse_args()
    failed = 0
    summary = []
    for name in a.names:
        b = Boot(a.work, name)
        c = Checks(b)
        # The target's image has no hvdetect: no verdict to parse.
        (finished if name == "kvm-target" else common)(c)
        PERSONALITIES[name](c)
        v = b.verdict or {}
        print("\n== %s  (%.1f s)  hypervisor=%s platform=%s firmware=%s confidence=%s" % (
            name, b.secs or -1, v.get("hypervisor"), v.get("platform"), v.get("firmware"), v.get("confidence")))
        print("   selected: %s" % (" ".join(b.selected) or "-"))
        for l in b.load_lines:
            print("   load: %s" % l)
        for d in b.devs:
            if d[3] != "-" or d[0] != "pci":
                print("   %-6s %-14s %-16s %s" % d)
        for ok, what, detail in c.rows:
            print("   %-4s %-62s %s" % ("ok" if ok else "FAIL", what, detail))
        nfail = sum(1 for r in c.rows if not r[0])
        failed += nfail
        summary.append((name, b.secs, nfail, len(c.rows)))
    print("\n%-14s %8s %s" % ("personality", "wall s", "checks"))
    for name, secs, nfail, n in summary:
        print("%-14s %8.1f %d/%d ok" % (name, secs or -1, n - nfail, n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
