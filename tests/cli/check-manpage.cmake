# SPDX-License-Identifier: LGPL-2.1-or-later
# cmake -DGROFF=... -DPAGE=... -P check-manpage.cmake: fail on any roff warning.
execute_process(COMMAND ${GROFF} -man -ww -z -rCHECKSTYLE=3 ${PAGE}
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
  message(FATAL_ERROR "groff -man -ww on ${PAGE} (exit ${rc}):\n${err}")
endif()
message(STATUS "${PAGE}: no roff warnings")
