#!/usr/bin/env bash
# The bans/logs layers in the lab: runs the lab's fail2ban, MaxStartups, penalty, hosts.deny
# and DenyHosts scenarios (tests/lab/run.sh --only 08,10,12,02,09) with tests/bans/
# lab-check.sh as LAB_AFTER, prints its verdicts and ends with
# "bans-lab: N passed, N failed".  Needs root and what the lab needs.
#
#   sudo tests/bans/lab.sh BINDIR      (BINDIR has sshdiag and lab_server)
#
# BANS_LAB_SAVE=DIR keeps each scenario's reports (server text and JSON, logs text).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "${1:?usage: lab.sh BINDIR}" && pwd)
out=$(mktemp /tmp/bans-lab.XXXXXX)
trap 'rm -f "$out"' EXIT
BANS_LAB_BIN=$bin BANS_LAB_OUT=$out LAB_AFTER="bash $here/lab-check.sh" \
	"$here/../lab/run.sh" --only 08,10,12,02,09 >"$out.lab" 2>&1
lab_rc=$?
tail -n 2 "$out.lab"
rm -f "$out.lab"
cat "$out"
pass=$(grep -c '^ok ' "$out")
fail=$(grep -c '^FAIL' "$out")
[[ $lab_rc -eq 0 ]] || { echo "FAIL the lab itself failed (exit $lab_rc)"; fail=$((fail + 1)); }
echo "bans-lab: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
