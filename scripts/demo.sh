#!/usr/bin/env bash
# The demo: builds sshdiag, then brings up lab scenarios one after another (real sshd,
# real firewall rules, real TCP wrappers in network namespaces), and for each shows what the
# real ssh client printed next to what sshdiag says about it, then cleans up.  Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
make -s -j2
export SSHDIAG="$PWD/build/sshdiag"
export NO_COLOR=1
LAB_AFTER="bash $PWD/scripts/demo-show.sh" \
	bash tests/lab/run.sh --only "${DEMO_SCENARIOS:-ok,hosts-deny,iptables-reject,maxstartups,fail2ban-and-hosts-deny}"
