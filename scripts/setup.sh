#!/usr/bin/env bash
# Installs the Debian packages curate builds against, when missing (root or sudo).
set -euo pipefail
packages=(pkg-config libsqlite3-dev libzstd-dev zlib1g-dev libdeflate-dev libbz2-dev liblzma-dev libxml2-dev libxxhash-dev libssl-dev libopenblas-dev zstd)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
