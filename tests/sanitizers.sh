#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds core, the CLI and the test suites with AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset, in
# build-asan/) and runs every test there. The window's suites are left out (Qt's own event loop is not ours to
# instrument, and the window's logic is tested in the normal build). CI runs this after the README's test command.
#
#   tests/sanitizers.sh            build and test
#   tests/sanitizers.sh -R tst_io  pass ctest arguments through
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset asan >/dev/null
cmake --build build-asan -j "$(nproc)"
# Leaks: LibTorch and Qt keep process-lifetime allocations that LeakSanitizer would report at exit; memory errors and
# undefined behaviour abort the test that caused them.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" "$@"
