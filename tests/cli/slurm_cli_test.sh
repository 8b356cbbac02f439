#!/usr/bin/env bash
# leptoscan slurm and aggregate on a real single-node Slurm (scripts/slurm-local, started here): a job
# array over a good and a broken phantom subject runs, aggregate writes the cohort table and names the
# failed task, a lost case is resubmitted alone and finishes without redoing its analyses, and the
# results equal those of `leptoscan batch` on the same folder with the same pseudonym key (the batch
# fixture, batch_fixture.sh).
source "$(dirname "$0")/lib.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)
fixture="$LEPTOSCAN_TEST_DATA/batch"
root="$fixture/root"
good=$(ls "$root" | grep '^PH')

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: starting the local Slurm needs root"
  exit 77
fi
# Four advertised cores: both one-core tasks run at once on this two-core machine.
if ! SLURM_NODE_CPUS=4 bash "$repo/scripts/slurm-local/start-slurm.sh" >"$work/slurm-start.log" 2>&1; then
  cat "$work/slurm-start.log" >&2
  echo "FAIL: the local Slurm did not start" >&2
  exit 1
fi
trap 'bash "$repo/scripts/slurm-local/stop-slurm.sh" >/dev/null 2>&1; rm -rf "$work"' EXIT
export SLURM_CONF=/etc/slurm/slurm.conf

# Polls squeue (sbatch --wait polls slowly) until the job has left the queue.
wait_job() {
  local deadline=$(($(date +%s) + 900))
  while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 2
  done
}

key="$fixture/lab.key"

run 0 slurm --help
check "slurm --help has examples" grep -q "^Examples:" "$work/out"
run 0 slurm "$root" "$work/results" --cpus 1 --mem 1G --time 0:30:00 --pseudonym-key "$key" --submit
job=$(cat "$work/out")
check "--submit prints the job id" grep -Eq '^[0-9]+$' <<<"$job"
check "the script asks for the resources" grep -q -- "--cpus-per-task=1" "$work/results/slurm/job.sh"
check "the job finishes" wait_job "$job"
check "a log per task" test "$(ls "$work/results/slurm/logs" | wc -l)" -eq 2

good_subject=$(pseudonym "$key" "$good")
bad_subject=$(pseudonym "$key" "BAD^1/../x")
check "identifiers.tsv has both subjects before any task ran" test "$(wc -l <"$work/results/identifiers.tsv")" -eq 3
bad_task=$(awk -F'\t' '$2 == "'"$bad_subject"'" {print $1}' "$work/results/slurm/cases.tsv")
good_task=$(awk -F'\t' '$2 == "'"$good_subject"'" {print $1}' "$work/results/slurm/cases.tsv")
run 1 aggregate "$work/results"
check "aggregate names the failed task" contains err "1 of 2 tasks failed ($bad_task)"
check "results.tsv: the good subject scored, the broken one failed in its analysis" /usr/bin/python3 -c "
import csv
rows = {r['subject']: r for r in csv.DictReader(open('$work/results/results.tsv'), delimiter='\t')}
assert rows['$good_subject']['status'] == 'ok' and rows['$good_subject']['response'], rows
assert rows['$bad_subject']['status'] == 'failed' and rows['$bad_subject']['error'].startswith('analysis'), rows"

# The same folder through batch: identical findings, scores and cohort table.
ln -s "$fixture/out" "$work/batch"
check "batch and the Slurm array give the same results.tsv" cmp "$work/results/results.tsv" "$work/batch/results.tsv"
check "and the same findings and scores" bash -c "
  cd '$work/results/$good_subject' && for f in */findings.json */score.json scores.tsv; do cmp \"\$f\" '$work/batch/$good_subject/'\"\$f\" || exit 1; done"
check "and the same identifiers.tsv" cmp "$work/results/identifiers.tsv" "$work/batch/identifiers.tsv"

# A case that lost its manifest (as if its task had been killed) is resubmitted with the failed one.
rm "$work/results/$good_subject/manifest.json"
run 1 aggregate "$work/results"
check "a case without manifest did not finish" contains err "task $good_task ($good_subject): not finished"
run 0 slurm "$root" "$work/results" --resubmit-failed
job2=$(cat "$work/out")
check "the resubmission is recorded" grep -q "^$job2	1,2	" "$work/results/slurm/jobs.tsv"
check "the resubmitted job finishes" wait_job "$job2"
run 1 aggregate "$work/results"
check "only the broken subject is still failed" contains err "1 of 2 tasks failed ($bad_task)"
check "the resubmitted case reused its analyses" /usr/bin/python3 -c "
import json
stages = json.load(open('$work/results/$good_subject/manifest.json'))['stages']
assert all(s['status'] == 'skipped' for s in stages if s['stage'] in ('analysis', 'registration')), stages"
finish
