#!/usr/bin/env bash
# A screenshot of a readout report in headless Chromium (Debian's `chromium` package), for the README.
#
#   docs/report-screenshot.sh [--report ROOT/report/report.html] [--out docs/img/report.png]
#                             [--width 1400] [--height 6100] [--section "Test examples as text"]
#
# --section: only the report's section of that heading (its <h2> up to the next), for a close-up.
# The report is self-contained (no network), so Chromium runs with its network features off; a fresh
# profile folder is made and removed each time. Install the browser with `apt-get install chromium`.
set -euo pipefail
cd "$(dirname "$0")/.."

report="${TMPDIR:-/tmp}/readout-demo/report/report.html"
out="docs/img/report.png"
width=1400
height=6100
section=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --report) report="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --width) width="$2"; shift 2 ;;
    --height) height="$2"; shift 2 ;;
    --section) section="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "report-screenshot.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -f "$report" ]] || { echo "report-screenshot.sh: --report $report: no such file (run readout demo first)" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "report-screenshot.sh: no chromium on PATH (apt-get install chromium)" >&2; exit 2; }

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$out")"
if [[ -n "$section" ]]; then
  # The page's head (its styles), then the one section: written beside the profile, removed with it.
  python3 - "$report" "$section" "$profile/section.html" <<'PY'
import sys
page, title, out = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
at = page.find(">" + title + "<")
if at < 0:
    sys.exit("report-screenshot.sh: --section " + title + ": no such heading in the report")
body = page.find(">", page.find("<body")) + 1
start, end = page.rfind("<h2", 0, at), page.find("<h2", at)
open(out, "w", encoding="utf-8").write(page[:body] + page[start:end if end > 0 else page.find("</body>")]
                                       + "</body></html>")
PY
  report="$profile/section.html"
fi
tmp="$out.tmp.png"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$width,$height" --screenshot="$(realpath -m "$tmp")" "file://$(realpath "$report")" 2>/dev/null
[[ -s "$tmp" ]] || { echo "report-screenshot.sh: chromium wrote no screenshot" >&2; exit 1; }
mv "$tmp" "$out"
echo "wrote $out (${width}x${height})"
