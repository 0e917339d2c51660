# SPDX-License-Identifier: LGPL-2.1-or-later
"""hvdetect for OS installers: an Anaconda-shaped addon (kickstart `%addon com_hvdetect`)
and a command form for %pre/%post scripts (`python3 -m hvdetect_installer --help`)."""
from .addon import HvdetectAddon
from .kickstart import ADDON_NAME, AddonData, KickstartError, parse_header, parse_kickstart
from .target import HEADER, TargetError, family_of, read_os_release, target_kernel

__all__ = [
    "ADDON_NAME", "AddonData", "HEADER", "HvdetectAddon", "KickstartError", "TargetError", "family_of",
    "parse_header", "parse_kickstart", "read_os_release", "target_kernel",
]
