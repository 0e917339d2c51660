# SPDX-License-Identifier: LGPL-2.1-or-later
"""Anaconda's addon API: the real pyanaconda classes when importable (Fedora, RHEL), otherwise
small local equivalents written from the contract (docs/installer.md part A; Debian has no
pyanaconda). Same names, same D-Bus interfaces, same call order:

    name                      real (pyanaconda ...)                          local equivalent
    init()                    modules.common.init                            logging to stderr
    DBus                      core.dbus.DBus (Anaconda's bus)                the bus this process was
                                                                             activated on, else
                                                                             $ANACONDA_BUS_ADDRESS,
                                                                             else the session bus
    ADDONS_NAMESPACE          modules.common.constants.namespaces            the same tuple
    KickstartService          modules.common.base.KickstartService           below
    KickstartModuleInterface  modules.common.base.KickstartModuleInterface   below (interface
                                                                             org.fedoraproject.Anaconda.Modules)
    Task, TaskInterface       modules.common.task                            below (org.fedoraproject.Anaconda.Task)
    TaskContainer             modules.common.containers.TaskContainer        a dasbus DBusContainer
    Requirement               modules.common.structures.requirement          a DBusData {type, name, reason}
    system_root()             core.configuration.anaconda conf.target.system_root
                                                                             $HVDETECT_ADDON_TARGET, else /mnt/sysroot
"""

import logging
import os
import threading
from abc import ABC, abstractmethod
from typing import Any, Callable, List, Optional

log = logging.getLogger("com_hvdetect")

try:
    from pyanaconda.modules.common import init  # type: ignore[import-not-found]
    from pyanaconda.core.dbus import DBus  # type: ignore[import-not-found]
    from pyanaconda.modules.common.constants.namespaces import ADDONS_NAMESPACE  # type: ignore[import-not-found]
    from pyanaconda.modules.common.base import KickstartService, KickstartModuleInterface  # type: ignore[import-not-found]
    from pyanaconda.modules.common.task import Task, TaskInterface  # type: ignore[import-not-found]
    from pyanaconda.modules.common.containers import TaskContainer  # type: ignore[import-not-found]
    from pyanaconda.modules.common.structures.requirement import Requirement  # type: ignore[import-not-found]
    from pyanaconda.core.kickstart import KickstartSpecification  # type: ignore[import-not-found]
    from pyanaconda.core.configuration.anaconda import conf  # type: ignore[import-not-found]

    REAL_ANACONDA = True

    def system_root() -> str:
        return conf.target.system_root

except ImportError:
    REAL_ANACONDA = False

    from dasbus.connection import AddressedMessageBus, SessionMessageBus
    from dasbus.error import ErrorMapper, ErrorRule, DefaultErrorRule, DBusError
    from dasbus.loop import EventLoop
    from dasbus.server.container import DBusContainer
    from dasbus.server.interface import dbus_interface, dbus_signal
    from dasbus.server.publishable import Publishable
    from dasbus.server.template import InterfaceTemplate
    from dasbus.signal import Signal
    from dasbus.structure import DBusData
    from dasbus.typing import Bool, Int, ObjPath, Str, Structure, Tuple, UInt32, Variant  # noqa: F401
    from dasbus.typing import List as DList

    ADDONS_NAMESPACE = ("org", "fedoraproject", "Anaconda", "Addons")

    def init() -> None:
        """Like pyanaconda.modules.common.init(): debug logging to stderr (the bus's log)."""
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s: %(message)s")

    def system_root() -> str:
        return os.environ.get("HVDETECT_ADDON_TARGET", "/mnt/sysroot")

    class InstallerTaskError(DBusError):
        """A task failed: its message travels to the Boss (the error name below)."""

    _errors = ErrorMapper()
    _errors.add_rule(ErrorRule(InstallerTaskError, "org.fedoraproject.Anaconda.Addons.Hvdetect.Error"))
    _errors.add_rule(DefaultErrorRule(DBusError, ("not", "known", "Error")))

    def _bus():
        # Activated by the bus (the Boss's StartServiceByName): answer on that bus.
        address = os.environ.get("DBUS_STARTER_ADDRESS") or os.environ.get("ANACONDA_BUS_ADDRESS")
        if address:
            return AddressedMessageBus(address, error_mapper=_errors)
        return SessionMessageBus(error_mapper=_errors)

    DBus = _bus()

    class Requirement(DBusData):
        """pyanaconda's Requirement: a package or group some module needs installed."""

        def __init__(self) -> None:
            self._type = ""
            self._name = ""
            self._reason = ""

        @property
        def type(self) -> Str:
            return self._type

        @type.setter
        def type(self, value: Str) -> None:
            self._type = value

        @property
        def name(self) -> Str:
            return self._name

        @name.setter
        def name(self, value: Str) -> None:
            self._name = value

        @property
        def reason(self) -> Str:
            return self._reason

        @reason.setter
        def reason(self, value: Str) -> None:
            self._reason = value

        @classmethod
        def for_package(cls, package_name: str, reason: str = "") -> "Requirement":
            r = cls()
            r.type, r.name, r.reason = "package", package_name, reason
            return r

        @classmethod
        def for_group(cls, group_name: str, reason: str = "") -> "Requirement":
            r = cls()
            r.type, r.name, r.reason = "group", group_name, reason
            return r

    class KickstartMessage(DBusData):
        """One message of ReadKickstart's report."""

        def __init__(self) -> None:
            self._module_name, self._file_name, self._line_number, self._message = "", "", 0, ""

        @property
        def module_name(self) -> Str:
            return self._module_name

        @module_name.setter
        def module_name(self, v: Str) -> None:
            self._module_name = v

        @property
        def file_name(self) -> Str:
            return self._file_name

        @file_name.setter
        def file_name(self, v: Str) -> None:
            self._file_name = v

        @property
        def line_number(self) -> UInt32:
            return self._line_number

        @line_number.setter
        def line_number(self, v: UInt32) -> None:
            self._line_number = v

        @property
        def message(self) -> Str:
            return self._message

        @message.setter
        def message(self, v: Str) -> None:
            self._message = v

    class KickstartReport(DBusData):
        """ReadKickstart's answer: error-messages and warning-messages."""

        def __init__(self) -> None:
            self._error_messages: List[KickstartMessage] = []
            self._warning_messages: List[KickstartMessage] = []

        @property
        def error_messages(self) -> DList[KickstartMessage]:
            return self._error_messages

        @error_messages.setter
        def error_messages(self, v: DList[KickstartMessage]) -> None:
            self._error_messages = v

        @property
        def warning_messages(self) -> DList[KickstartMessage]:
            return self._warning_messages

        @warning_messages.setter
        def warning_messages(self, v: DList[KickstartMessage]) -> None:
            self._warning_messages = v

        def is_valid(self) -> bool:
            return not self._error_messages

    class KickstartSpecification:
        """pyanaconda.core.kickstart.KickstartSpecification: what the module claims."""
        commands: dict = {}
        sections: dict = {}
        addons: dict = {}

    class _Handler:
        """The kickstart handler's part an addon sees: handler.addons.<NAME>."""

        class _Addons:
            pass

        def __init__(self, spec) -> None:
            self.addons = self._Addons()
            for name, cls in spec.addons.items():
                setattr(self.addons, name, cls())

        def __str__(self) -> str:
            return "".join(str(getattr(self.addons, n)) for n in sorted(vars(self.addons)))

    class Task(Publishable, ABC):
        """pyanaconda's Task: run() in a thread by start(); finish() re-raises its error."""

        def __init__(self) -> None:
            self._thread: Optional[threading.Thread] = None
            self._error: Optional[BaseException] = None
            self._result: Any = None
            self._cancel = threading.Event()
            self._progress = (0, "")
            self.progress_changed, self.started, self.stopped = Signal(), Signal(), Signal()
            self.failed, self.succeeded = Signal(), Signal()

        @property
        @abstractmethod
        def name(self) -> str: ...

        @abstractmethod
        def run(self) -> Any: ...

        @property
        def steps(self) -> int:
            return 1

        @property
        def progress(self):
            return self._progress

        @property
        def is_running(self) -> bool:
            return bool(self._thread and self._thread.is_alive())

        def report_progress(self, message: str, step_number: Optional[int] = None, step_size: Optional[int] = None) -> None:
            step = step_number if step_number is not None else self._progress[0] + (step_size or 0)
            self._progress = (step, message)
            self.progress_changed.emit(step, message)

        def check_cancel(self) -> bool:
            return self._cancel.is_set()

        def cancel(self) -> None:
            self._cancel.set()

        def start(self) -> None:
            self._thread = threading.Thread(target=self._thread_run, name=f"AnaTaskThread-{self.name}", daemon=True)
            self.started.emit()
            self._thread.start()

        def _thread_run(self) -> None:
            try:
                self._result = self.run()
            except Exception as e:  # the task's error is finish()'s
                log.error("task %r failed: %s", self.name, e)
                self._error = e
                self.failed.emit()
            else:
                self.succeeded.emit()
            finally:
                self.stopped.emit()

        def finish(self) -> None:
            if self._thread:
                self._thread.join()
            if self._error is not None:
                raise InstallerTaskError(str(self._error))

        def get_result(self) -> Any:
            return self._result

        def run_with_signals(self) -> Any:
            self.started.emit()
            try:
                return self.run()
            finally:
                self.stopped.emit()

        def for_publication(self):
            return TaskInterface(self)

    @dbus_interface("org.fedoraproject.Anaconda.Task")
    class TaskInterface(InterfaceTemplate):
        """The Task interface the Boss drives: Start, then Finish (which raises the task's error)."""

        def connect_signals(self) -> None:
            super().connect_signals()
            self.implementation.started.connect(self.Started)
            self.implementation.stopped.connect(self.Stopped)
            self.implementation.failed.connect(self.Failed)
            self.implementation.succeeded.connect(self.Succeeded)
            self.implementation.progress_changed.connect(self.ProgressChanged)

        @property
        def Name(self) -> Str:
            return self.implementation.name

        @property
        def Steps(self) -> Int:
            return self.implementation.steps

        @property
        def Progress(self) -> Tuple[Int, Str]:
            return self.implementation.progress

        @property
        def IsRunning(self) -> Bool:
            return self.implementation.is_running

        @dbus_signal
        def ProgressChanged(self, step: Int, message: Str):
            pass

        @dbus_signal
        def Started(self):
            pass

        @dbus_signal
        def Stopped(self):
            pass

        @dbus_signal
        def Failed(self):
            pass

        @dbus_signal
        def Succeeded(self):
            pass

        def Start(self):
            self.implementation.start()

        def Cancel(self):
            self.implementation.cancel()

        def Finish(self):
            self.implementation.finish()

        def GetResult(self) -> Variant:
            return self.convert_result(self.implementation.get_result())

        @staticmethod
        def convert_result(value) -> Variant:
            raise NotImplementedError("this task has no result")

    TaskContainer = DBusContainer(namespace=("org", "fedoraproject", "Anaconda"), basename="Task", message_bus=DBus)

    class KickstartService(ABC):
        """pyanaconda's KickstartService: owns the loop; reads and writes its kickstart part."""

        def __init__(self) -> None:
            self._loop = EventLoop()
            self._kickstarted = False

        def publish(self) -> None:
            pass

        def run(self) -> None:
            self.publish()
            self._loop.run()

        def stop(self) -> None:
            self._loop.quit()

        @property
        def kickstart_specification(self):
            return KickstartSpecification

        @property
        def kickstarted(self) -> bool:
            return self._kickstarted

        def process_kickstart(self, data) -> None:
            pass

        def setup_kickstart(self, data) -> None:
            pass

        def read_kickstart(self, s: str) -> "KickstartReport":
            # Local: the addon's own parser, which follows pykickstart's rules (hvdetect_installer.kickstart).
            from hvdetect_installer.kickstart import KickstartParseError, parse_kickstart
            report = KickstartReport()
            handler = _Handler(self.kickstart_specification)
            try:
                for name, data in vars(handler.addons).items():
                    parse_kickstart(s, data)
                self.process_kickstart(handler)
            except KickstartParseError as e:
                m = KickstartMessage()
                m.message, m.line_number = getattr(e, "value", str(e)), getattr(e, "lineno", None) or 0
                m.module_name = type(self).__name__
                report.error_messages = [m]
                log.error("kickstart: %s", e)
            else:
                self._kickstarted = True
            return report

        def generate_kickstart(self) -> str:
            handler = _Handler(self.kickstart_specification)
            self.setup_kickstart(handler)
            return str(handler)

        def set_locale(self, locale: str) -> None:
            pass

        def collect_requirements(self) -> list:
            return []

        def configure_with_tasks(self) -> list:
            return []

        def configure_bootloader_with_tasks(self, kernel_versions: List[str]) -> list:
            return []

        def install_with_tasks(self) -> list:
            return []

        def teardown_with_tasks(self) -> list:
            return []

    @dbus_interface("org.fedoraproject.Anaconda.Modules")
    class KickstartModuleInterface(InterfaceTemplate):
        """The methods the Boss calls on every module (an addon gets the three task lists)."""

        @property
        def KickstartCommands(self) -> DList[Str]:
            return list(self.implementation.kickstart_specification.commands)

        @property
        def KickstartSections(self) -> DList[Str]:
            return list(self.implementation.kickstart_specification.sections)

        @property
        def KickstartAddons(self) -> DList[Str]:
            return list(self.implementation.kickstart_specification.addons)

        @property
        def Kickstarted(self) -> Bool:
            return self.implementation.kickstarted

        def ReadKickstart(self, kickstart: Str) -> Structure:
            return KickstartReport.to_structure(self.implementation.read_kickstart(kickstart))

        def GenerateKickstart(self) -> Str:
            return self.implementation.generate_kickstart()

        def SetLocale(self, locale: Str):
            self.implementation.set_locale(locale)

        def CollectRequirements(self) -> DList[Structure]:
            return Requirement.to_structure_list(self.implementation.collect_requirements())

        def ConfigureWithTasks(self) -> DList[ObjPath]:
            return TaskContainer.to_object_path_list(self.implementation.configure_with_tasks())

        def ConfigureBootloaderWithTasks(self, kernel_versions: DList[Str]) -> DList[ObjPath]:
            return TaskContainer.to_object_path_list(
                self.implementation.configure_bootloader_with_tasks(kernel_versions))

        def InstallWithTasks(self) -> DList[ObjPath]:
            return TaskContainer.to_object_path_list(self.implementation.install_with_tasks())

        def TeardownWithTasks(self) -> DList[ObjPath]:
            return TaskContainer.to_object_path_list(self.implementation.teardown_with_tasks())

        def Quit(self):
            self.implementation.stop()


def describe() -> str:
    """Which classes are in use: for the log and the tests."""
    return "pyanaconda" if REAL_ANACONDA else "local equivalents (no pyanaconda)"


__all__: List[str] = ["ADDONS_NAMESPACE", "DBus", "KickstartModuleInterface", "KickstartService",
                      "KickstartSpecification", "REAL_ANACONDA", "Requirement", "Task", "TaskContainer",
                      "TaskInterface", "describe", "init", "system_root"]
_unused: Callable = describe
