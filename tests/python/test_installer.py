# SPDX-License-Identifier: LGPL-2.1-or-later
"""The installer addon: kickstart section, package hook, end-of-install files on real target roots."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixture_trees as ft  # noqa: E402

from hvdetect_installer import (HEADER, AddonData, HvdetectAddon, KickstartError,  # noqa: E402
                                family_of, parse_kickstart, read_os_release)
from hvdetect_installer import target as tgt  # noqa: E402

DB = (str(ft.SRCDIR / "data/drivers.d"), "")

# -- kickstart --------------------------------------------------------------------------------

KS = """# a kickstart
lang en_US.UTF-8
%packages
@core
%end
%addon org_other --x
stuff
%end
%addon com_hvdetect --portable --hypervisor=hyperv --add-module=nbd --add-module dm_crypt,loop --omit-module=hv_balloon --no-packages
# comments are fine
%end
"""


def test_kickstart_parse_and_write_back():
    d = parse_kickstart(KS)
    assert (d.enabled, d.packages, d.portable, d.hypervisor) == (True, False, True, "hyperv")
    assert d.add_modules == ["nbd", "dm_crypt", "loop"]
    assert d.omit_modules == ["hv_balloon"]
    out = d.to_kickstart()
    assert out.startswith("%addon com_hvdetect ") and out.endswith("%end\n")
    again = parse_kickstart(out)
    assert again == d and again.same_meaning(d)


def test_kickstart_hypervisor_names_come_from_the_library():
    import hvdetect
    from hvdetect_installer.kickstart import HYPERVISORS
    assert HYPERVISORS == set(hvdetect.hypervisors()) | {"azure", "aws", "gce"}
    d = parse_kickstart("%addon com_hvdetect --hypervisor=gce\n%end\n")
    assert d.hypervisor == "gce"
    # A platform the library knows, but cannot select for: rejected like any unknown name.
    with pytest.raises(KickstartError, match="unknown name 'oracle'"):
        parse_kickstart("%addon com_hvdetect --hypervisor=oracle\n%end\n")


def test_kickstart_defaults_and_disable():
    assert parse_kickstart("lang C\n") == AddonData()
    d = parse_kickstart("%addon com_hvdetect --disable\n%end\n")
    assert not d.enabled and parse_kickstart(d.to_kickstart()) == d


@pytest.mark.parametrize("text,line,words", [
    ("%addon com_hvdetect --frobnicate\n%end\n", 1, "unknown option '--frobnicate'"),
    ("lang C\n\n%addon com_hvdetect --hypervisor\n%end\n", 3, "--hypervisor needs a value"),
    ("%addon com_hvdetect --hypervisor=hyper-v\n%end\n", 1, "unknown name 'hyper-v'"),
    ("%addon com_hvdetect --add-module=../evil\n%end\n", 1, "not a module name"),
    ("%addon com_hvdetect --add-module=a --omit-module=a\n%end\n", 1, "both added and omitted"),
    ("%addon com_hvdetect --portable=yes\n%end\n", 1, "takes no value"),
    ("x\n%addon com_hvdetect\n", 2, "without %end"),
    ("%addon com_hvdetect\nsomething\n%end\n", 2, "takes no content"),
    ("%addon com_hvdetect\n%end\n%addon com_hvdetect\n%end\n", 3, "a second"),
    ("%addon com_hvdetect\n%packages\n%end\n", 2, "missing %end"),
    ("%addon com_hvdetect --hypervisor='kvm\n%end\n", 1, "cannot split"),
])
def test_kickstart_errors_name_the_line(text, line, words):
    with pytest.raises(KickstartError) as e:
        parse_kickstart(text)
    assert e.value.lineno == line
    assert words in str(e.value) and f"line {line}" in str(e.value)


def test_os_release_families(tmp_path):
    for text, fam in [(ft.DEBIAN_OS_RELEASE, "debian"), (ft.ROCKY_OS_RELEASE, "rhel"),
                      (ft.FEDORA_OS_RELEASE, "fedora"), ("ID=plan9\n", None)]:
        ft.write(tmp_path, "etc/os-release", text)
        assert family_of(read_os_release(tmp_path)) == fam
    assert read_os_release(tmp_path / "nothing") == {}


def test_owned_files_are_atomic_and_never_foreign(tmp_path):
    assert tgt.write_owned(tmp_path, "etc/x.conf", HEADER + "a\n") == "written"
    assert tgt.write_owned(tmp_path, "etc/x.conf", HEADER + "a\n") == "unchanged"
    assert tgt.write_owned(tmp_path, "etc/x.conf", HEADER + "b\n") == "written"
    assert (tmp_path / "etc/x.conf").read_text() == HEADER + "b\n"
    ft.write(tmp_path, "etc/admin.conf", "mine\n")
    with pytest.raises(tgt.TargetError):
        tgt.write_owned(tmp_path, "etc/admin.conf", HEADER)
    assert (tmp_path / "etc/admin.conf").read_text() == "mine\n"
    assert sorted(p.name for p in (tmp_path / "etc").iterdir()) == ["admin.conf", "x.conf"]  # no temp left


# -- against the real Debian kernel -------------------------------------------------------------

@pytest.fixture(scope="module")
def kernel():
    k = ft.kernel_tree()
    if k is None:
        pytest.skip("no cached Debian kernel (tests/kernel/fetch-kernel)")
    return k


@pytest.fixture
def gen2(tmp_path):
    return ft.make_hyperv_gen2(tmp_path / "machine")


def _dracut_modules(root: Path):
    text = (root / tgt.DRACUT_CONF).read_text()
    assert text.startswith(HEADER)
    line = [l for l in text.splitlines() if l.startswith("add_drivers+=")]
    assert len(line) == 1
    return line[0].split('"')[1].split()


def _snapshot(root: Path):
    return {str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink() and "lib/modules" not in str(p)}


def test_end_of_install_hyperv_gen2(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.DEBIAN_OS_RELEASE)
    ft.write(root, "etc/dracut.conf.d/50-admin.conf", 'omit_drivers+=" floppy "\n')
    admin_before = os.stat(root / "etc/dracut.conf.d/50-admin.conf")
    addon = HvdetectAddon(sysroot=str(gen2), db_dirs=DB)
    report = addon.install_with_tasks(root)
    assert report == {tgt.DRACUT_CONF: "written", tgt.MODULES_LOAD: "written", tgt.INITRAMFS_TOOLS: "written"}
    mods = _dracut_modules(root)
    for m in ("hv_vmbus", "hv_storvsc", "hv_netvsc", "hyperv_keyboard"):
        assert m in mods
    assert "virtio_blk" not in mods
    it = (root / tgt.INITRAMFS_TOOLS).read_text().splitlines()
    assert it[0] + "\n" == HEADER and set(it[1:]) == set(mods)
    # Device-less modules are loaded by name at boot.
    assert "hv_sock" in (root / tgt.MODULES_LOAD).read_text().split()

    before = _snapshot(root)
    again = HvdetectAddon(sysroot=str(gen2), db_dirs=DB).install_with_tasks(root)
    assert set(again.values()) == {"unchanged"}
    assert _snapshot(root) == before
    after = os.stat(root / "etc/dracut.conf.d/50-admin.conf")
    assert (after.st_ino, after.st_mtime_ns) == (admin_before.st_ino, admin_before.st_mtime_ns)
    assert (root / "etc/dracut.conf.d/50-admin.conf").read_text() == 'omit_drivers+=" floppy "\n'


def test_end_of_install_portable(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.FEDORA_OS_RELEASE)
    data = AddonData(portable=True, add_modules=["nbd", "no_such_module"], omit_modules=["hyperv_keyboard"])
    addon = HvdetectAddon(data, sysroot=str(gen2), db_dirs=DB)
    report = addon.install_with_tasks(root)
    assert tgt.INITRAMFS_TOOLS not in report  # not a Debian-family target
    mods = _dracut_modules(root)
    # Portable adds the others' boot drivers to this target's own (hv_netvsc stays).
    for m in ("hv_vmbus", "hv_storvsc", "hv_netvsc", "virtio_blk", "virtio_scsi", "vmw_pvscsi", "nbd"):
        assert m in mods
    assert "hyperv_keyboard" not in mods and "no_such_module" not in mods
    assert any("no_such_module" in w for w in addon.warnings)


def test_foreign_file_is_refused_and_kept(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.DEBIAN_OS_RELEASE)
    ft.write(root, tgt.DRACUT_CONF, "# the administrator's\n")
    report = HvdetectAddon(sysroot=str(gen2), db_dirs=DB).install_with_tasks(root)
    assert report[tgt.DRACUT_CONF].startswith("refused")
    assert report[tgt.MODULES_LOAD] == "written"
    assert (root / tgt.DRACUT_CONF).read_text() == "# the administrator's\n"


def test_disabled_writes_nothing(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.DEBIAN_OS_RELEASE)
    addon = HvdetectAddon(AddonData(enabled=False), sysroot=str(gen2), db_dirs=DB)
    assert addon.install_with_tasks(root) == {} and addon.collect_requirements(root) == []
    assert not (root / "etc/dracut.conf.d").exists()


def test_packages_for_the_target_distribution(tmp_path, kernel, gen2):
    deb = ft.make_target(tmp_path / "deb", kernel, ft.DEBIAN_OS_RELEASE)
    rocky = ft.make_target(tmp_path / "rocky", kernel, ft.ROCKY_OS_RELEASE)
    addon = HvdetectAddon(sysroot=str(gen2), db_dirs=DB)
    assert "hyperv-daemons" in addon.collect_requirements(deb)
    assert "hyperv-daemons" in addon.collect_requirements(rocky)
    assert HvdetectAddon(AddonData(packages=False), sysroot=str(gen2), db_dirs=DB).collect_requirements(deb) == []
    vmw = HvdetectAddon(AddonData(hypervisor="vmware"), sysroot=str(gen2), db_dirs=DB)
    assert "open-vm-tools" in vmw.collect_requirements(deb)


def test_start_of_install_hook_never_raises():
    addon = HvdetectAddon(db_dirs=DB)
    outcomes = addon.configure_with_tasks(dry_run=True)
    # Either the drivers were looked at, or the reason they could not be is a warning.
    assert outcomes or addon.warnings


def _cli(*args, check=True):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "hvdetect_installer", *args], capture_output=True,
                          text=True, env=env, check=check)


def test_command_form(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.DEBIAN_OS_RELEASE)
    ks = tmp_path / "ks.cfg"
    ks.write_text("%addon com_hvdetect --portable\n%end\n")
    common = ["--sysroot", str(gen2), "--db-dir", DB[0], "--kickstart", str(ks)]
    r = _cli(*common, "configure", "--target", str(root))
    assert "written" in r.stdout and "vmw_pvscsi" in _dracut_modules(root)
    r = _cli(*common, "configure", "--target", str(root))
    assert "written" not in r.stdout and r.stdout.count("unchanged") == 3
    r = _cli(*common, "packages", "--target", str(root))
    assert "hyperv-daemons" in r.stdout.split()
    ks.write_text("lang C\n%addon com_hvdetect --bogus\n%end\n")
    r = _cli("kickstart", str(ks), check=False)
    assert r.returncode == 2 and "line 2" in r.stderr
    ft.write(root, tgt.MODULES_LOAD, "not ours\n")
    r = _cli("--sysroot", str(gen2), "--db-dir", DB[0], "configure", "--target", str(root), check=False)
    assert r.returncode == 1 and "refused" in r.stdout
