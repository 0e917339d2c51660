# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Anaconda addon, driven the way Anaconda's Boss drives it (issue 14, "done when").

A private bus is set up as Anaconda's is (docs/installer.md A1: every own and method call
denied, the addon's shipped .conf punching its holes, its .service activating it), the Boss
stand-in below starts the service by name, hands it the %addon part of a kickstart, and calls
the kickstart-module methods in the installation queue's order (A3), starting and finishing
each published Task over D-Bus and reading its result or error:

    ReadKickstart                 the section, %end with a comment
    ConfigureWithTasks (1)        drivers for the installation environment (dry run, the stub kernel)
    CollectRequirements (5)       packages, while the target root is still empty
    -- payload: the target gets an os-release and a kernel (tests/modtree/mkmodtree.py, depmod) --
    ConfigureBootloaderWithTasks (7)  the installed kernels
    InstallWithTasks (14)         the target's dracut/modules-load/initramfs-tools files
    ... a target kernel without virtio_blk: the install task fails naming it; --no-fail accepts it

Skipped without dbus-daemon, dasbus or PyGObject (.ci/install-deps --test installs them).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixture_trees as ft  # noqa: E402

sys.path.insert(0, str(ft.SRCDIR / "tests/modtree"))
import mkmodtree  # noqa: E402

dasbus = pytest.importorskip("dasbus.connection")
pytest.importorskip("gi")
if not shutil.which("dbus-daemon"):
    pytest.skip("dbus-daemon missing (Debian package dbus-daemon)", allow_module_level=True)

from dasbus.connection import AddressedMessageBus  # noqa: E402
from dasbus.error import DBusError  # noqa: E402

MODTREE = Path(os.environ.get("HVD_MODTREE", ""))
pytestmark = pytest.mark.skipif(not (MODTREE / "stamp").exists(),
                                reason="no module trees: run through ctest (fixture modtree)")

NAME = "org.fedoraproject.Anaconda.Addons.Hvdetect"
PATH = "/org/fedoraproject/Anaconda/Addons/Hvdetect"
KA = mkmodtree.KERNEL_A
K_NO_BLK = "6.1.0-9-noblk"

KICKSTART = """# an installation
lang en_US.UTF-8
%packages
@core
%end
%addon org_fedora_other --anything
text of another addon
%end

%addon com_hvdetect --add-module=virtio-console   # the header's comment goes
%end  # done
"""


def kvm_machine(root: Path) -> Path:
    """The machine the installer runs on: a KVM guest with virtio block and network, and the
    installer's own os-release (Fedora)."""
    w = ft.write
    w(root, "cpuid.txt", "CPU:\n   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n")
    w(root, "sys/class/dmi/id/sys_vendor", "QEMU\n")
    w(root, "sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n")
    w(root, "sys/bus/pci/devices/0000:00:02.0/modalias", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n")
    w(root, "sys/bus/pci/devices/0000:00:03.0/modalias", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00\n")
    w(root, "sys/bus/virtio/devices/virtio0/modalias", "virtio:d00000001v00001AF4\n")
    w(root, "sys/bus/virtio/devices/virtio1/modalias", "virtio:d00000002v00001AF4\n")
    w(root, "etc/os-release", ft.FEDORA_OS_RELEASE)
    return root


def install_kernel(target: Path, version: str, missing=()) -> None:
    """The payload's kernel, below usr/lib/modules (a root whose lib is not a link yet)."""
    moddir = mkmodtree.build_kernel(str(target / "usr"), version, mkmodtree.BUILTIN, list(missing))
    ft.run_tool("depmod", "-b", str(target / "usr"), version, cwd=target)
    assert (Path(moddir) / "modules.dep").exists()


class Bus:
    """A private bus shaped like Anaconda's (A1): deny own="*" and method calls by default, the
    addon's .conf from data/anaconda included, its .service in the service dir (Exec: this python,
    since start-module is Anaconda's), the test's environment handed to the activated service."""

    def __init__(self, tmp: Path, env: dict) -> None:
        confs, services = tmp / "confs", tmp / "services"
        confs.mkdir()
        services.mkdir()
        shutil.copy(ft.SRCDIR / f"data/anaconda/{NAME}.conf", confs)
        svc = (ft.SRCDIR / f"data/anaconda/{NAME}.service").read_text()
        assert "Exec=/usr/libexec/anaconda/start-module com_hvdetect.service" in svc
        (services / f"{NAME}.service").write_text(
            svc.replace("/usr/libexec/anaconda/start-module com_hvdetect.service",
                        f"{sys.executable} -m com_hvdetect.service"))
        # The shipped .conf opens the name to root; another user running the tests gets the same hole.
        me = "" if os.getuid() == 0 else f'<policy user="{os.getuid()}"><allow own="{NAME}"/></policy>'
        (tmp / "bus.conf").write_text(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_destination="org.freedesktop.DBus"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
  </policy>
  {me}
  <includedir>{confs}</includedir>
</busconfig>
""")
        self.log = open(tmp / "bus.log", "w")
        self.proc = subprocess.Popen(["dbus-daemon", f"--config-file={tmp / 'bus.conf'}", "--nofork",
                                      "--print-address"], stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     env=env)
        self.address = self.proc.stdout.readline().strip()
        assert self.address, (tmp / "bus.log").read_text()
        self.bus = AddressedMessageBus(self.address)

    def close(self) -> None:
        self.bus.disconnect()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


class Boss:
    """What Anaconda's Boss does with an addon, from the contract (A2, A3)."""

    def __init__(self, bus: AddressedMessageBus) -> None:
        self.bus = bus
        # StartModulesWithTask: StartServiceByName for every activatable Addons.* name.
        assert NAME in bus.proxy.ListActivatableNames()
        assert bus.proxy.StartServiceByName(NAME, 0) in (1, 2)
        self.addon = bus.get_proxy(NAME, PATH, interface_name="org.fedoraproject.Anaconda.Modules")
        self.own = bus.get_proxy(NAME, PATH, interface_name=NAME)

    def read_kickstart(self, text: str) -> dict:
        """ReadKickstartFile: the parts this module claims (KickstartAddons) go to its ReadKickstart."""
        assert self.addon.KickstartAddons == ["com_hvdetect"]
        report = self.addon.ReadKickstart(claimed_part(text, "com_hvdetect"))
        return {k: vals.unpack() for k, vals in report.items()}

    def run_tasks(self, paths) -> list:
        """DBusTask: Start, wait for it to stop, Finish (raises the task's error), GetResult."""
        results = []
        for p in paths:
            assert p.startswith(PATH + "/Task/"), p
            task = self.bus.get_proxy(NAME, p, interface_name="org.fedoraproject.Anaconda.Task")
            assert task.Name
            task.Start()
            deadline = time.monotonic() + 60
            while task.IsRunning and time.monotonic() < deadline:
                time.sleep(0.02)
            task.Finish()
            results.append(json.loads(task.GetResult().unpack()))
        return results


def claimed_part(text: str, name: str) -> str:
    """The Boss's kickstart manager: the %addon NAME sections, as written (header comments included)."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        words = line.split()
        if not inside and words[:2] == ["%addon", name]:
            inside = True
        if inside:
            out.append(line)
            if words[:1] == ["%end"]:
                inside = False
    return "".join(out)


@pytest.fixture
def setup(tmp_path):
    machine = kvm_machine(tmp_path / "machine")
    target = tmp_path / "sysroot"
    target.mkdir()
    env = dict(os.environ,
               PYTHONPATH=os.environ.get("PYTHONPATH", ""),
               HVDETECT_ADDON_SYSROOT=str(machine),
               HVDETECT_ADDON_DB_DIR=str(ft.SRCDIR / "tests/modtree/drivers.d"),
               HVDETECT_ADDON_MODDIR=str(MODTREE / "lib/modules" / KA),
               HVDETECT_ADDON_DRY_RUN="1",
               HVDETECT_ADDON_TARGET=str(target))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    bus = Bus(tmp_path, env)
    yield bus, target, tmp_path
    bus.close()


def test_the_boss_drives_the_addon_in_anacondas_order(setup):
    bus, target, tmp = setup
    boss = Boss(bus.bus)

    # Kickstart: the section with comments on its header and its %end.
    report = boss.read_kickstart(KICKSTART)
    assert report["error-messages"] == [], report
    assert boss.own.Options == ["--add-module=virtio-console"]
    assert boss.addon.GenerateKickstart() == "\n%addon com_hvdetect --add-module=virtio-console\n%end\n"

    # 1. Installation environment setup: drivers for the installer's own kernel, reported.
    paths = boss.addon.ConfigureWithTasks()
    assert len(paths) == 1
    (loaded,) = boss.run_tasks(paths)
    outcomes = {name: [tier, outcome] for name, tier, outcome in loaded["modules"]}
    assert outcomes["virtio_blk"] == ["boot", "would insert"]
    assert outcomes["virtio_net"][1] == "would insert"
    assert outcomes["virtio_console"][1] == "would insert"   # the kickstart's --add-module
    assert loaded["missing_boot"] == []

    # 5. Payload installation: requirements while the target is empty (no os-release, no kernel):
    # the installer's own os-release says Fedora.
    assert not any(target.iterdir())
    reqs = [{k: v.unpack() for k, v in r.items()} for r in boss.addon.CollectRequirements()]
    assert [(r["type"], r["name"]) for r in reqs] == [("package", "qemu-guest-agent")]
    assert "fedora" in reqs[0]["reason"] and "installer" in reqs[0]["reason"]

    # The payload: a Debian system with its kernel below usr/lib/modules.
    ft.write(target, "etc/os-release", ft.DEBIAN_OS_RELEASE)
    install_kernel(target, KA)

    # 7. Bootloader installation names the kernels; no task of ours there.
    assert boss.addon.ConfigureBootloaderWithTasks([KA]) == []

    # 14. Anaconda addon configuration, just before initramfs generation: the target's files.
    (done,) = boss.run_tasks(boss.addon.InstallWithTasks())
    assert done["kernels"] == [KA] and done["missing_boot"] == {}
    assert set(done["files"]) == {"etc/dracut.conf.d/90-hvdetect.conf", "etc/modules-load.d/hvdetect.conf",
                                  "usr/share/initramfs-tools/modules.d/hvdetect"}
    dracut = (target / "etc/dracut.conf.d/90-hvdetect.conf").read_text()
    assert dracut.startswith(f"# Generated by hvdetect ") and f"kernel {KA}." in dracut.splitlines()[0]
    drivers = dracut.split('add_drivers+="')[1].split('"')[0].split()
    assert {"virtio_pci", "virtio_blk", "virtio_net", "virtio_console"} <= set(drivers)
    assert "virtio_console" in (target / "etc/modules-load.d/hvdetect.conf").read_text().split()
    assert "virtio_blk" in (target / "usr/share/initramfs-tools/modules.d/hvdetect").read_text().split()
    # Requirements again, now that the target has its own os-release: Debian's packages.
    reqs = [{k: v.unpack() for k, v in r.items()} for r in boss.addon.CollectRequirements()]
    assert "debian" in reqs[0]["reason"]

    # A kernel without the boot driver this machine needs: the install task fails, naming it.
    shutil.rmtree(target / "usr/lib/modules" / KA)
    install_kernel(target, K_NO_BLK, missing=["drivers/block/virtio_blk.ko"])
    assert boss.addon.ConfigureBootloaderWithTasks([K_NO_BLK]) == []
    with pytest.raises(DBusError, match=f"kernel {K_NO_BLK} lacks virtio_blk.*--no-fail"):
        boss.run_tasks(boss.addon.InstallWithTasks())
    # The operator accepts it: --no-fail, and the files say what this kernel can have.
    assert boss.read_kickstart("%addon com_hvdetect --no-fail\n%end # accepted\n")["error-messages"] == []
    (done,) = boss.run_tasks(boss.addon.InstallWithTasks())
    assert done["missing_boot"] == {K_NO_BLK: ["virtio_blk"]}
    assert any("virtio_blk is missing" in w for w in done["warnings"])
    assert "virtio_blk" not in (target / "etc/dracut.conf.d/90-hvdetect.conf").read_text()

    # A broken section is the Boss's error report, with its line; an unbalanced quote after %end too.
    report = boss.read_kickstart("%addon com_hvdetect --hypervisor=bogus\n%end\n")
    assert report["error-messages"] and "unknown name 'bogus'" in report["error-messages"][0]["message"]
    assert report["error-messages"][0]["line-number"] == 1
    report = boss.read_kickstart("%addon com_hvdetect\n%end # don't\n")
    assert report["error-messages"]
    boss.addon.Quit()


def test_a_link_in_the_target_is_not_followed(setup):
    bus, target, tmp = setup
    boss = Boss(bus.bus)
    assert boss.read_kickstart("%addon com_hvdetect\n%end\n")["error-messages"] == []
    install_kernel(target, KA)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    (target / "etc").mkdir()
    os.symlink(str(elsewhere), target / "etc/dracut.conf.d")
    with pytest.raises(DBusError, match="dracut.conf.d is a link"):
        boss.run_tasks(boss.addon.InstallWithTasks())
    assert not any(elsewhere.iterdir())
    boss.addon.Quit()
