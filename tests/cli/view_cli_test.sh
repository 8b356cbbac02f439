#!/usr/bin/env bash
# leptoscan-view as a user meets it, with no display at all: help with examples, exit codes 0/1/2, the
# findings list, decisions recorded in review.json, `leptoscan score` on the reviewed findings, and
# snapshots through a nodule with its pattern colour, the 3-D view (under xvfb-run). The subject folder is the synthetic one report_tests
# writes (tests/pipeline/synthetic_subject.h).
source "$(dirname "$0")/lib.sh"
view=${LEPTOSCAN_VIEW:?set by ctest}
colours=${SCREENSHOT_COLOURS:?set by ctest}
unset DISPLAY WAYLAND_DISPLAY
subject="$work/subject"
view() { run_program "$view" "$@"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

view 0 --help
check "--help has examples" grep -q "^Examples:" "$work/out"
check "--help shows a snapshot example" contains out "leptoscan-view /results/P001 --snapshot n1.png --finding N1"
check "--help shows a 3-D snapshot example" contains out "leptoscan-view /results/P001 --snapshot n1-3d.png --finding N1 --view 3d"
check "--help gives the exit codes" contains out "Exit codes: 0"
check "--help lists the ruler key" contains out "m      ruler: measure the nodule"
check "--help lists the editing keys" contains out "l      next location of the nodule"
check "--help shows a study example" contains out "leptoscan-view /data/P001/2024-05-09 --findings reader1.json"
view 0 --version
check "--version" contains out "leptoscan-view 0\."
view 2
view 2 "$work/no-such-subject" --list

check "report_tests writes the subject folder" env LEPTOSCAN_KEEP_REPORT_SUBJECT="$subject" \
  "${REPORT_TESTS:?set by ctest}" --gtest_filter=SubjectReport.IsSelfContainedAndEscapesWhatItShows
view 2 "$subject" --list --reviewer ""  --accept N1 --timepoint 20240101
check "decisions need a reviewer" contains err "give --reviewer"
view 2 "$subject"
check "without a display the window is refused, saying what works" contains err "the review window needs a display (DISPLAY is not set); without one, use --list, --snapshot"
view 2 "$subject" --snapshot "$work/x.png" --view oblique

# The list.
view 0 "$subject" --list
check "the list names the time point" contains out "2024-01-01 (20240101)"
check "the list has the nodule with its id" grep -q "^  N1	pending	nodule, subarachnoid, 12.0 x 12.0 mm, measurable" "$work/out"
check "the list has the items" grep -q "^  items.brain_linear	pending	item present, 150.0 mm2" "$work/out"
view 0 "$subject" --list --timepoint 2024-03-01
check "--timepoint picks the follow-up" contains out "N1	pending	nodule, subarachnoid, 6.0 x 6.0 mm"
view 1 "$subject" --list --timepoint 2025-01-01
check "an unknown time point names the manifest and lists the time points" \
  contains err "manifest.json: no time point 2025-01-01; the time points are 20240101 (2024-01-01), 20240301"

# Decisions: review.json beside findings.json, whole; bad decisions change nothing.
findings_before=$(sha1sum "$subject/20240301/findings.json")
view 2 "$subject" --accept N1 --reviewer tester
check "decisions on a subject with several time points need --timepoint" contains err "--timepoint"
view 2 "$subject" --timepoint 20240301 --diameters N1=14 --reviewer tester
check "a bad --diameters is a usage error" contains err "expected two positive lengths"
view 1 "$subject" --timepoint 20240301 --reject N9 --reviewer tester
check "an unknown finding is named" contains err "no finding N9 in $subject/20240301/findings.json"
view 1 "$subject" --timepoint 20240301 --location N1=brain --reviewer tester
check "a location the contract rejects is explained" contains err "unknown nodule location \"brain\""
check "no review.json after failed decisions" test ! -e "$subject/20240301/review.json"
view 0 "$subject" --timepoint 20240301 --diameters N1=11x14 --accept E1 --reviewer tester
check "review.json written" test -s "$subject/20240301/review.json"
check "review.json holds the edit" test "$(json "$subject/20240301/review.json" "[l['diameters_mm'] for l in d['lesions'] if l['id'] == 'N1']")" = "[[14.0, 11.0]]"
check "review.json holds who decided" test "$(json "$subject/20240301/review.json" "sorted((x['finding'], x['decision'], x['reviewer']) for x in d['review']['decisions'])")" = "[('E1', 'accepted', 'tester'), ('N1', 'edited', 'tester')]"
check "the pipeline's findings are untouched" test "$findings_before" = "$(sha1sum "$subject/20240301/findings.json")"
check "no temporary files left" test -z "$(find "$subject" -name '.partial-*')"
view 0 "$subject" --list --timepoint 20240301
check "the list shows the decisions" grep -q "^  N1	edited	nodule, subarachnoid, 14.0 x 11.0 mm" "$work/out"

# leptoscan score on the reviewed findings: 294 -> 96 mm2 (PR) becomes 294 -> 214 mm2 (SD).
bl="$subject/20240101/findings.json"
run 0 score --baseline "$bl" --followup "$subject/20240301/findings.json"
check "the pipeline's findings score PR" contains out "composite 294.0 -> 96.0 mm2"
run 0 score --baseline "$bl" --followup "$subject/20240301/review.json" -o "$work/reviewed.json"
check "the reviewed findings score SD" test "$(json "$work/reviewed.json" "d['response'], d['followup']['composite_mm2']")" = "SD 214.0"
check "score logs the review" contains err "review.json: reviewed: 1 accepted, 0 rejected, 1 edited, 2 pending (reviewer tester)"
view 0 --timepoint 20240101 --reject E1 --reviewer tester "$subject"  # options before the folder
run 0 score --baseline "$subject/20240101/review.json" --followup "$subject/20240301/review.json" -o "$work/rejected.json"
check "a rejected baseline lesion leaves its item absent: PD" test "$(json "$work/rejected.json" "d['response']")" = "PD"

# Snapshots without a display: the nodule's outline in its colour (255,40,40) adds to its legend swatch.
view 0 "$subject" --snapshot "$work/n1.png" --finding N1
check "a snapshot is written" test -s "$work/n1.png"
check "it is a PNG" bash -c "head -c 8 '$work/n1.png' | od -An -c | grep -q 'P   N   G'"
"$colours" "$work/n1.png" 255,40,40 235,0,235 >"$work/colours"
value() { awk -v key="$1" '$1 == key { print $2 }' "$work/colours"; }
check "the legend is drawn (cranial nerve: legend only)" test "$(value 235,0,235)" -ge 144
check "the nodule is drawn in its colour" test "$(value 255,40,40)" -gt $(($(value 235,0,235) + 50))
view 0 "$subject" --snapshot "$work/overview.png" --view sagittal --timepoint 2024-03-01
check "without --finding: through the head centre" contains err "wrote $work/overview.png"
view 1 "$subject" --snapshot "$work/n9.png" --finding N9
check "an unknown finding names findings.json and the lesions" contains err "20240101/findings.json: no lesion N9 (lesions: E1, N1)"
view 1 "$subject" --snapshot "$work/no-such-folder/x.png" --finding N1
check "an unwritable snapshot is named" contains err "no-such-folder/x.png"
# The 3-D view needs OpenGL through X: without a display and without xvfb-run it says what to do; with
# xvfb-run it draws on a virtual display by itself, the nodule's surface in its colour, more of it than its
# legend swatch.
check "no display and no xvfb-run" bash -c "! env PATH=/nonexistent '$view' '$subject' --snapshot '$work/n1-3d.png' --finding N1 --view 3d 2> '$work/err'"
check "the 3-D view without a display says to use xvfb-run" contains err "run under a virtual one, xvfb-run -a leptoscan-view"
check "and writes nothing" test ! -e "$work/n1-3d.png"
if command -v xvfb-run >/dev/null; then
  view 0 "$subject" --snapshot "$work/n1-3d.png" --finding N1 --view 3d
  check "without a display, the 3-D view on a virtual one" contains err "drawing the 3-D view on a virtual one (xvfb-run)"
  "$colours" "$work/n1-3d.png" 255,40,40 235,0,235 >"$work/colours"
  check "the 3-D view has the legend" test "$(value 235,0,235)" -ge 144
  check "the 3-D view draws the nodule in its colour" test "$(value 255,40,40)" -gt $(($(value 235,0,235) + 300))
else
  echo "skipped the 3-D view: xvfb-run is not installed (scripts/setup installs it)"
fi
rm "$subject/20240101/patterns.nii.gz"
view 1 "$subject" --snapshot "$work/x.png"
check "a missing image is named" contains err "20240101/patterns.nii.gz: missing: the viewer needs this file"

# A study that has not been run, with a reader's findings (the study viewer_tests writes: a pre- and a
# post-contrast T1 series of the synthetic baseline, and its findings outside the study).
case="$work/study-case"
check "viewer_tests writes a study" env LEPTOSCAN_KEEP_STUDY="$case" "${VIEWER_TESTS:?set by ctest}" \
  --gtest_filter=StudyReview.ShowsThePostContrastSeriesWithTheFindingsAndNoPatterns
study="$case/study" reader="$case/reader/findings.json"
study_sums() { (cd "$study" && find . -type f -exec sha1sum {} + | sort); }
before=$(study_sums)
view 0 "$study" --findings "$reader" --list
check "a study's findings are listed" grep -q "^  N1	pending	nodule, subarachnoid, 12.0 x 12.0 mm" "$work/out"
check "the post-contrast series is named" contains err "series 2 \"T1 MPRAGE\""
view 0 "$study" --findings "$reader" --snapshot "$work/study-n1.png" --finding N1 --view coronal
check "a snapshot of a study is written" contains err "wrote $work/study-n1.png"
view 0 "$study" --findings "$reader" --accept N1 --reject E1 --reviewer tester
check "decisions go to review.json beside the findings" test "$(json "$case/reader/review.json" "sorted((x['finding'], x['decision']) for x in d['review']['decisions'])")" = "[('E1', 'rejected'), ('N1', 'accepted'), ('items.brain_linear', 'rejected')]"
view 0 "$study" --findings "$reader" --review "$work/reviews/P1.json" --diameters N1=14x8 --reviewer tester
check "or where --review says" test "$(json "$work/reviews/P1.json" "[l['diameters_mm'] for l in d['lesions'] if l['id'] == 'N1'], d['review']['findings']")" = "[[14.0, 8.0]] ../study-case/reader/findings.json"
view 1 "$study" --findings "$reader" --review "$study/series2/review.json" --accept N1 --reviewer tester
check "a review inside the study is refused" contains err "$study/series2/review.json: lies in the study folder $study, which is never written to"
view 2 "$study" --findings "$case/no-such.json" --list
check "a missing findings file is named" contains err "no-such.json"
echo '{"schema": "leptoscan.findings/1", "subject": "P1"}' >"$work/bad.json"
view 1 "$study" --findings "$work/bad.json" --list
check "a findings file breaking the contract is named" contains err "$work/bad.json"
view 1 "$study/series1" --findings "$reader" --list
check "a folder without a post-contrast T1 is named" contains err "$study/series1: holds no post-contrast T1 series (series: \"T1 MPRAGE\" t1_pre)"
echo '{"roles": [{"description": "mprage", "role": "t1_post"}]}' >"$work/roles.json"
view 0 "$study/series1" --findings "$reader" --roles "$work/roles.json" --list
check "--roles overrides the roles" contains err "series 1 \"T1 MPRAGE\""
view 2 "$study" --findings "$reader" --timepoint 20240101 --list
view 2 "$study" --review "$work/r.json" --list
check "--review needs --findings" contains err "requires --findings"
check "the study folder is unchanged" test "$before" = "$(study_sums)"

# The review window, on a virtual display, driven by typed keys: next (N1), reject, save, quit.
if command -v xvfb-run >/dev/null; then
  rm -f "$subject/20240301/review.json"
  check "the window runs a scripted review and closes on q" timeout 60 xvfb-run -a -s "-screen 0 1280x1024x24" \
    "$view" "$subject" --timepoint 20240301 --reviewer tester --keys nxsq
  check "its decisions are saved" test "$(json "$subject/20240301/review.json" "[(x['finding'], x['decision']) for x in d['review']['decisions']]")" = "[('N1', 'rejected'), ('items.brain_nodules', 'rejected')]"
  check "the window reviews a study" timeout 60 xvfb-run -a -s "-screen 0 1280x1024x24" \
    "$view" "$study" --findings "$reader" --review "$work/window.json" --reviewer tester --keys nxsq
  check "its decisions are saved where --review says" test "$(json "$work/window.json" "[(x['finding'], x['decision']) for x in d['review']['decisions']]")" = "[('N1', 'rejected'), ('items.brain_nodules', 'rejected')]"
  check "the study folder is still unchanged" test "$before" = "$(study_sums)"
else
  echo "skipped the review window: xvfb-run is not installed (scripts/setup installs it)"
fi

finish
