# SPDX-License-Identifier: LGPL-2.1-or-later
"""Command form of the installer addon, for kickstart %pre/%post scripts and other installers.

    python3 -m hvdetect_installer [OPTIONS] packages [--target ROOT]
    python3 -m hvdetect_installer [OPTIONS] load [--dry-run] [--moddir DIR]
    python3 -m hvdetect_installer [OPTIONS] configure --target ROOT [--kernel VER]...
    python3 -m hvdetect_installer kickstart FILE          (validate; print the section back)
    python3 -m hvdetect_installer driver-disks [PATH...]
    python3 -m hvdetect_installer check-disk PATH

OPTIONS are the kickstart section's (--disable --no-packages --portable --no-fail
--hypervisor=NAME --distro=FAMILY --add-module=M --omit-module=M), plus --kickstart FILE to
start from a kickstart's section, and --sysroot/--cpuid-dump/--db-dir to describe the machine.
The same steps as the Anaconda addon, in its order (docs/installer.md). Exit 0 success,
1 a problem (a boot driver missing from the target or the installer, a file that is not
ours), 2 usage, kickstart or library error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

import hvdetect

from .kickstart import HvdetectData, KickstartParseError, parse_kickstart
from .work import InstallerError, Machine, configure_target, load_drivers, requirements

PROG = "python3 -m hvdetect_installer"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="hvdetect for installers.",
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--kickstart", metavar="FILE", help="read the %%addon com_hvdetect section of FILE first")
    p.add_argument("--disable", action="store_true")
    p.add_argument("--no-packages", action="store_true")
    p.add_argument("--portable", action="store_true", help="also the boot drivers of every other hypervisor")
    p.add_argument("--no-fail", action="store_true", help="configure a target whose kernel lacks a boot driver")
    p.add_argument("--hypervisor", metavar="NAME")
    p.add_argument("--distro", metavar="FAMILY")
    p.add_argument("--add-module", metavar="M", action="append", default=[])
    p.add_argument("--omit-module", metavar="M", action="append", default=[])
    p.add_argument("--sysroot", metavar="DIR", help="detect the machine captured in DIR")
    p.add_argument("--cpuid-dump", metavar="FILE")
    p.add_argument("--db-dir", metavar="DIR", help="driver database directory (instead of the installed one)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("packages", help="packages to add to the installation")
    s.add_argument("--target", metavar="ROOT", help="the installed system's root (its os-release, if it has one)")
    s = sub.add_parser("load", help="load the drivers this environment lacks")
    s.add_argument("--dry-run", action="store_true")
    s.add_argument("--moddir", metavar="DIR", help="this environment's kernel tree (default: the running one's)")
    s = sub.add_parser("configure", help="write initramfs and modules-load files into the target")
    s.add_argument("--target", metavar="ROOT", required=True)
    s.add_argument("--kernel", metavar="VERSION", action="append", default=[],
                   help="a kernel of the target (repeat for several; default: its only one)")
    s = sub.add_parser("kickstart", help="validate FILE's section and print it back")
    s.add_argument("file", metavar="FILE")
    s = sub.add_parser("driver-disks", help="list driver-update disks (label OEMDRV)")
    s.add_argument("paths", metavar="PATH", nargs="*")
    s = sub.add_parser("check-disk", help="check an installation target disk")
    s.add_argument("path", metavar="PATH")
    return p


def _data(args: argparse.Namespace) -> HvdetectData:
    data = HvdetectData()
    if args.kickstart:
        parse_kickstart(Path(args.kickstart).read_text(), data)
    # Command-line options go through the kickstart section's own parser: one set of rules.
    opts = []
    opts += ["--disable"] if args.disable else []
    opts += ["--no-packages"] if args.no_packages else []
    opts += ["--portable"] if args.portable else []
    opts += ["--no-fail"] if args.no_fail else []
    opts += [f"--hypervisor={args.hypervisor}"] if args.hypervisor else []
    opts += [f"--distro={args.distro}"] if args.distro else []
    opts += [f"--add-module={m}" for m in args.add_module] + [f"--omit-module={m}" for m in args.omit_module]
    if opts:
        merged = HvdetectData()
        merged.handle_header(data.options() + opts, None)
        data = merged
    return data


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "kickstart":
            print(str(parse_kickstart(Path(args.file).read_text())).lstrip("\n"), end="")
            return 0
        if args.command == "driver-disks":
            for d in hvdetect.find_driver_disks(args.paths or None, sysroot=args.sysroot):
                part = f" partition {d.partno}" if d.partno else ""
                print(f"{d.device}{part}\t{d.fstype}\t{d.label}\t{d.uuid or ''}")
            return 0
        data = _data(args)
        machine = Machine(sysroot=args.sysroot, cpuid_dump=args.cpuid_dump,
                          db_dirs=(args.db_dir, "") if args.db_dir else None,
                          moddir=getattr(args, "moddir", None))
        rc = 0
        warnings: List[str] = []
        if args.command == "check-disk":
            t = hvdetect.check_target_disk(args.path, machine.verdict())
            print(f"{t.device}: table {t.table}, EFI system partition {t.esp_partno if t.esp_partno else 'none'}")
            if t.warning:
                warnings.append(t.warning)
                rc = 1
        elif args.command == "packages":
            r = requirements(data, machine, args.target)
            print("".join(f"{p}\n" for p in r["packages"]), end="")
            warnings += r["warnings"]
        elif args.command == "load":
            r = load_drivers(data, machine, dry_run=args.dry_run)
            for name, tier, outcome in r["modules"]:
                print(f"{name}\t{tier}\t{outcome}")
            warnings += r["warnings"]
            if r["missing_boot"]:
                warnings.append("boot-tier drivers absent afterwards: " + ", ".join(r["missing_boot"]))
                rc = 1
        elif args.command == "configure":
            try:
                r = configure_target(data, machine, args.target, args.kernel or None)
            except InstallerError as e:
                print(f"{PROG}: {e}", file=sys.stderr)
                return 1
            for rel, outcome in r["files"].items():
                print(f"{rel}\t{outcome}")
            warnings += r["warnings"]
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        return rc
    except KickstartParseError as e:
        where = args.kickstart or getattr(args, "file", None) or "options"
        line = f":{e.lineno}" if getattr(e, "lineno", None) else ""
        print(f"{PROG}: {where}{line}: {getattr(e, 'value', e)}", file=sys.stderr)
        return 2
    except InstallerError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1 if "left alone" in str(e) else 2
    except (OSError, ValueError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
