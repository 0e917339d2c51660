# SPDX-License-Identifier: LGPL-2.1-or-later
"""com_hvdetect: the Anaconda addon of hvdetect (kickstart `%addon com_hvdetect`).

Installed as /usr/share/anaconda/addons/com_hvdetect; its D-Bus service
org.fedoraproject.Anaconda.Addons.Hvdetect is started by the Boss through
/usr/libexec/anaconda/start-module com_hvdetect.service (docs/installer.md).
The work itself is hvdetect_installer's, over the library (hvdetect).
"""
