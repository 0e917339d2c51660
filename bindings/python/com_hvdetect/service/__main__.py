# SPDX-License-Identifier: LGPL-2.1-or-later
"""Entry point: /usr/libexec/anaconda/start-module com_hvdetect.service runs `python3 -m com_hvdetect.service`."""
from com_hvdetect.anaconda import init

init()  # before anything else, as Anaconda's modules do (logging, locale, configuration)

from com_hvdetect.service.hvdetect import HvdetectService  # noqa: E402

HvdetectService().run()
