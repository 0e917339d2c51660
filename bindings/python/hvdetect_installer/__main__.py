# SPDX-License-Identifier: LGPL-2.1-or-later
"""Command form of the installer addon, for kickstart %pre/%post scripts and other installers.

    python3 -m hvdetect_installer [OPTIONS] packages --target /mnt/sysimage
    python3 -m hvdetect_installer [OPTIONS] load [--dry-run]
    python3 -m hvdetect_installer [OPTIONS] configure --target /mnt/sysimage [--kernel VER]
    python3 -m hvdetect_installer kickstart FILE          (validate; print the section back)
    python3 -m hvdetect_installer driver-disks [PATH...]
    python3 -m hvdetect_installer check-disk PATH

OPTIONS are the kickstart section's (--disable --no-packages --portable --hypervisor=NAME
--add-module=M --omit-module=M), plus --kickstart FILE to start from a kickstart's section,
and --sysroot/--cpuid-dump/--db-dir to describe the machine. Exit 0 success, 1 a problem
(a refused file, a missing boot driver), 2 usage or library error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

import hvdetect

from .addon import HvdetectAddon
from .kickstart import HYPERVISORS, AddonData, KickstartError, parse_header, parse_kickstart
from .target import TargetError

PROG = "python3 -m hvdetect_installer"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="hvdetect for installers.",
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--kickstart", metavar="FILE", help="read the %%addon com_hvdetect section of FILE first")
    p.add_argument("--disable", action="store_true")
    p.add_argument("--no-packages", action="store_true")
    p.add_argument("--portable", action="store_true", help="also the boot drivers of every other hypervisor")
    p.add_argument("--hypervisor", metavar="NAME", choices=sorted(HYPERVISORS))
    p.add_argument("--add-module", metavar="M", action="append", default=[])
    p.add_argument("--omit-module", metavar="M", action="append", default=[])
    p.add_argument("--sysroot", metavar="DIR", help="detect the machine captured in DIR")
    p.add_argument("--cpuid-dump", metavar="FILE")
    p.add_argument("--db-dir", metavar="DIR", help="driver database directory (instead of the installed one)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("packages", help="packages to add to the installation")
    s.add_argument("--target", metavar="ROOT", help="the installed system's root (its os-release)")
    s = sub.add_parser("load", help="load the drivers this environment lacks")
    s.add_argument("--dry-run", action="store_true")
    s = sub.add_parser("configure", help="write initramfs and modules-load files into the target")
    s.add_argument("--target", metavar="ROOT", required=True)
    s.add_argument("--kernel", metavar="VERSION", help="when the target has several kernels")
    s = sub.add_parser("kickstart", help="validate FILE's section and print it back")
    s.add_argument("file", metavar="FILE")
    s = sub.add_parser("driver-disks", help="list driver-update disks (label OEMDRV)")
    s.add_argument("paths", metavar="PATH", nargs="*")
    s = sub.add_parser("check-disk", help="check an installation target disk")
    s.add_argument("path", metavar="PATH")
    return p


def _addon_data(args: argparse.Namespace) -> AddonData:
    data = AddonData()
    if args.kickstart:
        data = parse_kickstart(Path(args.kickstart).read_text())
    # Command-line options go through the kickstart parser: one set of rules and messages.
    opts = ["%addon", "com_hvdetect"]
    opts += ["--disable"] if args.disable else []
    opts += ["--no-packages"] if args.no_packages else []
    opts += ["--portable"] if args.portable else []
    opts += [f"--hypervisor={args.hypervisor}"] if args.hypervisor else []
    opts += [f"--add-module={m}" for m in args.add_module] + [f"--omit-module={m}" for m in args.omit_module]
    import shlex
    return parse_header(shlex.join(opts), 0, data)


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "kickstart":
            print(parse_kickstart(Path(args.file).read_text()).to_kickstart(), end="")
            return 0
        if args.command == "driver-disks":
            for d in hvdetect.find_driver_disks(args.paths or None, sysroot=args.sysroot):
                part = f" partition {d.partno}" if d.partno else ""
                print(f"{d.device}{part}\t{d.fstype}\t{d.label}\t{d.uuid or ''}")
            return 0
        data = _addon_data(args)
        db = (args.db_dir, "") if args.db_dir else None
        addon = HvdetectAddon(data, sysroot=args.sysroot, cpuid_dump=args.cpuid_dump, db_dirs=db)
        rc = 0
        if args.command == "check-disk":
            t = hvdetect.check_target_disk(args.path, addon.verdict)
            print(f"{t.device}: table {t.table}, EFI system partition "
                  f"{t.esp_partno if t.esp_partno else 'none'}")
            if t.warning:
                print(f"warning: {t.warning}", file=sys.stderr)
                rc = 1
        elif args.command == "packages":
            for pkg in addon.collect_requirements(Path(args.target) if args.target else None):
                print(pkg)
        elif args.command == "load":
            for name, outcome in addon.configure_with_tasks(dry_run=args.dry_run).items():
                print(f"{name}\t{outcome}")
        elif args.command == "configure":
            report = addon.install_with_tasks(Path(args.target), args.kernel)
            for rel, outcome in report.items():
                print(f"{rel}\t{outcome}")
            rc = 1 if any(o.startswith("refused") for o in report.values()) else 0
        for w in addon.warnings:
            print(f"warning: {w}", file=sys.stderr)
        return rc
    except KickstartError as e:
        print(f"{PROG}: {args.kickstart or getattr(args, 'file', 'options')}: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, TargetError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
