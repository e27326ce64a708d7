#!/usr/bin/env bash
# LAB_AFTER hook that makes the lab's real sshd (9.2 in 01-ok, 10.0 in 13-refuse-connection)
# write the pre-authentication lines the log corpus needs, then copies auth.log:
#
#   sudo LAB_AFTER='bash tests/logs/lab-corpus.sh OUTDIR' tests/lab/run.sh --only 01,13
#
# Traffic (tests/logs/lab_traffic.py, from the third client, 198.51.100.10): an HTTP request
# instead of a banner, connect-and-close, connect-and-reset, a banner then close, an ssh
# client with only an old key exchange (Unable to negotiate), and a burst of 14 held
# connections (past MaxStartups 10:30:100).  Each scenario's log lands in OUTDIR/NAME.log;
# tests/logs/corpus/*.txt are built from them (class, address, port, line).
set -uo pipefail
out=${1:?usage: lab-corpus.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
case "$LAB_SCENARIO/$LAB_CHECK" in
01-ok/c1 | 13-refuse-connection/c2-not-matched) ;;
*) exit 0 ;;
esac
mkdir -p "$out"
c3=${LAB_SRV_NS%-srv}-c3
t() { timeout 10 ip netns exec "$c3" python3 "$here/lab_traffic.py" "$LAB_SERVER_ADDR" "$LAB_PORT" "$@"; }
t garbage
t close
t reset
t banner
timeout 15 ip netns exec "$c3" env -u SSH_AUTH_SOCK LC_ALL=C ssh -F /dev/null -o BatchMode=yes \
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
	-o KexAlgorithms=diffie-hellman-group1-sha1 -p "$LAB_PORT" "corpus@$LAB_SERVER_ADDR" true \
	</dev/null >/dev/null 2>&1
t burst 14
sleep 1
cp "$LAB_AUTH_LOG" "$out/$LAB_SCENARIO.log"
exit 0
