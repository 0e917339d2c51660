# SPDX-License-Identifier: LGPL-2.1-or-later
"""The addon's kickstart module: the %addon com_hvdetect section in and out, and the work in
Anaconda's order (docs/installer.md A3):

    ConfigureWithTasks            "Installation environment setup" (queue 1): load the drivers this
                                  machine needs into the installer's own kernel, before storage
    CollectRequirements           "Payload installation" (5): guest-tools packages, while the
                                  target has no os-release or kernel yet
    ConfigureBootloaderWithTasks  "Bootloader installation" (7): the installed kernels, remembered
    InstallWithTasks              "Anaconda addon configuration" (14), just before "Initramfs
                                  generation" (15): the target's dracut, modules-load and
                                  initramfs-tools files; a kernel without a boot driver fails
                                  the task (unless --no-fail), since step 15's dracut exit code is
                                  ignored and would not

Environment knobs, for tests and diagnosis only (an installer sets none of them):
HVDETECT_ADDON_SYSROOT and HVDETECT_ADDON_CPUID_DUMP replay a captured machine;
HVDETECT_ADDON_DB_DIR is the whole driver database; HVDETECT_ADDON_MODDIR is the installer's
kernel tree; HVDETECT_ADDON_DRY_RUN=1 inserts nothing; HVDETECT_ADDON_TARGET is the target root
where pyanaconda's configuration is not importable.
"""

import json
import logging
import os
from typing import List, Optional

from dasbus.server.interface import dbus_interface
from dasbus.typing import Str, Variant, get_variant
from dasbus.typing import List as DList

from hvdetect_installer import work
from hvdetect_installer.kickstart import ADDON_NAME, HvdetectData

from ..anaconda import (KickstartModuleInterface, KickstartService, KickstartSpecification, Requirement, Task,
                        TaskContainer, TaskInterface, describe, system_root, DBus)
from ..constants import HVDETECT

log = logging.getLogger("com_hvdetect")


def machine_from_environment() -> work.Machine:
    env = os.environ.get
    db = env("HVDETECT_ADDON_DB_DIR")
    return work.Machine(sysroot=env("HVDETECT_ADDON_SYSROOT"), cpuid_dump=env("HVDETECT_ADDON_CPUID_DUMP"),
                        db_dirs=(db, "") if db else None, moddir=env("HVDETECT_ADDON_MODDIR"))


class HvdetectKickstartSpecification(KickstartSpecification):
    addons = {ADDON_NAME: HvdetectData}


class ResultTaskInterface(TaskInterface):
    """A task's result for the Boss (and anyone reading the bus): its report, as JSON."""

    @staticmethod
    def convert_result(value) -> Variant:
        return get_variant(Str, json.dumps(value, sort_keys=True))


class _ResultTask(Task):
    def for_publication(self):
        return ResultTaskInterface(self)


class LoadDriversTask(_ResultTask):
    """Load the drivers this machine needs into the installation environment's kernel."""

    def __init__(self, data: HvdetectData, machine: work.Machine, dry_run: bool) -> None:
        super().__init__()
        self._data, self._machine, self._dry_run = data, machine, dry_run

    @property
    def name(self) -> str:
        return "Load the hypervisor's drivers (hvdetect)"

    def run(self):
        report = work.load_drivers(self._data, self._machine, dry_run=self._dry_run)
        for name, tier, outcome in report["modules"]:
            log.info("%s (%s): %s", name, tier, outcome)
        for w in report["warnings"]:
            log.warning("%s", w)
        # A missing boot driver here is the installer's kernel's problem, and storage may still be
        # found through another: said loudly, not fatal (the target's install task is).
        if report["missing_boot"]:
            log.warning("boot-tier drivers absent from the installation environment: %s",
                        ", ".join(report["missing_boot"]))
        return report


class ConfigureTargetTask(_ResultTask):
    """Write the target's initramfs and modules-load configuration for its own kernels."""

    def __init__(self, data: HvdetectData, machine: work.Machine, target_root: str,
                 kernels: Optional[List[str]]) -> None:
        super().__init__()
        self._data, self._machine, self._root, self._kernels = data, machine, target_root, kernels

    @property
    def name(self) -> str:
        return "Configure the target's drivers (hvdetect)"

    def run(self):
        report = work.configure_target(self._data, self._machine, self._root, self._kernels)
        for rel, outcome in report["files"].items():
            log.info("%s/%s: %s", self._root, rel, outcome)
        for w in report["warnings"]:
            log.warning("%s", w)
        return report


class HvdetectService(KickstartService):
    """org.fedoraproject.Anaconda.Addons.Hvdetect."""

    def __init__(self) -> None:
        super().__init__()
        self._data = HvdetectData()
        self._machine = machine_from_environment()
        self._kernels: Optional[List[str]] = None

    def publish(self) -> None:
        log.info("com_hvdetect: publishing %s at %s (%s)", HVDETECT.service_name, HVDETECT.object_path,
                 describe())
        TaskContainer.set_namespace(HVDETECT.namespace)
        DBus.publish_object(HVDETECT.object_path, HvdetectInterface(self))
        DBus.register_service(HVDETECT.service_name)

    @property
    def kickstart_specification(self):
        return HvdetectKickstartSpecification

    @property
    def data(self) -> HvdetectData:
        return self._data

    def process_kickstart(self, data) -> None:
        self._data = getattr(data.addons, ADDON_NAME)

    def setup_kickstart(self, data) -> None:
        setattr(data.addons, ADDON_NAME, self._data)

    def collect_requirements(self) -> list:
        report = work.requirements(self._data, self._machine, system_root())
        for w in report["warnings"]:
            log.warning("%s", w)
        reason = f"guest tools for this hypervisor ({report['family']}, from {report['source']})"
        return [Requirement.for_package(p, reason=reason) for p in report["packages"]]

    def configure_with_tasks(self) -> list:
        if not self._data.enabled:
            return []
        return [LoadDriversTask(self._data, self._machine, os.environ.get("HVDETECT_ADDON_DRY_RUN") == "1")]

    def configure_bootloader_with_tasks(self, kernel_versions: List[str]) -> list:
        # The kernels the payload installed: the install task selects against each.
        self._kernels = list(kernel_versions) or None
        return []

    def install_with_tasks(self) -> list:
        if not self._data.enabled:
            return []
        return [ConfigureTargetTask(self._data, self._machine, system_root(), self._kernels)]


@dbus_interface(HVDETECT.interface_name)
class HvdetectInterface(KickstartModuleInterface):
    """The addon's own interface, beside the kickstart-module one the Boss uses."""

    @property
    def Options(self) -> DList[Str]:
        """The %addon com_hvdetect options in force (after ReadKickstart)."""
        return self.implementation.data.options()
