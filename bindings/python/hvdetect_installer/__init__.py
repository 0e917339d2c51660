# SPDX-License-Identifier: LGPL-2.1-or-later
"""hvdetect for OS installers: the work of the Anaconda addon com_hvdetect (its D-Bus service is
the com_hvdetect package, installed under /usr/share/anaconda/addons), the kickstart section
`%addon com_hvdetect` with pykickstart's semantics, and a command form for %pre/%post scripts
and other installers (`python3 -m hvdetect_installer --help`). Every decision is the library's."""
from .kickstart import ADDON_NAME, AddonData, HvdetectData, KickstartParseError, parse_kickstart
from .work import FILES, InstallerError, Machine, configure_target, load_drivers, requirements, write_in_root

__all__ = [
    "ADDON_NAME", "AddonData", "FILES", "HvdetectData", "InstallerError", "KickstartParseError", "Machine",
    "configure_target", "load_drivers", "parse_kickstart", "requirements", "write_in_root",
]
