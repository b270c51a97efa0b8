# Cross-building for 64-bit Arm on a Debian x86-64 machine (`make test-aarch64`): Debian's
# g++-aarch64-linux-gnu, the arm64 multiarch -dev packages under /usr/lib/aarch64-linux-gnu, and
# qemu-user to run what was built (ctest runs every test through CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Headers are shared between architectures in /usr/include; libraries are searched only in arm64's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)

# QEMU_CPU picks the emulated core: "max" has SVE2, I8MM and BF16; tests that need a given SVE vector
# length set it themselves (tests/CMakeLists.txt).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
