# SPDX-License-Identifier: LGPL-2.1-or-later
"""The addon's names: bus name = interface name, object path from it (docs/installer.md A1)."""
from dasbus.identifier import DBusServiceIdentifier

from .anaconda import ADDONS_NAMESPACE, DBus

HVDETECT = DBusServiceIdentifier(namespace=(*ADDONS_NAMESPACE, "Hvdetect"), message_bus=DBus)
