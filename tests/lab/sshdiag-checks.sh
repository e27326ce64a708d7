#!/usr/bin/env bash
# Runs the lab with sshdiag looking at every check while it is up (tests/lab/after-sshdiag.sh):
# the client-side probe must match what the real ssh client saw, and the server side must keep
# its contract.  Prints the lab's own lines, then sshdiag's, and ends with
# `lab-sshdiag: N passed, N failed` counting both (the lab's checks and sshdiag's).
set -uo pipefail
cd "$(dirname "$0")/../.."
export SSHDIAG=${SSHDIAG:-$PWD/build/sshdiag}
export SSHDIAG_CHECKS
SSHDIAG_CHECKS=$(mktemp /tmp/sshdiag-lab-checks.XXXXXX)
LAB_AFTER="bash $PWD/tests/lab/after-sshdiag.sh" bash tests/lab/run.sh "$@" | tee /tmp/sshdiag-lab-run.$$
lab_rc=${PIPESTATUS[0]}
echo "=== sshdiag during the lab"
cat "$SSHDIAG_CHECKS"
line=$(grep -E '^lab: [0-9]+ passed, [0-9]+ failed' /tmp/sshdiag-lab-run.$$ | tail -1)
lp=$(sed -E 's/^lab: ([0-9]+) passed.*/\1/' <<<"$line")
lf=$(sed -E 's/^lab: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
sp=$(grep -c '^ok ' "$SSHDIAG_CHECKS")
sf=$(grep -c '^FAIL' "$SSHDIAG_CHECKS")
rm -f "$SSHDIAG_CHECKS" /tmp/sshdiag-lab-run.$$
[ -n "$lp" ] || { lp=0; lf=1; }
[ "$lab_rc" != 0 ] && [ "$lf" = 0 ] && lf=1
echo "lab-sshdiag: $((lp + sp)) passed, $((lf + sf)) failed"
[ $((lf + sf)) = 0 ]
