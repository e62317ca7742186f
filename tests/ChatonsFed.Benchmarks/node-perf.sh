#!/usr/bin/env bash
# The chaton node's own goals, in one run (see docs/benchmarks.md, "Chaton node under load" and "Idle memory"):
#   - start to first served actor: from launching `chatonsfed serve` on an initialised data folder to the first 200
#     on GET /actor (curl every 10 ms);
#   - idle RSS (VmRSS) IDLE_SECONDS after the start, IDLE_SECONDS after the GET loads, and IDLE_SECONDS after a real
#     follow: the Fedify peer of tests/fedify-peer follows the node (the node fetches the peer's actor, verifies the
#     signed Follow, and delivers a signed Accept);
#   - GET actor requests/s (wrk, Accept: application/activity+json) of the node and of nginx serving the very same
#     actor bytes as a static file on 127.0.0.1 (2 workers, access log off), ROUNDS rounds of node then nginx, each
#     after a warm-up; the ratio of each round and the median;
#   - conditional GET: the node answering 304 to If-None-Match with the actor's ETag.
# Everything runs on 127.0.0.1. Any unexpected status or socket error makes the run fail.
#
# Usage: tests/ChatonsFed.Benchmarks/node-perf.sh   (from anywhere; needs wrk, nginx, python3 and curl)
# Knobs (environment): DURATION (s, default 10), WARMUP (s, 3), CONNECTIONS (64), THREADS (2), ROUNDS (3),
#   IDLE_SECONDS (10), KEEP (1: keep the temporary folder), NO_BUILD (1: use the build already there).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bench="$repo/tests/ChatonsFed.Benchmarks"
duration="${DURATION:-10}"
warmup="${WARMUP:-3}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
rounds="${ROUNDS:-3}"
idle_seconds="${IDLE_SECONDS:-10}"

NAME=node-perf
# shellcheck source=bench-lib.sh
source "$bench/bench-lib.sh"
bench_start wrk nginx python3 curl

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

chatonsfed="$repo/src/ChatonsFed.Cli/bin/Release/net10.0/chatonsfed.dll"
if [ "${NO_BUILD:-0}" != 1 ]; then
  log "building (Release)"
  dotnet build "$repo/src/ChatonsFed.Cli" -c Release --nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
bash "$repo/tests/ChatonsFed.Interop.Tests/prerequisites.sh"
peer_dir="$repo/tests/fedify-peer"

# The Fedify peer, started first so that its own start does not overlap the node's.
"$peer_dir/node_modules/.bin/node" "$peer_dir/peer.mjs" serve --port 0 --name peer --type Organization --no-stdin \
  >"$work/peer.out" 2>"$work/peer.err" &
peer_pid=$!
pids+=("$peer_pid")
for _ in $(seq 400); do grep -q '^READY ' "$work/peer.out" 2>/dev/null && break; sleep 0.05; done
peer_base="$(awk '/^READY / { print $2 }' "$work/peer.out")"
[ -n "$peer_base" ] || { cat "$work/peer.err" >&2; exit 1; }

# The chaton node.
node_port="$(free_port)"
node_url="http://127.0.0.1:$node_port"
dotnet "$chatonsfed" init --data "$work/node" --url "$node_url" --handle demo --name "Demo" --allow-private-network >/dev/null
sleep 1
load_start="$(loadavg)"
start="$(now)"
dotnet "$chatonsfed" serve --data "$work/node" --urls "$node_url" >"$work/node.out" 2>&1 &
node_pid=$!
pids+=("$node_pid")
until curl -sf -o /dev/null -H 'Accept: application/activity+json' "$node_url/actor"; do
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.out" >&2; exit 1; }
  sleep 0.01
done
node_first="$(python3 -c "print(f'{$(now) - $start:.2f}')")"
log "first actor served ${node_first} s after start; idle for ${idle_seconds} s"
sleep "$(python3 -c "print(max(0, $idle_seconds - ($(now) - $start)))")"
rss_start="$(rss_mb "$node_pid")"

# nginx serving the same bytes, as the current user, from a temporary prefix.
mkdir -p "$work/nginx/html" "$work/nginx/logs"
curl -sf -H 'Accept: application/activity+json' -D "$work/actor.headers" -o "$work/nginx/html/actor" "$node_url/actor"
etag="$(sed -n 's/^[Ee][Tt]ag: *\(.*\)\r$/\1/p' "$work/actor.headers")"
[ -n "$etag" ] || { log "the node's actor has no ETag"; cat "$work/actor.headers" >&2; exit 1; }
nginx_port="$(free_port)"
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    location = /actor { default_type application/activity+json; }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx/logs/stdout.log" 2>&1 &
pids+=("$!")
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 200); do curl -sf -o /dev/null "$nginx_url/actor" && break; sleep 0.05; done
cmp -s <(curl -sf -H 'Accept: application/activity+json' "$nginx_url/actor") <(curl -sf -H 'Accept: application/activity+json' "$node_url/actor") \
  || { log "nginx does not serve the node's actor bytes"; cat "$work/nginx/logs/error.log" >&2; exit 1; }

failed=0
wrk_run() { # name url seconds [If-None-Match value]; prints the RESULT line
  local name=$1 url=$2 seconds=$3 match=${4:-}
  local out
  if [ -n "$match" ]; then
    out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$bench/get-actor.lua" -H "If-None-Match: $match" "$url" -- 304)"
  else
    out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$bench/get-actor.lua" "$url")"
  fi
  echo "$out" >"$work/$name.wrk"
  local line
  line="$(grep '^RESULT' <<<"$out" || true)"
  if [[ $name != *-warm ]] && { [ -z "$line" ] || [ "$(field non2xx "$line")" != 0 ] || [ "$(field socket_errors "$line")" != 0 ]; }; then
    log "$name is not valid: ${line:-no result} (see $work/$name.wrk)"
    failed=1
  fi
  echo "$line"
}

declare -a node_rps nginx_rps ratios loads
for round in $(seq "$rounds"); do
  log "GET actor, round $round of $rounds: node then nginx, ${warmup} s warm-up and ${duration} s each"
  wrk_run "node-warm-$round" "$node_url/actor" "$warmup" >/dev/null
  node_line="$(wrk_run "node-$round" "$node_url/actor" "$duration")"
  wrk_run "nginx-warm-$round" "$nginx_url/actor" "$warmup" >/dev/null
  nginx_line="$(wrk_run "nginx-$round" "$nginx_url/actor" "$duration")"
  node_rps+=("$(field rps "$node_line")")
  nginx_rps+=("$(field rps "$nginx_line")")
  ratios+=("$(python3 -c "print(f'{100 * $(field rps "$node_line") / $(field rps "$nginx_line"):.1f}')")")
  loads+=("$(loadavg)")
  printf '%s\n' "$node_line" >"$work/node-$round.result"
done

log "conditional GET (If-None-Match: $etag)"
wrk_run node-304-warm "$node_url/actor" "$warmup" "$etag" >/dev/null
line_304="$(wrk_run node-304 "$node_url/actor" "$duration" "$etag")"
load_loads="$(loadavg)"

log "idle for ${idle_seconds} s after the loads"
sleep "$idle_seconds"
rss_load="$(rss_mb "$node_pid")"

log "the Fedify peer follows the node"
reply="$(curl -sf "$peer_base/_control/follow" -d "{\"actor\":\"$node_url/actor\",\"wait\":15}")"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if r.get("ok") and (r.get("reply") or {}).get("type") == "Accept" else 1)' "$reply" \
  || { log "the follow was not accepted: $reply"; tail -20 "$work/node.out" >&2; exit 1; }
sleep "$idle_seconds"
rss_follow="$(rss_mb "$node_pid")"
load_end="$(loadavg)"

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.1f}")' "$@"; }
fmt() { printf "%'.0f" "$1"; }

echo
echo "$(nproc) cores, $(free -m | awk '/^Mem:/ { print $2 }') MB; wrk -t$threads -c$connections -d${duration}s after a ${warmup} s warm-up; load average $load_start (before the start), $(IFS=";"; echo "${loads[*]}") (after each round), $load_loads (after the 304s), $load_end (end)"
echo
echo "| GET actor (Accept: application/activity+json) | node req/s | nginx req/s (same bytes, static) | node / nginx |"
echo "|---|---:|---:|---:|"
for i in $(seq 0 $((rounds - 1))); do
  echo "| round $((i + 1)) | $(fmt "${node_rps[$i]}") | $(fmt "${nginx_rps[$i]}") | ${ratios[$i]} % |"
done
echo "| median | $(fmt "$(median "${node_rps[@]}")") | $(fmt "$(median "${nginx_rps[@]}")") | $(median "${ratios[@]}") % |"
echo
echo "| node | figure |"
echo "|---|---:|"
echo "| start to first served actor | ${node_first} s |"
echo "| RSS ${idle_seconds} s after the start | ${rss_start} MB |"
echo "| RSS ${idle_seconds} s after the GET loads | ${rss_load} MB |"
echo "| RSS ${idle_seconds} s after the Fedify peer's follow | ${rss_follow} MB |"
echo "| 304 to If-None-Match, req/s | $(fmt "$(field rps "$line_304")") (p50 $(field p50_ms "$line_304") ms, p99 $(field p99_ms "$line_304") ms) |"
echo
echo "actor: $(wc -c <"$work/nginx/html/actor") bytes, ETag $etag"
exit "$failed"
