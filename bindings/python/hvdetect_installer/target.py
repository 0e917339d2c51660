# SPDX-License-Identifier: LGPL-2.1-or-later
"""The installed system ("target root"): its distribution, its kernel, and the files we own in it."""
from __future__ import annotations

import os
import re
import shlex
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

# Every file we write starts with this line; a file without it is somebody else's and is never touched.
HEADER = "# Written by hvdetect (installer addon com_hvdetect). Do not edit: it is rewritten on reinstall.\n"

DRACUT_CONF = "etc/dracut.conf.d/90-hvdetect.conf"
MODULES_LOAD = "etc/modules-load.d/hvdetect.conf"
# initramfs-tools reads etc/initramfs-tools/modules (the administrator's, shipped by the package)
# and every file in usr/share/initramfs-tools/modules.d: the drop-in is the one we can own.
INITRAMFS_TOOLS = "usr/share/initramfs-tools/modules.d/hvdetect"

# Distribution families the driver database knows (hvd_selection_get_packages).
FAMILIES = ("rhel", "fedora", "debian", "ubuntu", "suse")
_FAMILY_OF_ID = {
    "rhel": "rhel", "centos": "rhel", "rocky": "rhel", "almalinux": "rhel", "ol": "rhel",
    "fedora": "fedora", "debian": "debian", "ubuntu": "ubuntu", "sles": "suse", "sled": "suse",
    "opensuse": "suse", "opensuse-leap": "suse", "opensuse-tumbleweed": "suse", "suse": "suse",
}


class TargetError(Exception):
    """The target root cannot be configured (no kernel, a foreign file in our place ...)."""


def read_os_release(root: Path) -> Dict[str, str]:
    """etc/os-release of ROOT (or usr/lib/os-release), as a dict; {} when absent."""
    for rel in ("etc/os-release", "usr/lib/os-release"):
        p = root / rel
        try:
            text = p.read_text(errors="replace")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue
        out = {}
        for line in text.splitlines()[:200]:
            m = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
            if not m:
                continue
            try:
                v = shlex.split(m.group(2))
            except ValueError:
                continue
            out[m.group(1)] = v[0] if v else ""
        return out
    return {}


def family_of(os_release: Dict[str, str]) -> Optional[str]:
    """The distribution family from ID, then ID_LIKE in order; None when unknown."""
    ids = [os_release.get("ID", "")] + os_release.get("ID_LIKE", "").split()
    for i in ids:
        fam = _FAMILY_OF_ID.get(i.lower())
        if fam:
            return fam
    return None


def is_debian_family(os_release: Dict[str, str]) -> bool:
    ids = [os_release.get("ID", "")] + os_release.get("ID_LIKE", "").split()
    return any(i in ("debian", "ubuntu") for i in ids)


def target_kernel(root: Path, version: Optional[str] = None) -> Tuple[str, Path]:
    """The target's kernel: (version, ROOT/lib/modules/VERSION). Several without VERSION is an error."""
    mods = root / "lib/modules"
    if version:
        d = mods / version
        if not (d / "modules.dep").exists() and not (d / "modules.dep.bin").exists():
            raise TargetError(f"{d}: no module tree with modules.dep (run depmod)")
        return version, d
    try:
        found = sorted(p.name for p in mods.iterdir() if (p / "modules.dep").exists() or (p / "modules.dep.bin").exists())
    except FileNotFoundError:
        found = []
    if not found:
        raise TargetError(f"{mods}: no installed kernel with a module tree")
    if len(found) > 1:
        raise TargetError(f"{mods}: several kernels ({', '.join(found)}); name one")
    return found[0], mods / found[0]


def kernel_module_names(moddir: Path) -> set:
    """Names (dashes as underscores) of the modules a kernel has, loadable or built in."""
    names = set()
    for f in ("modules.dep", "modules.builtin"):
        try:
            with open(moddir / f, errors="replace") as fh:
                for line in fh:
                    path = line.split(":", 1)[0].strip()
                    if path:
                        names.add(re.sub(r"\.ko(\.[a-z]+)?$", "", os.path.basename(path)).replace("-", "_"))
        except FileNotFoundError:
            pass
    return names


def render_dracut(modules: Iterable[str]) -> str:
    mods = " ".join(modules)
    return HEADER + (f'add_drivers+=" {mods} "\n' if mods else "")


def render_list(modules: Iterable[str]) -> str:
    return HEADER + "".join(f"{m}\n" for m in modules)


def write_owned(root: Path, rel: str, content: str) -> str:
    """Write ROOT/REL atomically unless it is somebody else's file.

    Returns "unchanged" (same content already there), "written", or raises
    TargetError when a file without our header is in the way.
    """
    path = root / rel
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise TargetError(f"{path}: not a regular file; left alone")
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = None
    if old is not None:
        if not old.startswith(HEADER.encode()):
            raise TargetError(f"{path}: exists and was not written by hvdetect; left alone")
        if old == content.encode():
            return "unchanged"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.rename(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return "written"


def plan_files(root: Path, initramfs: List[str], explicit: List[str], os_release: Dict[str, str]) -> Dict[str, str]:
    """Relative path -> content of every file the end-of-install hook owns for this target."""
    files = {DRACUT_CONF: render_dracut(initramfs), MODULES_LOAD: render_list(explicit)}
    if is_debian_family(os_release):
        files[INITRAMFS_TOOLS] = render_list(initramfs)
    return files
