#!/usr/bin/env bash
# Installs every build and test dependency of sshdiag from Debian's packages.
# Idempotent: when everything is present it only asks dpkg and returns (well under a second).
# Services that packages would start (sshd, fail2ban) are kept from starting: the lab starts
# its own, inside network namespaces.
set -euo pipefail

PKGS=(
	# build
	gcc make pkg-config libc6-dev libjansson-dev
	# sanitizers, libFuzzer and formatting
	clang libclang-rt-14-dev clang-format
	# later layers: deep probe, journal, fail2ban's database
	libssh-dev libsystemd-dev libsqlite3-dev
	# the lab: real OpenSSH, firewalls, ban tools, TCP wrappers
	openssh-server openssh-client libwrap0 tcpd fail2ban iptables nftables ipset
	iproute2 procps socat python3 systemd-journal-remote time
	# the JSON schemas of docs/schema are checked against real output (tests/schema)
	python3-jsonschema
	# fetching OpenSSH 10 from backports
	apt dpkg ca-certificates
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
# Keep packages from starting daemons on the host (Debian's policy-rc.d convention).
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
