# SPDX-License-Identifier: LGPL-2.1-or-later
"""The installer hooks, shaped like an Anaconda addon service:

    process_kickstart / setup_kickstart   the %addon com_hvdetect section in and out
    collect_requirements(target)          packages to add for the target's distribution
    configure_with_tasks()                start of installation: load what the installer lacks
    install_with_tasks(target)            end of installation: initramfs and modules-load files
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence

import hvdetect

from . import target as tgt
from .kickstart import AddonData, parse_kickstart

# States in which a module needs no line in our files (hvdetect.h, struct hvd_module).
_NOT_LISTED = ("missing", "blacklisted", "builtin")


def _dedupe(names: Sequence[str]) -> List[str]:
    seen: set = set()
    return [n for n in names if not (n in seen or seen.add(n))]


class HvdetectAddon:
    """One installation. SYSROOT/CPUID_DUMP describe the machine (default: this one)."""

    def __init__(self, data: Optional[AddonData] = None, sysroot: Optional[str] = None,
                 cpuid_dump: Optional[str] = None, db_dirs: Optional[Sequence[Optional[str]]] = None) -> None:
        self.data = data if data is not None else AddonData()
        self.sysroot = sysroot
        self.cpuid_dump = cpuid_dump
        self.db_dirs = db_dirs
        self.warnings: List[str] = []
        self._verdict: Optional[hvdetect.Verdict] = None

    # -- kickstart ------------------------------------------------------------------------
    def process_kickstart(self, text: str) -> None:
        self.data = parse_kickstart(text)

    def setup_kickstart(self) -> str:
        return self.data.to_kickstart()

    # -- detection and selection -----------------------------------------------------------
    @property
    def verdict(self) -> hvdetect.Verdict:
        if self._verdict is None:
            self._verdict = hvdetect.detect(sysroot=self.sysroot, cpuid_dump=self.cpuid_dump)
        return self._verdict

    def select(self, moddir: Optional[Path] = None, portable: Optional[bool] = None) -> "hvdetect.Selection":
        if portable is None:
            portable = self.data.portable
        return hvdetect.select(self.verdict, hypervisor=self.data.hypervisor, portable=portable,
                               moddir=moddir, db_dirs=self.db_dirs)

    # -- hooks -----------------------------------------------------------------------------
    def collect_requirements(self, target_root: Optional[Path] = None) -> List[str]:
        """Guest-tools packages for the target's distribution (from its os-release)."""
        if not self.data.enabled or not self.data.packages:
            return []
        family = None
        if target_root is not None:
            family = tgt.family_of(tgt.read_os_release(Path(target_root)))
            if family is None:
                self.warnings.append(f"{target_root}: unknown distribution; no packages added")
                return []
        moddir = None
        if target_root is not None:
            try:
                moddir = tgt.target_kernel(Path(target_root))[1]
            except tgt.TargetError:
                moddir = None  # packages do not depend on the kernel: the installer's own will do
        # Portable is about the initramfs; the guest tools are this hypervisor's.
        sel = self.select(moddir, portable=False)
        return list(sel.packages_for(family) if family else sel.packages)

    def configure_with_tasks(self, dry_run: bool = False) -> Dict[str, Optional[str]]:
        """Load the selected drivers the installer environment lacks; module -> outcome."""
        if not self.data.enabled:
            return {}
        # The installer goes on without them: a failure here is a warning, not the end of the install.
        try:
            sel = self.select()
            sel.load(dry_run=dry_run)
        except (OSError, ValueError) as e:   # ValueError: e.g. several kernels, none named
            self.warnings.append(f"loading drivers: {e}")
            return {}
        self.warnings.extend(sel.warnings)
        return {m.name: m.outcome for m in sel.modules}

    def module_lists(self, moddir: Path) -> "tuple[List[str], List[str]]":
        """(initramfs modules, explicit-load modules) for the kernel in MODDIR, with --add/--omit applied."""
        sel = self.select(moddir)
        self.warnings.extend(sel.warnings)
        initramfs = [m.name for m in sel.modules
                     if m.initramfs and not m.dependency and m.state not in _NOT_LISTED]
        explicit = [m.name for m in sel.modules if m.explicit_load and m.state not in _NOT_LISTED]
        if self.data.add_modules:
            have = tgt.kernel_module_names(moddir)
            for m in self.data.add_modules:
                if m.replace("-", "_") in have:
                    initramfs.append(m)
                    explicit.append(m)
                else:
                    self.warnings.append(f"--add-module={m}: not in the target kernel {moddir.name}; left out")
        omit = {m.replace("-", "_") for m in self.data.omit_modules}
        initramfs = _dedupe([m for m in initramfs if m.replace("-", "_") not in omit])
        explicit = _dedupe([m for m in explicit if m.replace("-", "_") not in omit])
        return initramfs, explicit

    def install_with_tasks(self, target_root: Path, kernel: Optional[str] = None) -> Dict[str, str]:
        """Write our files into TARGET_ROOT for its own kernel; relative path -> outcome.

        Outcomes: "written", "unchanged", or "refused: <why>" for a file that is not ours.
        """
        if not self.data.enabled:
            return {}
        root = Path(target_root)
        _, moddir = tgt.target_kernel(root, kernel)
        initramfs, explicit = self.module_lists(moddir)
        files = tgt.plan_files(root, initramfs, explicit, tgt.read_os_release(root))
        report = {}
        for rel, content in files.items():
            try:
                report[rel] = tgt.write_owned(root, rel, content)
            except tgt.TargetError as e:
                report[rel] = f"refused: {e}"
                self.warnings.append(str(e))
        return report
