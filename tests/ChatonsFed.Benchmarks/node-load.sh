#!/usr/bin/env bash
# Load test of a chaton node beside the Fedify peer, both on 127.0.0.1, in one run (see docs/benchmarks.md).
# Builds Release, starts `chatonsfed serve` and tests/fedify-peer (Fedify, Node 24) serving an equivalent
# Organization actor, and a loopback actor that signs the inbox POSTs; then measures for each server:
#   - start to first served actor (node only: the peer is a test harness, not a product),
#   - idle RSS IDLE_SECONDS after the first GET,
#   - GET actor requests/s (wrk, Accept: application/activity+json),
#   - signed inbox POSTs/s: each a distinct Create(Note), freshly signed (draft-cavage rsa-sha256 over
#     (request-target) host date digest), replayed once by wrk; both servers verify the digest and signature
#     (the signer's key is fetched once, then cached), parse the activity and record its id,
# and prints the table. Any non-2xx answer or socket error makes the run fail.
# The node's per-host inbox limit (120/min by default) is raised with CHATONSFED__InboxRequestsPerMinute.
#
# Usage: tests/ChatonsFed.Benchmarks/node-load.sh   (from anywhere; needs wrk, python3 and curl)
# Knobs (environment): DURATION (s, default 10), WARMUP (s, 3), CONNECTIONS (32), POST_CONNECTIONS (CONNECTIONS), THREADS (2),
#   IDLE_SECONDS (60), NODE_POSTS (100000), PEER_POSTS (10000), KEEP (1: keep the temporary folder).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bench="$repo/tests/ChatonsFed.Benchmarks"
duration="${DURATION:-10}"
warmup="${WARMUP:-3}"
connections="${CONNECTIONS:-32}"
post_connections="${POST_CONNECTIONS:-$connections}"
threads="${THREADS:-2}"
idle_seconds="${IDLE_SECONDS:-60}"
node_posts="${NODE_POSTS:-100000}"
peer_posts="${PEER_POSTS:-20000}"

NAME=node-load
# shellcheck source=bench-lib.sh
source "$bench/bench-lib.sh"
bench_start wrk python3 curl

log "building (Release)"
dotnet build "$repo/src/ChatonsFed.Cli" -c Release --nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build "$repo/tests/ChatonsFed.LoadTest" -c Release --nologo -v q >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
bash "$repo/tests/ChatonsFed.Interop.Tests/prerequisites.sh"
chatonsfed="$repo/src/ChatonsFed.Cli/bin/Release/net10.0/chatonsfed.dll"
loadtest="$repo/tests/ChatonsFed.LoadTest/bin/Release/net10.0/chatonsfed-loadtest.dll"
peer_dir="$repo/tests/fedify-peer"

# The signing actor: it runs while fd 3 (its stdin) stays open.
mkfifo "$work/signer.in"
exec 3<>"$work/signer.in"
dotnet "$loadtest" signer --key "$work/signer.pem" <"$work/signer.in" >"$work/signer.out" 2>&1 3>&- &
pids+=($!)
for _ in $(seq 200); do grep -q '^READY ' "$work/signer.out" 2>/dev/null && break; sleep 0.05; done
signer_actor="$(sed -n 's/^READY //p' "$work/signer.out")"
[ -n "$signer_actor" ] || { cat "$work/signer.out" >&2; exit 1; }

# The chaton node.
node_port="$(free_port)"
node_url="http://127.0.0.1:$node_port"
dotnet "$chatonsfed" init --data "$work/node" --url "$node_url" --handle demo --name "Demo" --allow-private-network >/dev/null
start="$(now)"
CHATONSFED__InboxRequestsPerMinute=1000000000 dotnet "$chatonsfed" serve --data "$work/node" --urls "$node_url" >"$work/node.out" 2>&1 3>&- &
node_pid=$!
pids+=($node_pid)
until curl -sf -o /dev/null -H 'Accept: application/activity+json' "$node_url/actor"; do
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.out" >&2; exit 1; }
  sleep 0.01
done
node_first="$(python3 -c "print(f'{$(now) - $start:.2f}')")"
log "node: first actor served ${node_first} s after start"

# The Fedify peer, an Organization like the node's actor.
"$peer_dir/node_modules/.bin/node" "$peer_dir/peer.mjs" serve --port 0 --name peer --type Organization --no-stdin \
  >"$work/peer.out" 2>"$work/peer.err" 3>&- &
peer_pid=$!
pids+=($peer_pid)
for _ in $(seq 400); do grep -q '^READY ' "$work/peer.out" 2>/dev/null && break; sleep 0.05; done
peer_actor="$(awk '/^READY / { print $3 }' "$work/peer.out")"
[ -n "$peer_actor" ] || { cat "$work/peer.err" >&2; exit 1; }
curl -sf -o /dev/null -H 'Accept: application/activity+json' "$peer_actor"

log "idle for ${idle_seconds} s"
sleep 5
node_rss_5="$(rss_mb "$node_pid")"
peer_rss_5="$(rss_mb "$peer_pid")"
sleep $((idle_seconds > 5 ? idle_seconds - 5 : 0))
node_rss_idle="$(rss_mb "$node_pid")"
peer_rss_idle="$(rss_mb "$peer_pid")"

log "signing $node_posts + $peer_posts inbox POSTs (and warm-up ones)"
gen() { dotnet "$loadtest" requests --key "$work/signer.pem" --actor "$signer_actor" --inbox "$1" --count "$2" --files "$threads" --out "$3" >/dev/null; }
gen "$node_url/actor/inbox" 2000 "$work/node-warm"
gen "$node_url/actor/inbox" "$node_posts" "$work/node-run"
gen "${peer_actor}/inbox" 500 "$work/peer-warm"
gen "${peer_actor}/inbox" "$peer_posts" "$work/peer-run"

declare -A result
run() { # name url seconds script [lua args...]; CONCURRENCY overrides the connections
  local name=$1 url=$2 seconds=$3 script=$4
  shift 4
  local out
  local c=${CONCURRENCY:-$connections}
  out="$(wrk -t"$((threads < c ? threads : c))" -c"$c" -d"${seconds}s" --latency -s "$script" "$url" -- "$@")"
  echo "$out" >"$work/$name.wrk"
  result[$name]="$(grep '^RESULT' <<<"$out")"
  grep -q '^first non-2xx' <<<"$out" && grep '^first non-2xx' <<<"$out" >&2
  true
}

log "GET actor: warm-up ${warmup} s, then ${duration} s each"
run node-get-warm "$node_url/actor" "$warmup" "$bench/get-actor.lua"
run node-get "$node_url/actor" "$duration" "$bench/get-actor.lua"
run peer-get-warm "$peer_actor" "$warmup" "$bench/get-actor.lua"
run peer-get "$peer_actor" "$duration" "$bench/get-actor.lua"
load_get="$(cut -d' ' -f1-3 /proc/loadavg)"

log "signed inbox POSTs: warm-up, then ${duration} s each"
CONCURRENCY=$post_connections run node-post-warm "$node_url/actor/inbox" "$warmup" "$bench/signed-posts.lua" "$work/node-warm"
CONCURRENCY=$post_connections run node-post "$node_url/actor/inbox" "$duration" "$bench/signed-posts.lua" "$work/node-run"
CONCURRENCY=$post_connections run peer-post-warm "${peer_actor}/inbox" "$warmup" "$bench/signed-posts.lua" "$work/peer-warm"
CONCURRENCY=$post_connections run peer-post "${peer_actor}/inbox" "$duration" "$bench/signed-posts.lua" "$work/peer-run"
load_post="$(cut -d' ' -f1-3 /proc/loadavg)"
node_rss_after="$(rss_mb "$node_pid")"
peer_rss_after="$(rss_mb "$peer_pid")"

exec 3>&-
for _ in $(seq 100); do grep -q '^actor fetched' "$work/signer.out" && break; sleep 0.05; done
fetches="$(sed -n 's/^actor fetched \([0-9]*\) times/\1/p' "$work/signer.out")"

failed=0
for name in node-get peer-get node-post-warm node-post peer-post-warm peer-post; do
  line="${result[$name]:-}"
  # A warm-up may use up its requests; a measured run may not.
  exhausted="$(field exhausted_threads "$line")"
  [[ $name == *-warm ]] && exhausted=0
  if [ -z "$line" ] || [ "$(field non2xx "$line")" != 0 ] || [ "$(field socket_errors "$line")" != 0 ] || [ "$exhausted" != 0 ]; then
    log "$name is not valid: ${line:-no result} (see $work/$name.wrk)"
    failed=1
  fi
done

ratio() { python3 -c "print(f'{$1 / $2:.1f}x')"; }
row() { # label node-result peer-result
  printf '| %s | %s | %s | %s | %s / %s | %s / %s |\n' "$1" \
    "$(printf "%'.0f" "$(field rps "$2")")" "$(printf "%'.0f" "$(field rps "$3")")" \
    "$(ratio "$(field rps "$2")" "$(field rps "$3")")" \
    "$(field p50_ms "$2")" "$(field p99_ms "$2")" "$(field p50_ms "$3")" "$(field p99_ms "$3")"
}

echo
echo "wrk -t$threads -d${duration}s, $connections connections for GETs and $post_connections for POSTs, after a ${warmup} s warm-up; $(nproc) cores; load average $load_get (after GETs), $load_post (after POSTs)"
echo
echo "| | node req/s | Fedify peer req/s | ratio | node p50 / p99 ms | peer p50 / p99 ms |"
echo "|---|---:|---:|---:|---:|---:|"
row "GET actor" "${result[node-get]}" "${result[peer-get]}"
row "signed inbox POST (Create of a Note)" "${result[node-post]}" "${result[peer-post]}"
echo
echo "| | node | Fedify peer |"
echo "|---|---:|---:|"
echo "| start to first served actor | ${node_first} s | |"
echo "| RSS 5 s after the first GET | ${node_rss_5} MB | ${peer_rss_5} MB |"
echo "| RSS ${idle_seconds} s after the first GET (idle) | ${node_rss_idle} MB | ${peer_rss_idle} MB |"
echo "| RSS after the loads | ${node_rss_after} MB | ${peer_rss_after} MB |"
echo
echo "requests: node GET $(field requests "${result[node-get]}"), POST $(field requests "${result[node-post]}"); peer GET $(field requests "${result[peer-get]}"), POST $(field requests "${result[peer-post]}"); non-2xx answers: 0 unless reported above; signer actor fetched ${fetches:-?} times"
exit "$failed"
