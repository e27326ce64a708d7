#!/usr/bin/env bash
# The bash completion (contrib/bash-completion/sshdiag): sourced in a clean bash, asked for
# the completions of a few command lines, compared with what must (and must not) come back;
# then `make install DESTDIR=…` must put it where bash-completion looks.
# Ends with `completion: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/../.."
comp=contrib/bash-completion/sshdiag
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

tmp=$(mktemp -d /tmp/sshdiag-comp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.ssh" "$tmp/roots/root1" "$tmp/roots/root2" "$tmp/logs"
: >"$tmp/roots/rootfile" >"$tmp/logs/auth.log" >"$tmp/logs/auth.log.1"
cat >"$tmp/home/.ssh/known_hosts" <<'KH'
web1.example,192.0.2.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
[web2.example]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
|1|JfKTdBh7rNbXkVAQCRp4OQoPfmI=|USECr3SWf1JUPsms5AqfD5QfxkM= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
@cert-authority *.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
KH
cat >"$tmp/home/.ssh/config" <<'CF'
Host webcfg bastion
	HostName 192.0.2.9
Host *.internal web?
	User admin
CF

# complete LINE: prints the completions of LINE (cursor at its end), one per line, sorted
complete_line() {
	HOME="$tmp/home" bash --norc --noprofile -c '
		source "$1"
		line=$2
		read -r -a COMP_WORDS <<<"$line"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		_sshdiag sshdiag "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$comp" "$1"
}

# expect NAME LINE WANT... : every WANT must be offered; "!X" must not be; "=N" exactly N
expect() {
	local name=$1 line=$2 got w miss=""
	shift 2
	got=$(complete_line "$line")
	for w in "$@"; do
		case $w in
		!*) grep -qxF -- "${w#!}" <<<"$got" && miss+=" offered:${w#!}" ;;
		=*) [ "$(grep -c . <<<"$got")" = "${w#=}" ] || miss+=" count:$(grep -c . <<<"$got")/${w#=}" ;;
		*) grep -qxF -- "$w" <<<"$got" || miss+=" missing:$w" ;;
		esac
	done
	if [ -z "$miss" ]; then ok "$name"; else bad "$name:$miss (got: $(tr '\n' ' ' <<<"$got"))"; fi
}

expect "commands" "sshdiag " probe server logs sshd-config explain bundle --version =8
expect "command prefix" "sshdiag ex" explain =1
expect "command prefix s" "sshdiag s" server sshd-config =2
expect "probe options" "sshdiag probe --" --source --no-deep --ramp= --json --no-ssh-config --port !--client
expect "probe --no-" "sshdiag probe --no-" --no-deep --no-ssh-config =2
expect "probe -F" "sshdiag probe -" -F -b -4 -6
expect "probe hosts from known_hosts and config" "sshdiag probe " web1.example 192.0.2.5 web2.example:2222 webcfg bastion !web? !*.internal '!|1|JfKTdBh7rNbXkVAQCRp4OQoPfmI=|USECr3SWf1JUPsms5AqfD5QfxkM=' '!*.example'
expect "probe host prefix" "sshdiag probe --json we" web1.example web2.example:2222 webcfg =3
expect "server options" "sshdiag server --cl" --client --client-name =2
expect "server has no --pr option" "sshdiag server --pr" =0
expect "server --root takes directories" "sshdiag server --root $tmp/roots/r" "$tmp/roots/root1" "$tmp/roots/root2" "!$tmp/roots/rootfile"
expect "server -r takes directories" "sshdiag server -r $tmp/roots/" "$tmp/roots/root1" "!$tmp/roots/rootfile"
expect "server --log takes files" "sshdiag server --log $tmp/logs/a" "$tmp/logs/auth.log" "$tmp/logs/auth.log.1" =2
expect "logs: files as arguments" "sshdiag logs $tmp/logs/auth" "$tmp/logs/auth.log" "$tmp/logs/auth.log.1"
expect "logs --journal=DIR (unsplit)" "sshdiag logs --journal=$tmp/roots/ro" "--journal=$tmp/roots/root1" "--journal=$tmp/roots/root2" "!--journal=$tmp/roots/rootfile"
expect "logs --journal = DIR (split at =)" "sshdiag logs --journal = $tmp/roots/ro" "$tmp/roots/root1" "$tmp/roots/root2" =2
expect "logs --since" "sshdiag logs --since y" yesterday =1
expect "sshd-config options" "sshdiag sshd-config --" --client --user --laddr --file --root --all --json
expect "sshd-config --user" "sshdiag sshd-config --user roo" root
expect "explain options" "sshdiag explain --" --json --help !--client
expect "explain offers no hosts" "sshdiag explain " - !web1.example
expect "bundle options" "sshdiag bundle -" -o --root --json
expect "bundle -o takes files" "sshdiag bundle -o $tmp/logs/auth.log." "$tmp/logs/auth.log.1" =1
expect "value of --port is not an option" "sshdiag probe --port " 22 !--json

# installed where bash-completion looks
dest="$tmp/dest"
if make -s install DESTDIR="$dest" PREFIX=/usr >"$tmp/install.log" 2>&1 &&
	cmp -s "$comp" "$dest/usr/share/bash-completion/completions/sshdiag"; then
	ok "make install puts it in \$(PREFIX)/share/bash-completion/completions/sshdiag"
else
	bad "make install: completion not installed"
	sed 's/^/     /' "$tmp/install.log" | tail -5
fi
if make -s uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1 &&
	[ ! -e "$dest/usr/share/bash-completion/completions/sshdiag" ]; then
	ok "make uninstall removes it"
else
	bad "make uninstall left the completion"
fi

echo "completion: $pass passed, $fail failed"
[ "$fail" = 0 ]
