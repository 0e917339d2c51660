# SPDX-License-Identifier: LGPL-2.1-or-later
# Cross-build for 64-bit Arm Linux on a Debian (bookworm) build machine:
#   .ci/install-deps --arm64
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake -DHVD_WERROR=ON
#   cmake --build build-aarch64 -j2 && ctest --test-dir build-aarch64 -L unit
# The compiler is Debian's gcc-aarch64-linux-gnu; the libraries (libkmod, libudev, libblkid,
# cmocka) are the multiarch :arm64 -dev packages in /usr/lib/aarch64-linux-gnu, found through
# their own .pc files. Tests whose command is a built target run under qemu-aarch64 (Debian
# qemu-user) as CMAKE_CROSSCOMPILING_EMULATOR; the ld.so and libraries it needs are the
# multiarch ones below /, hence QEMU_LD_PREFIX=/.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(HVD_CROSS_TRIPLET aarch64-linux-gnu)

find_program(HVD_CROSS_CC ${HVD_CROSS_TRIPLET}-gcc)
if(NOT HVD_CROSS_CC)
  message(FATAL_ERROR "${HVD_CROSS_TRIPLET}-gcc not found: .ci/install-deps --arm64 installs gcc-aarch64-linux-gnu")
endif()
set(CMAKE_C_COMPILER ${HVD_CROSS_CC})

# Libraries and headers of the target only; programs (pkg-config, python3) of the build machine.
set(CMAKE_LIBRARY_ARCHITECTURE ${HVD_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH /usr/${HVD_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config reads the target's .pc files and never the build machine's (an amd64 libkmod.pc
# would link the wrong architecture without a word until the link fails).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${HVD_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# The Python binding would be built against the build machine's interpreter headers.
set(HVD_PYTHON OFF CACHE STRING "No Python binding in a cross build")

find_program(HVD_QEMU_AARCH64 qemu-aarch64)
if(HVD_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${HVD_QEMU_AARCH64};-L;/")
endif()
