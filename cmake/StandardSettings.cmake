# Flags live on two INTERFACE targets linked PRIVATE by every project target,
# so nothing leaks into dependencies or into targets that include us.
add_library(standard_settings INTERFACE)
target_compile_features(standard_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_CXX_VISIBILITY_PRESET default)

# The sanitizer build's optimisation, VPNAAS_SANITIZE_OPTIMIZE: -O1 by
# default, as the sanitizer manual recommends for "reasonable performance";
# test.sh builds CI's tree at -O0 (README.md, "CI time"): the ACS library's
# heaviest batch compiled in 64 s instead of 115, the whole tree in 511 CPU-s,
# and the suite ran in 104 s instead of about 75. It comes after the build
# type's flags on the command line, so it wins. At -O1 with ASan, GCC 12
# reports -Wmaybe-uninitialized inside libstdc++'s <regex> (std::function
# moved in _NFA::_M_insert_subexpr_begin), a false positive of the
# instrumented code; the normal build keeps that warning at -O2 with -Werror.
set(VPNAAS_SANITIZE_OPTIMIZE "-O1" CACHE STRING "Optimisation of the sanitizer build (-O0 or -O1)")
if(VPNAAS_SANITIZE)
  target_compile_options(standard_settings INTERFACE
    ${VPNAAS_SANITIZE_OPTIMIZE} -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(standard_settings INTERFACE -Wno-maybe-uninitialized)
    # GCC 12 gives every UBSan check site's data (.Lubsan_data, .Lubsan_type)
    # an ASan redzone and registers it at start-up: 376,138 globals in the
    # CLI, 48 MB of .data that LeakSanitizer then scans at every exit. That
    # was a third of the 0.32 CPU-s each sanitized process spent before main
    # (the CLI tests start about 1,100 of them). Without global
    # instrumentation an overflow of a global array is no longer reported by
    # ASan; libstdc++'s assertions check std::array, vector and string
    # indexing instead (README.md, "CI time").
    target_compile_options(standard_settings INTERFACE --param=asan-globals=0)
  endif()
  target_compile_definitions(standard_settings INTERFACE _GLIBCXX_ASSERTIONS)
  target_link_options(standard_settings INTERFACE -fsanitize=address,undefined)
  # With the static libraries (lib/CMakeLists.txt), a non-PIE executable has
  # no run-time relocations left to apply. lld links these 140 MB executables
  # in 2.3 CPU seconds where ld.bfd takes 6.5 (README.md, "CI time").
  target_link_options(standard_settings INTERFACE -no-pie)
  find_program(VPNAAS_LLD ld.lld)
  if(VPNAAS_LLD)
    target_link_options(standard_settings INTERFACE -fuse-ld=lld)
  endif()
endif()

# libFuzzer builds: every project target gets coverage instrumentation
# (fuzzer-no-link) so the fuzzer sees the library's branches, plus ASan and
# UBSan; only the fuzz targets themselves link the fuzzer's main
# (tests/fuzz/CMakeLists.txt). Debian's g++ has no libFuzzer.
if(VPNAAS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VPNAAS_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  target_compile_options(standard_settings INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(standard_settings INTERFACE -fsanitize=address,undefined)
endif()

# -Wnull-dereference is left out: at -O2 GCC 12 reports it inside libstdc++'s
# std::string as inlined into CLI11, which no code of ours can fix.
add_library(standard_warnings INTERFACE)
target_compile_options(standard_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(VPNAAS_WERROR)
  target_compile_options(standard_warnings INTERFACE -Werror)
endif()

# A class with a member of a type from the anonymous namespace is reported
# by -Wsubobject-linkage (on by default) when the anonymous type comes from
# an included file rather than the main one, since a header's anonymous types
# differ in each file that includes it. A unity build includes each .cpp into
# one batch file exactly once, so those reports say nothing there.
if(VPNAAS_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(standard_warnings INTERFACE -Wno-subobject-linkage)
endif()

# GCC 12 reports -Wrestrict on std::string concatenation at -O2 (GCC bug
# 105329, a false positive in libstdc++ itself), which would fail -Werror
# release builds for no fault of ours.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(standard_warnings INTERFACE -Wno-restrict)
endif()
# At -O3 (CMake's Release) GCC 12 reports -Wmaybe-uninitialized inside
# libstdc++'s basic_string for the std::string members of a vpnaas::Error
# returned through Result (lib/src/acs/management/client.cpp), a false
# positive that public bug reports show for GCC 12 to 15. The builds we ship
# and test (./scripts/vpnaas, the package, CI) are -O2, where the warning
# stays an error; this keeps a hand-configured Release build from failing.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(standard_warnings INTERFACE
    $<$<CONFIG:Release>:-Wno-maybe-uninitialized>)
endif()

# ccache, when installed (scripts/lib/common.sh installs it): CI's clean
# clones then compile only what changed since the cache was filled. The base
# folder makes cached objects independent of where the clone lives, and
# -g's current-folder record is left out of the hash for the same reason.
find_program(VPNAAS_CCACHE ccache)
if(VPNAAS_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1
      ${VPNAAS_CCACHE})
endif()
# A unity batch includes its sources by absolute path, so __FILE__ (in every
# doctest CHECK) expanded to the clone's folder: the preprocessed text of
# each test batch differed per clone and ccache missed all of them (a second
# clone recompiled 143 of 168 translation units). Mapped to paths relative
# to the source folder, they match; ccache leaves the map's folder out of
# its hash. Binaries no longer carry the build machine's folder either.
target_compile_options(standard_settings INTERFACE -fmacro-prefix-map=${PROJECT_SOURCE_DIR}/=)
