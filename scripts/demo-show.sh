#!/usr/bin/env bash
# Called by the lab (LAB_AFTER) while a demo scenario is up: shows what the real client saw
# and what sshdiag says, from both sides.
set -uo pipefail
echo
echo "┌─ scenario $LAB_SCENARIO"
echo "│ real ssh from $LAB_CLIENT_ADDR printed: $LAB_CLIENT_LAST_LINE"
echo "│"
echo "│ \$ sshdiag probe -n 2 $LAB_SERVER_ADDR:$LAB_PORT      (client side, $LAB_CLIENT_ADDR)"
ip netns exec "$LAB_CLIENT_NS" "$SSHDIAG" probe -n 2 "$LAB_SERVER_ADDR:$LAB_PORT" | sed 's/^/│ /'
echo "│"
echo "│ \$ sshdiag server --client $LAB_CLIENT_ADDR --port $LAB_PORT --log (the lab's auth.log)   (server side)"
ip netns exec "$LAB_SRV_NS" "$SSHDIAG" server --client "$LAB_CLIENT_ADDR" --port "$LAB_PORT" \
	${LAB_AUTH_LOG:+--log "$LAB_AUTH_LOG"} | sed 's/^/│ /'
echo "└─"
exit 0
