#!/usr/bin/env bash
# The whole test suite — the README's second command and the only thing .ci/run calls.
# Installs what it needs (scripts/deps.sh), builds with -Werror, then runs: format check,
# core purity, unit and edge tests, the CLI contract, the same under ASan+UBSan, a short
# libFuzzer run of every parser, and the lab (real sshd, firewalls, fail2ban in network
# namespaces).  Each suite ends with "NAME: N passed, N failed"; this script sums them and
# ends with the line "N passed, N failed".  Exit 0 only when nothing failed.
#
# Environment: FUZZ_SECONDS (default 10 per target), LAB_REPEAT (default 3: the lab must give
# the same results three times in a row), SKIP_LAB=1.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=build/test-logs
total_pass=0
total_fail=0
summary=()

# run_suite NAME COMMAND...: counts the suite's own "N passed, N failed" line when it prints
# one, else counts the command as one check.
run_suite() {
	local name=$1
	shift
	mkdir -p "$logs"
	echo "=== $name: $*"
	local start=$SECONDS
	"$@" 2>&1 | tee "$logs/$name.log"
	local rc=${PIPESTATUS[0]}
	local p f line
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -1 || true)
	if [ -n "$line" ]; then
		p=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
		f=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	elif [ "$rc" = 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary+=("$(printf '%-10s %5d passed %3d failed  %4ds' "$name" "$p" "$f" $((SECONDS - start)))")
}

if ! bash scripts/deps.sh; then
	echo "0 passed, 1 failed"
	exit 1
fi

run_suite build make -j2 WERROR=-Werror all build/unit-tests build/edge-tests build/tcpwrap-unit \
	build/tcpwrap-diff build/sshd-unit build/sshd-edge build/sshd-diff build/logs-unit \
	build/bans-unit build/logs-corpus build/logs-edge build/firewall-unit build/firewall-edge \
	build/fw-predict
run_suite format make -s format-check
run_suite purity make -s purity
run_suite unit build/unit-tests
run_suite edge build/edge-tests
run_suite tcpwrap-unit build/tcpwrap-unit
run_suite tcpwrap-diff build/tcpwrap-diff 100000
run_suite sshd-unit build/sshd-unit
run_suite sshd-edge build/sshd-edge
run_suite sshd-diff make -s sshd-diff
run_suite logs-unit build/logs-unit
run_suite bans-unit build/bans-unit
run_suite logs-corpus bash -c 'build/logs-corpus tests/logs/corpus/*.txt'
run_suite logs-edge build/logs-edge
run_suite firewall-unit build/firewall-unit
run_suite firewall-edge build/firewall-edge
run_suite firewall-diff make -s firewall-diff
run_suite cli bash tests/cli/contract.sh
run_suite explain bash tests/explain/run.sh
run_suite completion bash tests/completion/run.sh
run_suite schema bash tests/schema/run.sh
run_suite bundle bash tests/bundle/bundle.sh
run_suite asan-build make -s -j2 asan
run_suite asan-unit build/asan/unit-tests
run_suite asan-edge build/asan/edge-tests
run_suite asan-tcpwrap build/asan/tcpwrap-unit
run_suite asan-sshd build/asan/sshd-unit
run_suite asan-sshd-edge build/asan/sshd-edge
run_suite asan-logs build/asan/logs-unit
run_suite asan-bans build/asan/bans-unit
run_suite asan-firewall build/asan/firewall-unit
run_suite asan-cli env SSHDIAG=build/asan/sshdiag bash tests/cli/contract.sh
run_suite asan-explain env SSHDIAG=build/asan/sshdiag bash tests/explain/run.sh
run_suite asan-bundle env SSHDIAG=build/asan/sshdiag bash tests/bundle/bundle.sh
run_suite hostile python3 tests/probe/hostile.py
run_suite ramp bash tests/probe/ramp.sh
run_suite client bash tests/probe/client_side.sh
run_suite asan-client env SSHDIAG=build/asan/sshdiag bash tests/probe/client_side.sh
run_suite fuzz make -s fuzz-run FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
if [ "${SKIP_LAB:-0}" != 1 ]; then
	run_suite lab bash tests/lab/sshdiag-checks.sh --repeat "${LAB_REPEAT:-3}"
fi
# nothing the tests started may outlive them
run_suite leftovers bash -c '
	left=$(ip netns list 2>/dev/null | grep -E "^sd(lab|ramp|bench|fw|sshd|cli)" || true)
	if [ -n "$left" ]; then echo "leftover namespaces: $left"; exit 1; fi
	echo "no test namespace left"'


echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
