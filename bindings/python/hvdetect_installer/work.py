# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the installer addon does, in Anaconda's order (docs/installer.md, A3 and part B):

    load_drivers()      "Installation environment setup": drivers for the installer itself
    requirements()      "Payload installation": guest-tools packages, before the target has any
    configure_target()  "Anaconda addon configuration", just before "Initramfs generation":
                        the target's dracut, modules-load and initramfs-tools files

No policy lives here. The library decides: what the machine is, what it needs, which
kernel and distribution a target root holds (its sysroot rules), what a module added or
omitted means, and what every file says (rendered with its provenance header). This
module only calls it, and writes the rendered files into the target without following a
link out of it.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import hvdetect

from .kickstart import HvdetectData

# The files we own in the target, by the library format rendered into each.
DRACUT_CONF = "etc/dracut.conf.d/90-hvdetect.conf"
MODULES_LOAD = "etc/modules-load.d/hvdetect.conf"
# initramfs-tools reads etc/initramfs-tools/modules (the administrator's file) and every file in
# usr/share/initramfs-tools/modules.d: the drop-in is the one we can own.
INITRAMFS_TOOLS = "usr/share/initramfs-tools/modules.d/hvdetect"
FILES = ((DRACUT_CONF, "dracut"), (MODULES_LOAD, "modules-load"), (INITRAMFS_TOOLS, "initramfs-tools"))
# The families whose initramfs is built by initramfs-tools (the library names the family).
_INITRAMFS_TOOLS_FAMILIES = ("debian", "ubuntu")


class InstallerError(Exception):
    """A step cannot be done: the message says why, naming what (a driver, a file)."""


@dataclass
class Machine:
    """What the installer runs on, and the database: the defaults are this machine and the
    installed database. SYSROOT/CPUID_DUMP replay a captured machine (tests, bug reports)."""
    sysroot: Optional[str] = None
    cpuid_dump: Optional[str] = None
    db_dirs: Optional[Tuple[Optional[str], Optional[str]]] = None
    moddir: Optional[str] = None      # the installer's own kernel tree (default: the running kernel's)
    _verdict: Optional[hvdetect.Verdict] = field(default=None, repr=False)

    def verdict(self) -> hvdetect.Verdict:
        if self._verdict is None:
            self._verdict = hvdetect.detect(sysroot=self.sysroot, cpuid_dump=self.cpuid_dump)
        return self._verdict


def _select(data: HvdetectData, machine: Machine, **kw) -> hvdetect.Selection:
    return hvdetect.select(machine.verdict(), hypervisor=data.hypervisor, db_dirs=machine.db_dirs, **kw)


def _library_error(what: str, e: Exception) -> InstallerError:
    return InstallerError(f"{what}: {e}")


# --- 1. the installation environment ---------------------------------------------------------

def load_drivers(data: HvdetectData, machine: Machine, dry_run: bool = False) -> Dict[str, object]:
    """Insert what the installer's own kernel lacks for this machine. Returns {"modules":
    [(name, tier, outcome)], "missing_boot": [names], "warnings": [...]}; a library error
    (no module tree, a bad database) raises InstallerError."""
    if not data.enabled:
        return {"modules": [], "missing_boot": [], "warnings": []}
    try:
        sel = _select(data, machine, portable=data.portable, moddir=machine.moddir,
                      add_modules=data.add_modules, omit_modules=data.omit_modules)
        sel.load(dry_run=dry_run)
    except (OSError, ValueError) as e:
        raise _library_error("loading drivers for the installation environment", e) from None
    # Boot-tier modules absent afterwards: the library's count, by name.
    absent = [m.name for m in sel.modules if m.tier == "boot" and m.outcome not in
              ("inserted", "would insert", "already loaded", "builtin")]
    return {"modules": [(m.name, m.tier, m.outcome) for m in sel.modules], "missing_boot": absent,
            "warnings": list(sel.warnings)}


# --- 2. requirements ---------------------------------------------------------------------------

def requirements(data: HvdetectData, machine: Machine, target_root: Optional[str]) -> Dict[str, object]:
    """Guest-tools packages, before the target has a kernel: {"family", "source", "packages",
    "warnings"}. The family is the kickstart's --distro, else the target's os-release (a
    target already holding one), else the installer's own os-release, each read by the library."""
    out: Dict[str, object] = {"family": None, "source": None, "packages": [], "warnings": []}
    if not data.enabled or not data.packages:
        return out
    try:
        # Packages follow the hypervisor, never --portable (that is about the initramfs).
        sel = _select(data, machine, target_root=target_root, packages_only=True)
        family, source = data.distro, "kickstart --distro"
        if family is None and target_root is not None and sel.distro:
            family, source = sel.distro, f"os-release of {target_root}"
        if family is None:
            own = _select(data, machine, packages_only=True)
            family, source = own.distro, "the installer's own os-release"
        if family is None:
            out["warnings"] = ["no distribution family: no os-release in the target or the installer, "
                               "and no --distro in the kickstart; no packages added"]
            return out
        out.update(family=family, source=source, packages=sel.packages_for(family))
    except (OSError, ValueError) as e:
        raise _library_error("collecting the guest-tools packages", e) from None
    return out


# --- 3. the target's configuration -------------------------------------------------------------

def configure_target(data: HvdetectData, machine: Machine, target_root: str,
                     kernels: Optional[Sequence[str]] = None) -> Dict[str, object]:
    """Select against each of the target's KERNELS (Anaconda's ConfigureBootloaderWithTasks
    names them; None: the library finds the target's only one), then write the library's
    renderings into the target. A kernel lacking a boot driver raises InstallerError naming it,
    unless the kickstart said --no-fail. Returns {"kernels", "files": {rel: outcome},
    "missing_boot": {kernel: [names]}, "warnings"}."""
    report: Dict[str, object] = {"kernels": [], "files": {}, "missing_boot": {}, "warnings": []}
    if not data.enabled:
        return report
    sels = []
    for k in (list(kernels) if kernels else [None]):
        try:
            sels.append(_select(data, machine, portable=data.portable, target_root=target_root, kernel=k,
                                add_modules=data.add_modules, omit_modules=data.omit_modules))
        except (OSError, ValueError) as e:
            raise _library_error(f"selecting drivers for the target {target_root}", e) from None
    warnings: List[str] = report["warnings"]  # type: ignore[assignment]
    missing: Dict[str, List[str]] = report["missing_boot"]  # type: ignore[assignment]
    for sel in sels:
        report["kernels"].append(sel.kernel)  # type: ignore[union-attr]
        warnings.extend(w for w in sel.warnings if w not in warnings)
        names = [m.name for m in sel.modules if m.missing_boot]
        if names:
            missing[sel.kernel or "?"] = names
    if missing and not data.no_fail:
        what = "; ".join(f"kernel {k} lacks {', '.join(v)}" for k, v in missing.items())
        raise InstallerError(f"the installed system cannot boot on this machine: {what} (boot-tier "
                             f"driver{'s' if sum(map(len, missing.values())) > 1 else ''}). Install a kernel "
                             f"that has them, or accept it with %addon com_hvdetect --no-fail")
    # The files do not depend on the kernel but for its built-in and missing modules: the first
    # kernel's (every kernel was checked above); its version is in the provenance line.
    sel = sels[0]
    files: Dict[str, str] = report["files"]  # type: ignore[assignment]
    for rel, fmt in FILES:
        if fmt == "initramfs-tools" and sel.distro not in _INITRAMFS_TOOLS_FAMILIES:
            continue
        try:
            content = sel.format(fmt)
        except (OSError, ValueError) as e:
            raise _library_error(f"rendering {rel}", e) from None
        files[rel] = write_in_root(target_root, rel, content)
    return report


# --- writing into the target: never through a link, never over someone else's file -------------

def _walk(root_fd: int, parts: List[str], path: str) -> int:
    """The directory ROOT/PARTS, created as needed, each component opened with O_NOFOLLOW:
    a link anywhere on the way (to /elsewhere, or ..) is refused, not followed."""
    fd = os.dup(root_fd)
    try:
        for p in parts:
            if p in ("", ".", ".."):
                raise InstallerError(f"{path}: bad path component {p!r}")
            flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
            try:
                nfd = os.open(p, flags, dir_fd=fd)
            except FileNotFoundError:
                os.mkdir(p, 0o755, dir_fd=fd)
                nfd = os.open(p, flags, dir_fd=fd)
            except OSError as e:
                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise InstallerError(f"{path}: {p} is a link or not a directory; "
                                         "refusing to write through it") from None
                raise
            os.close(fd)
            fd = nfd
        return fd
    except BaseException:
        os.close(fd)
        raise


def write_in_root(root: str, rel: str, content: str) -> str:
    """Write ROOT/REL atomically, resolving REL inside ROOT only. Returns "written" or
    "unchanged"; raises InstallerError for a link or a file the library did not render
    (one not starting with its provenance line is somebody else's: left alone)."""
    path = os.path.join(root, rel)
    *dirs, name = rel.split("/")
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        dfd = _walk(root_fd, dirs, path)
    finally:
        os.close(root_fd)
    try:
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd)
        except FileNotFoundError:
            old = None
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise InstallerError(f"{path}: a link; left alone") from None
            raise
        else:
            with os.fdopen(fd, "rb") as f:
                if not os.path.stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    raise InstallerError(f"{path}: not a regular file; left alone")
                old = f.read(1 << 20)
            if not old.startswith(hvdetect.FORMAT_HEADER.encode()):
                raise InstallerError(f"{path}: exists and was not written by hvdetect; left alone")
            if old == content.encode():
                return "unchanged"
        tmp = f".{name}.hvdetect-new"
        try:
            os.unlink(tmp, dir_fd=dfd)
        except FileNotFoundError:
            pass
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dfd)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=dfd)
            except OSError:
                pass
            raise
        return "written"
    finally:
        os.close(dfd)
