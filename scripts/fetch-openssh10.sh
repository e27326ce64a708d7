#!/usr/bin/env bash
# Fetch OpenSSH 10.x (openssh-server, openssh-client, openssh-sftp-server)
# from <codename>-backports and unpack it into build/openssh10/ (repo root).
#
# The apt source is derived at run time from this machine's own apt
# configuration (deb822 *.sources and one-line sources.list entries): the URI
# whose suite is the OS codename, with the same Signed-By. apt runs with a
# private source list, private lists and a private cache, so the system's apt
# configuration and state are never touched. Nothing is installed.
#
# Idempotent: does nothing if build/openssh10/usr/sbin/sshd already runs
# (-V). Concurrent callers serialise on build/.openssh10.lock. Needs root
# (apt-get update/download) and network access to the machine's mirror.
#
# Usage: scripts/fetch-openssh10.sh [--force | --print-source]
#   --force         fetch again even if build/openssh10 is present
#   --print-source  print the derived backports apt source and exit
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST="$ROOT/build/openssh10"
PKGS=(openssh-server openssh-client openssh-sftp-server)

log() { printf 'fetch-openssh10: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

force=0
print_only=0
case "${1:-}" in
--force) force=1 ;;
--print-source) print_only=1 ;; # show the derived apt source and exit
"") ;;
*) echo "usage: $0 [--force|--print-source]" >&2; exit 2 ;;
esac

present() {
    local v
    [[ -x "$DEST/usr/sbin/sshd" ]] || return 1
    # the per-connection helpers too: a missing one breaks every 10.0 scenario
    [[ -x "$DEST/usr/lib/openssh/sshd-session" && -x "$DEST/usr/lib/openssh/sshd-auth" ]] || return 1
    # sshd -V prints the version on stderr (exit status varies by release).
    v=$("$DEST/usr/sbin/sshd" -V 2>&1 || true)
    [[ "$v" == OpenSSH_10* ]] || return 1
    log "already present: ${v%%,*} in $DEST"
}
if [[ $force -eq 0 && $print_only -eq 0 ]]; then
    present && exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found"

# shellcheck disable=SC1091
codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
[[ -n "$codename" ]] || die "no VERSION_CODENAME in /etc/os-release"

# Where this machine's apt sources are (normally /etc/apt/sources.list and
# /etc/apt/sources.list.d); FETCH_APT_SOURCES_LIST / FETCH_APT_SOURCES_PARTS
# override them (for testing the parser only).
SOURCES_LIST=/etc/apt/sources.list
SOURCES_PARTS=/etc/apt/sources.list.d
if cfg=$(apt-config shell SOURCES_LIST Dir::Etc::sourcelist/f SOURCES_PARTS Dir::Etc::sourceparts/d 2>/dev/null); then
    eval "$cfg"
fi
SOURCES_LIST=${FETCH_APT_SOURCES_LIST:-$SOURCES_LIST}
SOURCES_PARTS=${FETCH_APT_SOURCES_PARTS:-${SOURCES_PARTS%/}}

# --- find "URI<TAB>Signed-By<TAB>Components" for suite == $codename ----------
# (a multi-line Signed-By, i.e. an embedded key block, comes back with its
# line breaks encoded as \001)
find_source() {
    local f
    # deb822 files
    for f in "$SOURCES_PARTS"/*.sources; do
        [[ -f "$f" ]] || continue
        awk -v want="$codename" '
            function flush() {
                if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[Nn][Oo]/ && uris != "") {
                    n = split(suites, s, /[ \t]+/)
                    for (i = 1; i <= n; i++) if (s[i] == want) {
                        split(uris, u, /[ \t]+/)
                        printf "%s\t%s\t%s\n", u[1], signed, comps
                        found = 1; exit
                    }
                }
                types = uris = suites = comps = signed = enabled = key = ""
            }
            /^#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/ { if (key == "signed-by") signed = signed "\001" $0; next }
            /^[A-Za-z-]+:/ {
                key = tolower($0); sub(/:.*/, "", key)
                val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
                if (key == "types") types = val
                else if (key == "uris") uris = val
                else if (key == "suites") suites = val
                else if (key == "components") comps = val
                else if (key == "signed-by") signed = val
                else if (key == "enabled") enabled = val
                next
            }
            END { if (!found) flush() }
        ' "$f" | head -n1 | grep . && return 0
    done
    # one-line format
    for f in "$SOURCES_LIST" "$SOURCES_PARTS"/*.list; do
        [[ -f "$f" ]] || continue
        awk -v want="$codename" '
            /^[ \t]*deb[ \t]/ {
                line = $0; signed = ""
                if (match(line, /\[[^]]*\]/)) {
                    opts = substr(line, RSTART + 1, RLENGTH - 2)
                    line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
                    n = split(opts, o, /[ \t]+/)
                    for (i = 1; i <= n; i++) if (o[i] ~ /^signed-by=/) { signed = o[i]; sub(/^signed-by=/, "", signed) }
                }
                n = split(line, w, /[ \t]+/)
                # w[1]=deb (or empty if leading space), find uri after "deb"
                for (i = 1; i <= n; i++) if (w[i] == "deb") break
                uri = w[i + 1]; suite = w[i + 2]; comps = ""
                for (j = i + 3; j <= n; j++) comps = comps (comps == "" ? "" : " ") w[j]
                if (suite == want) { printf "%s\t%s\t%s\n", uri, signed, comps; exit }
            }
        ' "$f" | head -n1 | grep . && return 0
    done
    return 1
}

src=$(find_source) || die "no apt source with suite '$codename' found in $SOURCES_LIST or $SOURCES_PARTS"
IFS=$'\t' read -r uri signed comps <<<"$src"
[[ -n "$uri" ]] || die "could not parse apt source"
signed=${signed//$'\001'/$'\n'}
[[ -n "$comps" ]] || comps=main
# The backports suite needs only main.
case " $comps " in *" main "*) comps=main ;; esac

backports_stanza() {
    printf 'Types: deb\n'
    printf 'URIs: %s\n' "$uri"
    printf 'Suites: %s-backports\n' "$codename"
    printf 'Components: %s\n' "$comps"
    if [[ -n "$signed" ]]; then printf 'Signed-By: %s\n' "$signed"; fi
}
if [[ $print_only -eq 1 ]]; then
    backports_stanza
    exit 0
fi

# one fetch at a time (concurrent lab runs)
mkdir -p "$ROOT/build"
exec 9>"$ROOT/build/.openssh10.lock"
flock -w 600 9 || die "timed out waiting for $ROOT/build/.openssh10.lock"
if [[ $force -eq 0 ]]; then
    present && exit 0
fi

PRIV=$(mktemp -d "${TMPDIR:-/tmp}/fetch-openssh10.XXXXXX")
cleanup() { rm -rf -- "$PRIV"; }
trap cleanup EXIT
mkdir -p "$PRIV/etc" "$PRIV/lists/partial" "$PRIV/cache/archives/partial" "$PRIV/debs"
backports_stanza >"$PRIV/etc/backports.sources"

APT_OPTS=(
    -o Dir::Etc::SourceList=/dev/null
    -o "Dir::Etc::SourceParts=$PRIV/etc"
    -o "Dir::State::Lists=$PRIV/lists"
    -o "Dir::Cache=$PRIV/cache"
    -o APT::Sandbox::User=root
    -o Debug::NoLocking=true
)

log "apt update ($codename-backports, private state in $PRIV)"
apt-get "${APT_OPTS[@]}" -q update >"$PRIV/update.log" 2>&1 || {
    cat "$PRIV/update.log" >&2
    die "apt-get update failed"
}

ver=$(apt-cache "${APT_OPTS[@]}" madison openssh-server |
    awk -F'|' '{gsub(/[ \t]/, "", $2); if ($2 ~ /^1:10\./) {print $2; exit}}')
[[ -n "$ver" ]] || die "no openssh-server 10.x in $codename-backports"
log "version $ver"

args=()
for p in "${PKGS[@]}"; do args+=("$p=$ver"); done
(cd "$PRIV/debs" && apt-get "${APT_OPTS[@]}" -q download "${args[@]}") >"$PRIV/download.log" 2>&1 || {
    cat "$PRIV/download.log" >&2
    die "apt-get download failed"
}

STAGE="$PRIV/root"
mkdir -p "$STAGE"
for deb in "$PRIV"/debs/*.deb; do
    log "unpack $(basename "$deb")"
    dpkg-deb -x "$deb" "$STAGE"
done
printf '%s\n' "$ver" >"$STAGE/VERSION"
rm -rf -- "$DEST"
# same filesystem is not guaranteed for $TMPDIR: copy, then rename in place
cp -a -- "$STAGE" "$DEST.new.$$"
mv -- "$DEST.new.$$" "$DEST"

v=$("$DEST/usr/sbin/sshd" -V 2>&1 || true)
[[ "$v" == OpenSSH_10* ]] || die "unpacked sshd does not run: $v"
log "ok: ${v%%,*} in $DEST"
