#!/usr/bin/env bash
# Renders a curate report (report.html) to a PNG with headless Chromium, to look at by hand.
#
#   scripts/report-png.sh RUN_DIR_OR_REPORT_HTML [OUT.png] [WIDTH] [HEIGHT]
#
# Installs Debian's chromium if it is missing (root, apt).
set -euo pipefail

target=${1:?usage: scripts/report-png.sh RUN_DIR_OR_REPORT_HTML [OUT.png] [WIDTH] [HEIGHT]}
html=$target
[[ -d $target ]] && html=$target/report.html
[[ -f $html ]] || { echo "error: $html does not exist (run curate run or curate report first)" >&2; exit 1; }
html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out=${2:-${html%.html}.png}
width=${3:-1200}

if ! command -v chromium >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars)
# Headless Chromium captures the window, not the page: make the window as tall as the report's
# sections need (about 450 px each), or pass HEIGHT as the fourth argument.
height=${4:-$(( $(grep -o '<section' "$html" | wc -l) * 450 + 600 ))}
"${chrome[@]}" --window-size="$width,$height" --screenshot="$out" "file://$html" 2>/dev/null
echo "wrote $out (${width}x$height)"
