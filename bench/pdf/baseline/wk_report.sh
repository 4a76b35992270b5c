#!/usr/bin/env bash
# The legacy app's group report, the wicked_pdf way: the ERB view renders the whole group to one HTML document
# (html_report.rb), then wkhtmltopdf prints it.
#
#   bench/pdf/baseline/wk_report.sh data-N.json out.pdf
#
# Debian's wkhtmltopdf (unpatched Qt) runs headless by itself (no DISPLAY: it uses Qt's offscreen platform), so
# no Xvfb is needed; WK_XVFB=1 runs it under xvfb-run anyway. The page numbers and the scale are the template's
# business (see html_report.rb).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: wk_report.sh data-N.json out.pdf" >&2; exit 2; }
html=${2%.pdf}.html

ruby "$here/html_report.rb" "$1" "$html"

wrapper=()
[ "${WK_XVFB:-0}" != 1 ] || wrapper=(xvfb-run -a --)
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then   # only to keep Qt from warning that it is not set
  XDG_RUNTIME_DIR=$(mktemp -d)
  export XDG_RUNTIME_DIR
  trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT
fi
"${wrapper[@]}" wkhtmltopdf --quiet --encoding utf-8 --page-size A4 \
  --margin-top 12.7mm --margin-bottom 8mm --margin-left 12.7mm --margin-right 12.7mm "$html" "$2"
rm -f "$html"
