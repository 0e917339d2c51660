# SPDX-License-Identifier: LGPL-2.1-or-later
"""Which hypervisor is this Linux guest running on, and which drivers does it need.

    >>> import hvdetect
    >>> v = hvdetect.detect()
    >>> v.hypervisor, v.platform
    ('kvm', 'firecracker')

Errors: a bad argument (an unknown hypervisor name, output format or
distribution family; options that exclude each other) raises ValueError; the
library's other errors raise OSError with its errno (FileNotFoundError for a
missing file ...); the message is the library's located error of that very
call (e.g. the line of a malformed CPUID dump), paths in it decoded as
os.fsdecode() does.

Threads: verdicts and selections may be shared between threads; select() from
one verdict in several threads at once, each with its own moddir, kernel and
database (they are arguments of the call, never stored); Selection.load()
excludes the selection's readers while it runs.

Logging: the library's messages go to logging.getLogger("hvdetect") (a
NullHandler is attached; configure logging to see them).
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _hvdetect

# A library logs; the application decides where that goes (without a handler Python would print warnings).
logging.getLogger("hvdetect").addHandler(logging.NullHandler())

__all__ = [
    "DriverDisk", "Evidence", "FORMAT_HEADER", "TargetDisk", "Verdict", "check_target_disk", "detect",
    "find_driver_disks", "hypervisors", "library_version", "platform_hypervisor", "platforms",
    "selectable",
]

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

# How every file the library renders (dracut, modules-load, initramfs-tools) begins.
FORMAT_HEADER: str = _hvdetect.FORMAT_HEADER

_VERDICT_FIELDS = ("hypervisor", "platform", "generation", "firmware", "role", "confidential",
                   "systemd_id", "arch", "confidence")


def library_version() -> str:
    """The C library's version, e.g. '0.1.0'."""
    return _hvdetect.version()


def hypervisors() -> Tuple[str, ...]:
    """Every hypervisor identifier a verdict can give ('kvm', 'hyperv', ..., 'none', 'other')."""
    return _hvdetect.identifiers(_hvdetect.ID_HYPERVISOR)


def platforms() -> Tuple[str, ...]:
    """Every platform identifier a verdict can give ('azure', 'aws', 'openstack', ...)."""
    return _hvdetect.identifiers(_hvdetect.ID_PLATFORM)


def platform_hypervisor(platform: str) -> Optional[str]:
    """The hypervisor PLATFORM's VMs run on ('aws' -> 'kvm'); None when unknown or when it varies."""
    return _hvdetect.platform_hypervisor(platform)


def selectable(name: str) -> bool:
    """Whether select(hypervisor=NAME) accepts NAME: every hypervisor, and azure, aws, gce."""
    return _hvdetect.selectable(name)


class Evidence(NamedTuple):
    """One fact a source gave, and what the verdict made of it (VALUE is raw machine text)."""
    source: str
    key: str
    value: Optional[str]
    points_to: Optional[str]
    note: Optional[str]
    weight: int

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._asdict())


class Verdict:
    """The answer of one detection; see hvdetect.h for the identifier vocabularies."""

    __slots__ = _VERDICT_FIELDS + ("evidence", "_handle")

    hypervisor: str
    platform: Optional[str]
    generation: Optional[int]
    firmware: Optional[str]
    role: str
    confidential: Optional[str]
    systemd_id: str
    arch: Optional[str]
    confidence: int
    evidence: List[Evidence]

    def __init__(self, fields: Dict[str, Any], handle: Any = None) -> None:
        for name in _VERDICT_FIELDS:
            object.__setattr__(self, name, fields.get(name))
        object.__setattr__(self, "evidence", [Evidence(**e) for e in fields.get("evidence", [])])
        object.__setattr__(self, "_handle", handle)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Verdict is read-only")

    def to_dict(self) -> Dict[str, Any]:
        """Plain data (JSON-serialisable), evidence as a list of dicts."""
        d: Dict[str, Any] = {name: getattr(self, name) for name in _VERDICT_FIELDS}
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d

    def to_json(self) -> str:
        """The library's own JSON rendering (the same as detect-hypervisor --json)."""
        if self._handle is None:
            return json.dumps(self.to_dict()) + "\n"
        return _hvdetect.verdict_json(self._handle)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verdict) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = ", ".join(f"{n}={getattr(self, n)!r}" for n in _VERDICT_FIELDS)
        return f"Verdict({parts}, evidence=[{len(self.evidence)} items])"

    def __str__(self) -> str:
        s = self.hypervisor
        if self.platform:
            s += " / " + self.platform
        details = []
        if self.generation:
            details.append(f"generation {self.generation}")
        if self.firmware:
            details.append(self.firmware)
        if self.role and self.role not in ("guest", "none"):
            details.append(self.role)
        if self.confidential:
            details.append("confidential " + self.confidential)
        details.append(f"confidence {self.confidence}%")
        return f"{s} ({', '.join(details)})"


def detect(sysroot: Optional[PathLike] = None, cpuid_dump: Optional[PathLike] = None,
           no_live_cpuid: bool = False, dmidecode: Optional[PathLike] = None,
           boot_log: Optional[PathLike] = None) -> Verdict:
    """Detect the hypervisor of the running system, or of the captured tree SYSROOT.

    CPUID_DUMP replays `cpuid -1 -r` output; with a SYSROOT other than '/', live
    CPUID is never used. DMIDECODE (`dmidecode` output) and BOOT_LOG (dmesg,
    journalctl -k, a serial console) are a bug report's files: the verdict is the
    reported machine's, not this one's (with no SYSROOT nothing of this machine is
    read); evidence from them has the source "dmidecode" or "log" and a key
    "line N: ...". Raises OSError (e.g. FileNotFoundError) on library errors; text
    that is not dmidecode output is an OSError with errno EBADMSG and "FILE:LINE: why".
    """
    fields, handle = _hvdetect.detect(sysroot, cpuid_dump, no_live_cpuid, dmidecode, boot_log)
    return Verdict(fields, handle)


class DriverDisk(NamedTuple):
    """A driver-update disk: filesystem labelled OEMDRV. PARTNO 0 = the whole device/image."""
    device: str
    fstype: Optional[str]
    label: Optional[str]
    uuid: Optional[str]
    partno: int

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._asdict())


def find_driver_disks(paths: Optional[Sequence[PathLike]] = None,
                      sysroot: Optional[PathLike] = None) -> List[DriverDisk]:
    """Driver-update disks on PATHS (image files or devices), or on every block
    device of the running system when PATHS is None (none for a fixture SYSROOT)."""
    if paths is not None and isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    return [DriverDisk(**d) for d in _hvdetect.find_driver_disks(paths, sysroot)]


class TargetDisk(NamedTuple):
    """Layout of an installation target and whether the platform can boot it."""
    device: str
    table: str           # "gpt", "dos", "other" or "none"
    esp_partno: int      # first EFI system partition, 0 = none
    n_partitions: int
    uefi_only: bool      # the verdict's platform boots through UEFI only
    warning: Optional[str]

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._asdict())


def check_target_disk(path: PathLike, verdict: Optional[Verdict] = None) -> TargetDisk:
    """Check the target disk PATH against VERDICT's platform (no platform rule when None)."""
    handle = None
    if verdict is not None:
        handle = verdict._handle
        if handle is None:
            raise ValueError("verdict was not produced by hvdetect.detect()")
    return TargetDisk(**_hvdetect.check_target_disk(path, handle))


class Module(NamedTuple):
    """One module of a selection, in load order (see struct hvd_module in hvdetect.h)."""
    name: str
    tier: str                 # "boot" "network" "integration" "display"
    state: str                # "builtin" "loadable" "loaded" "missing" "blacklisted"
    reason: Optional[str]     # the rule, modalias, or "dependency of X"
    note: Optional[str]
    outcome: Optional[str]    # after load(): "inserted" "would insert" "already loaded" ...
    initramfs: bool
    explicit_load: bool
    dependency: bool
    omitted: bool = False       # left out by omit_modules
    missing_boot: bool = False  # a boot module the target lacks (or omitted): it cannot boot

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._asdict())


class Selection:
    """Modules and packages selected for a verdict against one kernel's module tree."""

    def __init__(self, fields: Dict[str, Any], handle: Any) -> None:
        self._handle = handle
        self._update(fields)

    def _update(self, fields: Dict[str, Any]) -> None:
        self.kernel: Optional[str] = fields["kernel"]
        self.moddir: Optional[str] = fields["moddir"]
        self.distro: Optional[str] = fields["distro"]
        self.missing_boot: int = fields["missing_boot"]
        self.packages: List[str] = fields["packages"]
        self.modules: List[Module] = [Module(**m) for m in fields["modules"]]
        self.warnings: List[str] = fields["warnings"]

    def packages_for(self, family: Optional[str]) -> List[str]:
        """Guest-tools packages for a distribution family (rhel fedora debian ubuntu suse)."""
        return _hvdetect.selection_packages(self._handle, family)

    def format(self, fmt: str) -> str:
        """The library's rendering: modules, packages, dracut, modules-load, initramfs-tools, json."""
        return _hvdetect.selection_format(self._handle, fmt)

    def load(self, dry_run: bool = False) -> int:
        """Insert the modules into the running kernel; returns the boot modules still missing."""
        missing, fields = _hvdetect.load(self._handle, dry_run)
        self._update(fields)
        return missing

    def to_dict(self) -> Dict[str, Any]:
        return {"kernel": self.kernel, "moddir": self.moddir, "distro": self.distro,
                "missing_boot": self.missing_boot, "packages": list(self.packages),
                "modules": [m.to_dict() for m in self.modules], "warnings": list(self.warnings)}

    def __repr__(self) -> str:
        return (f"Selection(kernel={self.kernel!r}, modules={[m.name for m in self.modules]!r}, "
                f"packages={self.packages!r}, missing_boot={self.missing_boot})")

    def __str__(self) -> str:
        lines = [f"kernel {self.kernel}"]
        for m in self.modules:
            reason = m.reason or ""
            reason = reason if len(reason) <= 60 else reason[:57] + "..."
            outcome = f" -> {m.outcome}" if m.outcome else ""
            lines.append(f"  {m.name:<24} {m.tier:<12} {m.state:<11} {reason}{outcome}")
        if self.packages:
            lines.append("packages: " + " ".join(self.packages))
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def select(verdict: Optional[Verdict] = None, *, hypervisor: Optional[str] = None, portable: bool = False,
           no_devices: bool = False, moddir: Optional[PathLike] = None, kernel: Optional[str] = None,
           db_dirs: Optional[Sequence[Optional[PathLike]]] = None, sysroot: Optional[PathLike] = None,
           cpuid_dump: Optional[PathLike] = None, target_root: Optional[PathLike] = None,
           add_modules: Optional[Sequence[str]] = None, omit_modules: Optional[Sequence[str]] = None,
           packages_only: bool = False) -> Selection:
    """Select drivers and packages for VERDICT (default: detect(sysroot, cpuid_dump)).

    HYPERVISOR selects for a named target instead (a hypervisor, or azure/aws/gce:
    see selectable());
    PORTABLE adds every hypervisor's boot drivers; MODDIR (a lib/modules/<version>
    directory) or KERNEL (a version in the sysroot) names the target kernel;
    DB_DIRS is (vendor_dir, admin_dir) of the driver database ("" for none).
    TARGET_ROOT is the system being installed: its kernel (KERNEL, or its only
    one, below lib/modules or usr/lib/modules) and its os-release, read by the
    sysroot rules; the verdict and devices stay this machine's. ADD_MODULES go
    into the initramfs and are loaded by name; OMIT_MODULES are marked omitted
    and left out of every format (an omitted boot module counts as missing).
    PACKAGES_ONLY opens no kernel: for the guest-tools packages alone.
    Each of these holds for this call only. Raises ValueError for an unknown
    HYPERVISOR or for both MODDIR and KERNEL, OSError for a missing module tree
    or database (FileNotFoundError) or a malformed database.
    """
    if verdict is None:
        verdict = detect(sysroot=sysroot, cpuid_dump=cpuid_dump)
    elif verdict._handle is None:
        raise ValueError("verdict was not produced by hvdetect.detect()")
    vendor_db, admin_db = (tuple(db_dirs) + (None, None))[:2] if db_dirs is not None else (None, None)
    fields, handle = _hvdetect.select(verdict._handle, hypervisor, portable, no_devices, moddir, kernel,
                                      vendor_db, admin_db, target_root, add_modules, omit_modules, packages_only)
    return Selection(fields, handle)


def load(selection: Optional[Selection] = None, *, dry_run: bool = False, **select_args: Any) -> Selection:
    """Load SELECTION's modules (default: select(**select_args)) into the running kernel.

    Every module's outcome is set; Selection.missing_boot counts the boot modules
    still absent afterwards. OSError(EXDEV) when the selection is for another kernel.
    """
    if selection is None:
        selection = select(**select_args)
    selection.load(dry_run=dry_run)
    return selection


__all__ += ["Module", "Selection", "load", "select"]
