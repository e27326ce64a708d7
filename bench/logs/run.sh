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
#   BENCH_RUNS=N       runs per tool; the median wall time counts, the best is shown too
#                      (default 5)
#   BENCH_F2B_LINES=N  lines given to fail2ban-regex (default 100000; extrapolated)
#   BENCH_JOURNAL_LINES=N  lines written to a journal for the journal comparison (default
#                      1000000; 0 skips it)
#   BENCH_ONLY=sshdiag the cat and sshdiag rows only (a quick look while working; the
#                      comparison needs the full run)
#
# Needs: cc, GNU time (/usr/bin/time), rg (ripgrep), grep/sort/uniq, fail2ban-regex and
# systemd-journal-remote/journalctl for those rows (skipped when missing).  Single-threaded
# tools only (rg is told -j1); the machine should be otherwise idle (the load average is
# printed before and after).  Every tool's output goes to a file: GNU grep stops at its first
# match when its output is /dev/null, even with -c.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sshdiag=${1:-$repo/build/sshdiag}
lines=${BENCH_LINES:-9200000}
runs=${BENCH_RUNS:-5}
f2b_lines=${BENCH_F2B_LINES:-100000}
j_lines=${BENCH_JOURNAL_LINES:-1000000}
only=${BENCH_ONLY:-}
[[ -z "$only" || "$only" == sshdiag ]] || { echo "bench: BENCH_ONLY is sshdiag or unset" >&2; exit 2; }
[[ -z "$only" ]] || j_lines=0
dir=${BENCH_DIR:-$(mktemp -d /tmp/sshdiag-bench.XXXXXX)}
cleanup() { [[ -n "${BENCH_DIR:-}" || "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$dir"; }
trap cleanup EXIT
mkdir -p "$dir" || exit 2

# The events sshdiag extracts, as one alternation (what an admin would grep for).
ALT='Invalid user|Failed |authentication failure|Connection closed by|Connection reset by|Disconnected from|Received disconnect|drop connection|MaxStartups|Maxstartups|refused connect|kex_exchange_identification|banner exchange|Did not receive identification|Timeout before authentication|Unable to negotiate|maximum authentication|not allowed because|administratively prohibited|srclimit_penalise|Accepted |Bad protocol|fatal: |\] Ban |\] Unban |Blocking '

[[ -x "$sshdiag" ]] || { echo "bench: no sshdiag at $sshdiag (make first)" >&2; exit 2; }
cc -O2 -std=c17 -o "$dir/gen" "$here/gen.c" || exit 2
log=$dir/auth.log
echo "bench: generating $lines lines into $log" >&2
"$dir/gen" "$lines" >"$log"
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null # into the page cache

# Over $runs runs of a command: the median wall time (s), that run's user+sys (s), the
# largest max RSS (KiB) and the best wall time (s).  Output goes to a file (or to $2: only
# for cat, which does not look where its output goes).
measure() {
	local i w u s m out=${2:-$dir/tool.out}
	: >"$dir/runs.out"
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -o "$dir/time.out" -f '%e %U %S %M' bash -c "$1" >"$out" 2>&1
		read -r w u s m < <(tail -n 1 "$dir/time.out") # after "Command exited with non-zero status"
		echo "$w $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}') $m" >>"$dir/runs.out"
	done
	sort -n "$dir/runs.out" | awk -v n="$runs" '
		{ w[NR] = $1; c[NR] = $2; if ($3 > m) m = $3 }
		END { k = int((n + 1) / 2); print w[k], c[k], m, w[1] }'
}

row() { # name wall cpu rss best [note]
	local gbs
	gbs=$(awk -v b="$bytes" -v w="$2" 'BEGIN{ if (w > 0) printf "%.2f", b/w/1e9; else print "-" }')
	printf '| %s | %s | %s | %s | %s GB/s | %s MiB | %s |\n' "$1" "$2" "$5" "$3" "$gbs" \
		"$(awk -v m="$4" 'BEGIN{printf "%.0f", m/1024}')" "${6:-}"
}

# the busiest client of the generated log (gen.c's client 0)
focus=92.209.233.150
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; $(nproc) CPUs)"
echo "file: $log, $(printf "%'d" "$bytes") bytes, $(printf "%'d" "$lines") lines"
echo
echo "| tool | wall s (median) | best | cpu s | throughput (median) | peak RSS | note |"
echo "|---|---|---|---|---|---|---|"
read -r w c m b <<<"$(measure "cat '$log'" /dev/null)"
row 'cat FILE >/dev/null' "$w" "$c" "$m" "$b" 'the page-cache limit'
read -r w c m b <<<"$(measure "'$sshdiag' logs '$log'")"
row 'sshdiag logs FILE' "$w" "$c" "$m" "$b" 'every event, per-client counts, episodes'
read -r w c m b <<<"$(measure "'$sshdiag' logs --client $focus '$log'")"
row 'sshdiag logs --client ADDR FILE' "$w" "$c" "$m" "$b" "plus the timeline of the busiest client ($focus)"
if [[ -z "$only" ]] && command -v rg >/dev/null; then
	read -r w c m b <<<"$(measure "rg -j1 -c '$ALT' '$log'")"
	row "rg -j1 -c 'ALT' FILE" "$w" "$c" "$m" "$b" "counts matching lines only ($(rg -j1 -c "$ALT" "$log") lines)"
fi
if [[ -z "$only" ]]; then
	read -r w c m b <<<"$(measure "LC_ALL=C grep -E '$ALT' '$log' | LC_ALL=C grep -oE 'from [0-9a-f.:]+' | sort | uniq -c | wc -l")"
	row "grep -E 'ALT' \\| grep -o 'from …' \\| sort \\| uniq -c" "$w" "$c" "$m" "$b" 'LC_ALL=C, piped (GNU grep does not stop early)'
fi

if [[ -z "$only" ]] && command -v fail2ban-regex >/dev/null; then
	head -n "$f2b_lines" "$log" >"$dir/slice.log"
	read -r w c m b <<<"$(measure "fail2ban-regex '$dir/slice.log' sshd")"
	scale=$(awk -v a="$lines" -v b="$f2b_lines" 'BEGIN{print a/b}')
	w=$(awk -v w="$w" -v k="$scale" 'BEGIN{printf "%.0f", w*k}')
	b=$(awk -v w="$b" -v k="$scale" 'BEGIN{printf "%.0f", w*k}')
	c=$(awk -v c="$c" -v k="$scale" 'BEGIN{printf "%.0f", c*k}')
	row 'fail2ban-regex FILE sshd' "$w" "$c" "$m" "$b" "measured on $(printf "%'d" "$f2b_lines") lines, times ×$scale"
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
	echo "| tool | wall s (median) | best | cpu s | throughput (median) | peak RSS | note |"
	echo "|---|---|---|---|---|---|---|"
	bytes_saved=$bytes
	bytes=$(head -n "$j_lines" "$log" | wc -c)
	read -r w c m b <<<"$(measure "'$sshdiag' logs --journal='$jd'")"
	row 'sshdiag logs --journal=DIR' "$w" "$c" "$m" "$b" 'throughput: of the same lines as text'
	read -r w c m b <<<"$(measure "journalctl -D '$jd' -o cat | LC_ALL=C grep -cE '$ALT'")"
	row "journalctl -D DIR -o cat \\| grep -cE 'ALT'" "$w" "$c" "$m" "$b"
	bytes=$bytes_saved
fi
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
