#!/usr/bin/env bash
# with-devlog.sh [--pidfile FILE] DEVROOT SOCKET -- COMMAND [ARGS...]
#
# Give COMMAND a private /dev whose /dev/log is the lab's syslog socket
# (tests/lab/tslog.py), then exec COMMAND.
#
# Must run under `ip netns exec`, which puts it in a fresh mount namespace
# (refuses to run in the initial one). In that namespace only, it mounts a tiny
# tmpfs on DEVROOT (an empty directory in the lab's temp dir), copies the few
# device nodes a daemon needs into it, bind-mounts SOCKET onto DEVROOT/log and
# mounts DEVROOT over /dev. Nothing is visible outside; everything disappears
# with the last process of that mount namespace.
#
# Why: sshd with -e logs its own messages to stderr, but libwrap's refusal
# ("refused connect from ...") is written with syslog() directly, and this
# machine (like most CI containers) has no /dev/log. Running sshd without -e
# and catching its syslog gives auth.log lines exactly as Debian writes them
# (real PIDs, sshd-session[...] for 10.x).
set -euo pipefail

pidfile=""
if [[ "${1:-}" == --pidfile ]]; then
    pidfile=${2:?pidfile}
    shift 2
fi
devroot=${1:?devroot}
sock=${2:?socket}
shift 2
[[ "${1:-}" == "--" ]] && shift
[[ $# -gt 0 ]] || { echo "with-devlog: no command" >&2; exit 2; }

if [[ "$(readlink /proc/self/ns/mnt)" == "$(readlink /proc/1/ns/mnt)" ]]; then
    echo "with-devlog: refusing to run in the initial mount namespace" >&2
    exit 2
fi
[[ -d "$devroot" ]] || { echo "with-devlog: $devroot is not a directory" >&2; exit 2; }
[[ -S "$sock" ]] || { echo "with-devlog: $sock is not a socket" >&2; exit 2; }

mount --make-rprivate /
mount -t tmpfs -o mode=755,size=64k,nosuid labdev "$devroot"
for n in null zero full random urandom tty; do
    cp -a "/dev/$n" "$devroot/$n"
done
ln -s /proc/self/fd "$devroot/fd"
ln -s /proc/self/fd/0 "$devroot/stdin"
ln -s /proc/self/fd/1 "$devroot/stdout"
ln -s /proc/self/fd/2 "$devroot/stderr"
mkdir "$devroot/pts" "$devroot/shm"
: >"$devroot/log"
mount --bind "$sock" "$devroot/log"
mount --rbind "$devroot" /dev
# exec keeps this PID: it is COMMAND's PID (known before it logs anything)
[[ -n "$pidfile" ]] && printf '%s\n' "$$" >"$pidfile"
exec "$@"
