# SPDX-License-Identifier: LGPL-2.1-or-later
"""The addon's D-Bus service (`python3 -m com_hvdetect.service`)."""
