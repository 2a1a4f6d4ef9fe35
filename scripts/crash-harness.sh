#!/usr/bin/env bash
# The long crash harness: scripts/crash-harness.sh [KILLS] [SEED]
#
# Kills `curate run` with SIGKILL at KILLS (default 20) random moments (seeded by SEED, default
# 11) of a WARC pipeline through html_extract, normalize, length, gopher_quality, minhash_dedup,
# bpe_train and tokenize, resuming after each kill, and checks that shards, manifest,
# tokenizer and parts are byte-identical to an uninterrupted run, that every input document
# has exactly one `documents` row (the same rows as the uninterrupted run) and that
# `PRAGMA integrity_check` is ok. It is CrashHarnessTests (CurateReliabilityTests), which CI
# runs with 3 kills; the kill moments and tasks done at each are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20} seed=${2:-11}
swift build --build-tests >&2
CURATE_CRASH_KILLS=$kills CURATE_CRASH_SEED=$seed \
    swift test --skip-build --filter 'CurateReliabilityTests.CrashHarnessTests' 2>&1 | grep -E "crash harness|✔|✘|error"
