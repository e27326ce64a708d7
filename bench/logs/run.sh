#!/usr/bin/env bash
# The log benchmark: `sshdiag logs` against the usual ways of digging the same events out of a
# large auth.log, on a generated file read from the page cache (docs/logs.md has the figures).
#
#   bench/logs/run.sh [SSHDIAG]          (default: build/sshdiag)
#
# environment:
#   BENCH_LINES=N      lines of the generated auth.log (default 9200000: about 1 GiB)
#   BENCH_DIR=DIR      where the files go (default: a new directory under /tmp, removed at the
#                      end unless BENCH_KEEP=1)
#   BENCH_RUNS=N       runs per tool, the best one counts (default 3)
#   BENCH_F2B_LINES=N  lines given to fail2ban-regex (default 100000; extrapolated)
#   BENCH_JOURNAL_LINES=N  lines written to a journal for the journal comparison (default
#                      1000000; 0 skips it)
#
# Needs: cc, GNU time (/usr/bin/time), rg (ripgrep), grep/sort/uniq, fail2ban-regex and
# systemd-journal-remote/journalctl for those rows (skipped when missing).  Single-threaded
# tools only (rg is told -j1); the machine should be otherwise idle.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sshdiag=${1:-$repo/build/sshdiag}
lines=${BENCH_LINES:-9200000}
runs=${BENCH_RUNS:-3}
f2b_lines=${BENCH_F2B_LINES:-100000}
j_lines=${BENCH_JOURNAL_LINES:-1000000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/sshdiag-bench.XXXXXX)}
cleanup() { [[ -n "${BENCH_DIR:-}" || "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$dir"; }
trap cleanup EXIT

# The events sshdiag extracts, as one alternation (what an admin would grep for).
ALT='Invalid user|Failed |authentication failure|Connection closed by|Connection reset by|Disconnected from|Received disconnect|drop connection|MaxStartups|Maxstartups|refused connect|kex_exchange_identification|banner exchange|Did not receive identification|Timeout before authentication|Unable to negotiate|maximum authentication|not allowed because|administratively prohibited|srclimit_penalise|Accepted |Bad protocol|fatal: |\] Ban |\] Unban |Blocking '

[[ -x "$sshdiag" ]] || { echo "bench: no sshdiag at $sshdiag (make first)" >&2; exit 2; }
cc -O2 -std=c17 -o "$dir/gen" "$here/gen.c" || exit 2
log=$dir/auth.log
echo "bench: generating $lines lines into $log" >&2
"$dir/gen" "$lines" >"$log"
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null # into the page cache

# best wall time (s), its user+sys (s) and max RSS (KiB) of a command over $runs runs
measure() {
	local best_w=999999 best_c=0 best_m=0 i out w u s m
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -o "$dir/time.out" -f '%e %U %S %M' bash -c "$1" >/dev/null 2>&1
		read -r w u s m <"$dir/time.out"
		if awk -v a="$w" -v b="$best_w" 'BEGIN{exit !(a<b)}'; then
			best_w=$w
			best_c=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
			best_m=$m
		fi
	done
	echo "$best_w $best_c $best_m"
}

row() { # name wall cpu rss [note]
	local gbs
	gbs=$(awk -v b="$bytes" -v w="$2" 'BEGIN{ if (w > 0) printf "%.2f", b/w/1e9; else print "-" }')
	printf '| %s | %s | %s | %s GB/s | %s MiB | %s |\n' "$1" "$2" "$3" "$gbs" \
		"$(awk -v m="$4" 'BEGIN{printf "%.0f", m/1024}')" "${5:-}"
}

echo "file: $log, $(printf "%'d" "$bytes") bytes, $(printf "%'d" "$lines") lines"
echo
echo "| tool | wall s | cpu s | throughput | peak RSS | note |"
echo "|---|---|---|---|---|---|"
read -r w c m <<<"$(measure "cat '$log'")"
row 'cat FILE >/dev/null' "$w" "$c" "$m"
read -r w c m <<<"$(measure "'$sshdiag' logs '$log'")"
row 'sshdiag logs FILE' "$w" "$c" "$m" 'every event, per-client counts, episodes'
read -r w c m <<<"$(measure "'$sshdiag' logs --client 192.0.2.10 '$log'")"
row 'sshdiag logs --client ADDR FILE' "$w" "$c" "$m" 'plus one timeline'
if command -v rg >/dev/null; then
	read -r w c m <<<"$(measure "rg -j1 -c '$ALT' '$log'")"
	row "rg -j1 -c 'ALT' FILE" "$w" "$c" "$m" "counts matching lines only ($(rg -j1 -c "$ALT" "$log") lines)"
fi
read -r w c m <<<"$(measure "LC_ALL=C grep -E '$ALT' '$log' | LC_ALL=C grep -oE 'from [0-9a-f.:]+' | sort | uniq -c | wc -l")"
row "grep -E 'ALT' \\| grep -o 'from …' \\| sort \\| uniq -c" "$w" "$c" "$m" 'LC_ALL=C, piped (GNU grep does not stop early)'

if command -v fail2ban-regex >/dev/null; then
	head -n "$f2b_lines" "$log" >"$dir/slice.log"
	read -r w c m <<<"$(measure "fail2ban-regex '$dir/slice.log' sshd")"
	scale=$(awk -v a="$lines" -v b="$f2b_lines" 'BEGIN{print a/b}')
	w=$(awk -v w="$w" -v k="$scale" 'BEGIN{printf "%.0f", w*k}')
	c=$(awk -v c="$c" -v k="$scale" 'BEGIN{printf "%.0f", c*k}')
	row 'fail2ban-regex FILE sshd' "$w" "$c" "$m" "measured on $(printf "%'d" "$f2b_lines") lines, times ×$scale"
fi

if [[ "$j_lines" -gt 0 ]] && [[ -x /lib/systemd/systemd-journal-remote ]] && command -v journalctl >/dev/null; then
	jd=$dir/journal
	mkdir -p "$jd"
	head -n "$j_lines" "$log" | awk '
	BEGIN { t = 1795000000000000 }
	{
		# "Mmm dd HH:MM:SS host tag[pid]: message"
		line = $0; host = $4; rest = substr(line, index(line, $5));
		c = index(rest, ": "); tag = substr(rest, 1, c - 1); msg = substr(rest, c + 2);
		pid = ""; b = index(tag, "[");
		if (b) { pid = substr(tag, b + 1, length(tag) - b - 1); tag = substr(tag, 1, b - 1) }
		sub(/:$/, "", tag);
		t += 300000;
		printf "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=%s\nSYSLOG_IDENTIFIER=%s\n", t, NR, host, tag;
		if (pid != "") printf "_PID=%s\n", pid;
		printf "MESSAGE=%s\n\n", msg;
	}' | /lib/systemd/systemd-journal-remote --output="$jd/remote.journal" - >/dev/null 2>&1
	jb=$(du -sb "$jd" | cut -f1)
	echo
	echo "journal: $jd, $(printf "%'d" "$j_lines") entries, $(printf "%'d" "$jb") bytes of journal files"
	echo
	echo "| tool | wall s | cpu s | throughput | peak RSS | note |"
	echo "|---|---|---|---|---|---|"
	bytes_saved=$bytes
	bytes=$(head -n "$j_lines" "$log" | wc -c)
	read -r w c m <<<"$(measure "'$sshdiag' logs --journal='$jd'")"
	row 'sshdiag logs --journal=DIR' "$w" "$c" "$m" 'throughput: of the same lines as text'
	read -r w c m <<<"$(measure "journalctl -D '$jd' -o cat | LC_ALL=C grep -cE '$ALT'")"
	row "journalctl -D DIR -o cat \\| grep -cE 'ALT'" "$w" "$c" "$m"
	bytes=$bytes_saved
fi
