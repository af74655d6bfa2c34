#!/bin/sh
# test.sh -- the whole test suite: install what is missing, then build and run
# ctest twice: a normal warnings-as-errors build, and an AddressSanitizer +
# UndefinedBehaviorSanitizer build.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
jobs=$(nproc)
echo "== release build (-Wall -Wextra -pedantic -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DFC_WERROR=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
(cd build && ctest -j"$jobs" --output-on-failure)
echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFC_SANITIZE=ON -DFC_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
# LeakSanitizer needs /proc (absent in a bare chroot); ASan and UBSan do not.
leaks=1
[ -r /proc/self/maps ] || { leaks=0; echo "no /proc: leak checking off" >&2; }
(cd build-asan && ASAN_OPTIONS=detect_leaks=$leaks UBSAN_OPTIONS=print_stacktrace=1 \
    ctest -j"$jobs" --output-on-failure)
