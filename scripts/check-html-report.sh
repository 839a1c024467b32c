#!/bin/sh
# check-html-report.sh renders an eval HTML report in headless Chromium and
# writes a screenshot, so a person (or a reviewer's image viewer) can check
# that the page, its inline SVG charts and its case panels render offline.
#
# usage: scripts/check-html-report.sh REPORT.html [SCREENSHOT.png] [WIDTHxHEIGHT]
#
# Without REPORT.html it makes one first from the fixture suite:
#   scripts/check-html-report.sh - out.png
# runs `go run ./cmd/summarize eval config/evals/ci.yaml --html ...`.
#
# Needs Debian's chromium (apt-get install -y chromium). The browser runs
# with networking features off and a throwaway profile; the report must not
# need the network, and a request for one would show as a broken page.
set -eu

report=${1:--}
shot=${2:-html-report.png}
size=${3:-1280,2000}
size=$(echo "$size" | tr x ,)

if [ "$report" = "-" ]; then
	report=$(mktemp --suffix=.html)
	go run ./cmd/summarize eval config/evals/ci.yaml --cache-mode replay --html "$report" >/dev/null || true
fi
if [ ! -s "$report" ]; then
	echo "check-html-report: $report: no such report" >&2
	exit 2
fi

browser=
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "check-html-report: no chromium found" >&2
	echo "hint: apt-get update && apt-get install -y chromium" >&2
	exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$profile" --window-size="$size" \
	--screenshot="$shot" "file://$abs" >/dev/null 2>&1
if [ ! -s "$shot" ]; then
	echo "check-html-report: chromium wrote no screenshot" >&2
	exit 1
fi
echo "$shot"
