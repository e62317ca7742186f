# Shared by node-load.sh and node-perf.sh (sourced): NAME must be set to the script's name, then
#   bench_start TOOL...   checks the tools, makes $work (a temporary folder) and removes it at exit (unless KEEP=1),
#                         killing the processes whose ids are in $pids;
#   log, free_port, rss_mb PID (VmRSS in MB), now (seconds), field NAME LINE (a NAME=value of a wrk RESULT line).
bench_start() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$NAME: $tool is missing (apt-get install -y $tool)" >&2; exit 1; }
  done
  work="$(mktemp -d "/tmp/chatonsfed-$NAME.XXXXXX")"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  exec 3>&- 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}

log() { echo "$NAME: $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
now() { date +%s.%N; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2"; }
