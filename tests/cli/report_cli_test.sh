#!/usr/bin/env bash
# leptoscan report on a synthetic subject folder (written by report_tests, which keeps it when asked),
# rendered by headless Chromium: the page is not blank and the key images show the pattern colours
# beyond the legend. Skips (exit 77) only when Chromium is not installed.
source "$(dirname "$0")/lib.sh"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium is not installed (scripts/setup installs it)"
  exit 77
fi
subject="$work/subject"

run 0 report --help
check "--help has examples" grep -q "^Examples:" "$work/out"

check "report_tests writes the subject folder" env LEPTOSCAN_KEEP_REPORT_SUBJECT="$subject" \
  "${REPORT_TESTS:?set by ctest}" --gtest_filter=SubjectReport.IsSelfContainedAndEscapesWhatItShows
run 0 report "$subject"
check "report.html beside the manifest" test -s "$subject/report.html"
run 0 report "$subject" -o "$work/report.html"
check "-o writes elsewhere" cmp -s "$subject/report.html" "$work/report.html"
check "no external resource" bash -c "! grep -Eq 'https?:|<script|<link' '$work/report.html'"

timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$work/shot.png" --window-size=1280,2000 "file://$work/report.html" >"$work/chromium.log" 2>&1
check "Chromium took a screenshot" test -s "$work/shot.png"
"${SCREENSHOT_COLOURS:?set by ctest}" "$work/shot.png" 255,40,40 255,215,0 235,0,235 >"$work/colours"
cat "$work/colours"
value() { awk -v key="$1" '$1 == key { print $2 }' "$work/colours"; }
check "the page is not blank" awk -v f="$(value nonwhite)" 'BEGIN { exit !(f > 0.1) }'
# Magenta (cranial nerve) is only in the legend: the nodule's red and the linear patch's yellow must be in
# the images as well.
legend=$(value 235,0,235)
check "the legend is rendered" test "$legend" -gt 50
check "the nodule overlay is in the key images" test "$(value 255,40,40)" -gt $((legend + 100))
check "the linear overlay is in the key images" test "$(value 255,215,0)" -gt $((legend + 100))

rm "$subject/20240301/score.json"
run 1 report "$subject"
check "a missing score is named" contains err "20240301/score.json: missing"
run 2 report "$work/no-such-subject"

finish
