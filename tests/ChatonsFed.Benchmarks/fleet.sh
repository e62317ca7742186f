#!/usr/bin/env bash
# The aggregator's rebuild of a static fleet against physical floors and against Fedify, in one run (see
# docs/benchmarks.md, "Fleet rebuild against the floor and Fedify").
#
# For each size N (CHATONS, default 1000; SIZES="1000 5000" for both):
#   1. signs a fleet of N chatons into a temporary folder (actor, services collection, five services and attestation
#      each, signed; an empty following collection), 1 % of the signed objects changed by one character afterwards;
#   2. serves it with nginx on 127.0.0.1 (2 workers, ETags), each URL path P from the file P.json;
#   3. floor: wrk over the fleet's paths (requests/s, hence the time of the rebuild's GETs) plus raw Ed25519 verifies
#      (NSec, both cores) of as many signatures as the fleet has signed objects;
#   4. for each concurrency C (CONCURRENCIES, default "16 64"): an aggregator data folder (chatonsfed init --aggregator,
#      the N actor URLs as seeds, observatory, notes and follows off, Discovery:Concurrency = PerHostConcurrency = C):
#      a cold rebuild (`chatonsfed directory rebuild`, a fresh process), then `chatonsfed serve` and, through its admin
#      API, a warm-up rebuild and three more (median), a poll of unchanged documents, the RSS after 10 idle seconds,
#      and a check that exactly the tampered objects were refused;
#   5. the same crawl by Fedify (tests/fedify-peer's install, concurrency 64), checking each proof with verifyObject;
# then prints one table. Exits non-zero when a step fails or the refusals differ from the tampered objects, not when a
# target is missed.
#
# Usage: tests/ChatonsFed.Benchmarks/fleet.sh   (needs wrk, nginx, node, npm, curl, jq and /usr/bin/time; about 3.5 minutes,
#   about 17 with SIZES="1000 5000")
# Knobs (environment): CHATONS (1000), SIZES (CHATONS), CONCURRENCIES ("16 64"), FEDIFY_CONCURRENCY (64),
#   WRK_SECONDS (5), IDLE_SECONDS (10), SKIP_BUILD (1: use the Release build as it is), KEEP (1: keep the temporary folder),
#   AGGREGATOR_GC_SERVER (0: the aggregator's DOTNET_gcServer, as the aggregator guide sets it).
set -euo pipefail

# The aggregator runs with the workstation garbage collector, as docs/aggregator-guide.md tells operators to run it
# (chatonsfed defaults to the adaptive server collector, which keeps an idle node small). AGGREGATOR_GC_SERVER=1 measures the default.
aggregator_gc_server="${AGGREGATOR_GC_SERVER:-0}"

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bench="$repo/tests/ChatonsFed.Benchmarks"
sizes="${SIZES:-${CHATONS:-1000}}"
concurrencies="${CONCURRENCIES:-16 64}"
fedify_concurrency="${FEDIFY_CONCURRENCY:-64}"
wrk_seconds="${WRK_SECONDS:-5}"
idle_seconds="${IDLE_SECONDS:-10}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "fleet: $1 is missing (install it: apt-get install -y $2)" >&2; exit 1; }; }
need wrk wrk
need nginx nginx
need node nodejs
need npm npm
need curl curl
need jq jq
[ -x /usr/bin/time ] || { echo "fleet: /usr/bin/time is missing (install it: apt-get install -y time)" >&2; exit 1; }

work="$(mktemp -d /tmp/chatonsfed-fleet.XXXXXX)"
chmod 755 "$work" # nginx's workers may run as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

log() { echo "fleet: $*" >&2; }
die() { echo "fleet: $*" >&2; exit 1; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'; }
fact() { sed -n "s/^$1=//p" "$2"; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2"; }
cpu_seconds() { # user + system time of a process so far
  local stat
  stat="$(cat "/proc/$1/stat")"
  # Fields after the command name, which may hold spaces: state is 1, utime 12, stime 13.
  awk -v tck="$(getconf CLK_TCK)" '{ printf "%.3f", ($12 + $13) / tck }' <<<"${stat##*) }"
}
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
nginx_requests() { curl -sf "http://127.0.0.1:$1/nginx-status" | awk 'NR == 3 { print $3 }'; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building (Release)"
  dotnet build "$repo/src/ChatonsFed.Cli" -c Release --nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "the build of src/ChatonsFed.Cli failed"; }
  dotnet build "$bench" -c Release --nologo -v q >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "the build of tests/ChatonsFed.Benchmarks failed"; }
fi
bash "$repo/tests/ChatonsFed.Interop.Tests/prerequisites.sh"
chatonsfed="$repo/src/ChatonsFed.Cli/bin/Release/net10.0/chatonsfed.dll"
benchmarks="$bench/bin/Release/net10.0/ChatonsFed.Benchmarks.dll"
[ -f "$chatonsfed" ] && [ -f "$benchmarks" ] || die "the Release build is missing ($chatonsfed, $benchmarks): run without SKIP_BUILD"
peer_dir="$repo/tests/fedify-peer"
fedify_node="$peer_dir/node_modules/.bin/node"

failed=0
declare -A r # results, by "name/N/C"
rows=()

start_nginx() { # dir port
  local dir=$1 port=$2 conf=$1/nginx/nginx.conf
  mkdir -p "$dir/nginx"
  cat >"$conf" <<EOF
daemon off;
worker_processes 2;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  default_type application/activity+json;
  etag on;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location = /nginx-status { stub_status; }
    location / { try_files \$uri.json =404; }
  }
}
EOF
  nginx -p "$dir/nginx" -c "$conf" >"$dir/nginx/out.log" 2>&1 &
  nginx_pid=$!
  pids+=("$nginx_pid")
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/nginx-status" && return 0; sleep 0.05; done
  cat "$dir/nginx/out.log" "$dir/nginx/error.log" >&2 2>/dev/null || true
  die "nginx did not start on 127.0.0.1:$port"
}

admin() { # method path: a call of the running aggregator's admin API, its body on stdout
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $token" "$agg_url/api/admin/$2"
}

# A rebuild or a poll through the admin API: prints "wall cpu listed found" and keeps the last line.
crawl() { # operation pid output
  local t0 c0 t1 c1 last
  c0="$(cpu_seconds "$2")"
  t0="$(now)"
  admin POST "directory/$1" >"$3" || { cat "$3" >&2; return 1; }
  t1="$(now)"
  c1="$(cpu_seconds "$2")"
  last="$(tail -n 1 "$3")"
  [ "$(jq -r '.done' <<<"$last")" = true ] && [ "$(jq -r '.error // empty' <<<"$last")" = "" ] || { echo "$last" >&2; return 1; }
  echo "$(calc "$t1 - $t0") $(calc "$c1 - $c0") $(jq -r '.listed' <<<"$last") $(jq -r '.found' <<<"$last")"
}

row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
met() { awk "BEGIN { exit !($1) }" && echo yes || echo "**no**"; }

for n in $sizes; do
  fleet="$work/fleet-$n"
  port="$(free_port)"
  log "N=$n: signing the fleet for http://127.0.0.1:$port"
  dotnet "$benchmarks" fleet-generate "$fleet" "$n" "http://127.0.0.1:$port" >&2 || die "fleet-generate failed"
  chmod -R a+rX "$fleet"
  facts="$fleet/fleet.txt"
  expected_listed="$(fact expected_listed "$facts")"
  rebuild_gets="$(fact rebuild_gets "$facts")"
  signed_objects="$(fact signed_objects "$facts")"
  r[facts/$n]="$(tr '\n' ' ' <"$facts")"

  start_nginx "$fleet" "$port"
  # nginx must answer the aggregator's conditional requests with 304.
  probe="$(curl -sf -D - -o /dev/null "http://127.0.0.1:$port/c/$(printf '%04d' 2)/actor" | tr -d '\r')"
  etag="$(sed -n 's/^ETag: //Ip' <<<"$probe")"
  modified="$(sed -n 's/^Last-Modified: //Ip' <<<"$probe")"
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" -H "If-Modified-Since: $modified" "http://127.0.0.1:$port/c/$(printf '%04d' 2)/actor")"
  [ "$status" = 304 ] || die "nginx answered $status, not 304, to a conditional GET of an unchanged actor"

  log "N=$n: floor: wrk over $(wc -l <"$fleet/urls.txt") paths, then $signed_objects raw Ed25519 verifies"
  wrk -t2 -c64 -d2s -s "$bench/fleet-paths.lua" "http://127.0.0.1:$port" -- "$fleet/urls.txt" 2 >/dev/null
  out="$(wrk -t2 -c64 -d"${wrk_seconds}s" -s "$bench/fleet-paths.lua" "http://127.0.0.1:$port" -- "$fleet/urls.txt" 2)"
  result="$(grep '^RESULT' <<<"$out")"
  [ "$(field non2xx "$result")" = 0 ] && [ "$(field socket_errors "$result")" = 0 ] || die "wrk: $result"
  rps="$(field rps "$result")"
  http_floor="$(calc "$rebuild_gets / $rps")"
  verify_line="$(dotnet "$benchmarks" fleet-verify-floor "$signed_objects" 2)" || die "fleet-verify-floor failed"
  verify_floor="$(field seconds "$verify_line")"
  floor="$(calc "$http_floor + $verify_floor")"
  r[floor/$n]="$floor"
  r[floorparts/$n]="$rebuild_gets GETs at $rps req/s (wrk -t2 -c64) = $http_floor s, + $signed_objects Ed25519 verifies on 2 threads = $verify_floor s"
  log "N=$n: wrk $rps req/s: $rebuild_gets GETs in $http_floor s; $signed_objects verifies in $verify_floor s; floor $floor s"

  for c in $concurrencies; do
    data="$work/aggregator-$n-$c"
    agg_port="$(free_port)"
    agg_url="http://127.0.0.1:$agg_port"
    seeds=()
    while IFS= read -r seed; do seeds+=(--seed "$seed"); done <"$fleet/seeds.txt"
    dotnet "$chatonsfed" init --data "$data" --url "$agg_url" --aggregator --name "Annuaire de mesure" --allow-private-network "${seeds[@]}" >/dev/null \
      || die "chatonsfed init --aggregator failed"
    export ChatonsFed__Aggregator__Discovery__Concurrency="$c"
    export ChatonsFed__Aggregator__Discovery__PerHostConcurrency="$c"
    export ChatonsFed__Aggregator__Discovery__MaxChatons="$((n > 5000 ? n : 5000))"
    export ChatonsFed__Aggregator__Observatory__Enabled=false
    export ChatonsFed__Aggregator__Notes__Enabled=false
    export ChatonsFed__Aggregator__FollowChatons=false

    log "N=$n C=$c: cold rebuild (chatonsfed directory rebuild, a fresh process)"
    before="$(nginx_requests "$port")"
    DOTNET_gcServer="$aggregator_gc_server" /usr/bin/time -f '%e %U %S %M' -o "$data.time" dotnet "$chatonsfed" directory rebuild --data "$data" >"$data.cold.out" 2>"$data.cold.err" \
      || { cat "$data.cold.out" "$data.cold.err" >&2; die "the cold rebuild failed"; }
    cold_gets=$(($(nginx_requests "$port") - before - 1))
    read -r cold_wall cold_user cold_sys cold_kb <"$data.time"
    summary="$(grep '^Rebuilt:' "$data.cold.out")"
    cold_listed="$(sed -n 's/^Rebuilt: \([0-9]*\) listed of \([0-9]*\) found.*/\1 \2/p' <<<"$summary")"
    if [ "$cold_listed" != "$expected_listed $n" ]; then
      log "cold rebuild: $summary (expected $expected_listed listed of $n)"
      failed=1
    fi
    r[cold/$n/$c]="$cold_wall"
    r[coldcpu/$n/$c]="$(calc "$cold_user + $cold_sys" 2)"
    r[coldrss/$n/$c]="$(calc "$cold_kb / 1024" 1)"
    r[coldgets/$n/$c]="$cold_gets"

    log "N=$n C=$c: chatonsfed serve, then rebuilds through the admin API"
    DOTNET_gcServer="$aggregator_gc_server" dotnet "$chatonsfed" serve --data "$data" --urls "$agg_url" >"$data.serve.log" 2>&1 &
    agg_pid=$!
    pids+=("$agg_pid")
    ready=0
    for _ in $(seq 3000); do
      kill -0 "$agg_pid" 2>/dev/null || { tail -n 30 "$data.serve.log" >&2; die "chatonsfed serve stopped"; }
      [ "$(curl -s -o /dev/null -w '%{http_code}' "$agg_url/readyz")" = 200 ] && { ready=1; break; }
      sleep 0.1
    done
    [ "$ready" = 1 ] || { tail -n 30 "$data.serve.log" >&2; die "the aggregator was not ready (first poll) within 300 s"; }
    token="$(jq -r '.token' "$data/run/admin.json")"

    walls=()
    for round in 0 1 2 3; do
      before="$(nginx_requests "$port")"
      line="$(crawl rebuild "$agg_pid" "$data.rebuild-$round.out")" || die "rebuild $round through the admin API failed"
      gets=$(($(nginx_requests "$port") - before - 1))
      read -r wall cpu listed found <<<"$line"
      rss="$(rss_mb "$agg_pid")"
      r[rebuildrss/$n/$c]="${r[rebuildrss/$n/$c]:+${r[rebuildrss/$n/$c]}, }$rss"
      log "  rebuild $round: $wall s, $cpu s of CPU, $listed listed of $found, $gets GETs, RSS $rss MB after it"
      if [ "$listed $found" != "$expected_listed $n" ]; then
        log "  rebuild $round listed $listed of $found, expected $expected_listed of $n"
        failed=1
      fi
      if [ "$round" -gt 0 ]; then
        walls+=("$wall")
        r[warmcpu/$n/$c]="${r[warmcpu/$n/$c]:+${r[warmcpu/$n/$c]}, }$cpu"
        r[cores/$n/$c]="${r[cores/$n/$c]:-} $(calc "$cpu / $wall" 2)"
      fi
      r[gets/$n/$c]="$gets"
    done
    r[warm/$n/$c]="$(median3 "${walls[@]}")"
    r[warms/$n/$c]="${walls[*]}"
    r[cores/$n/$c]="$(median3 ${r[cores/$n/$c]})"

    before="$(nginx_requests "$port")"
    line="$(crawl refresh "$agg_pid" "$data.poll.out")" || die "the poll through the admin API failed"
    r[pollgets/$n/$c]=$(($(nginx_requests "$port") - before - 1))
    read -r wall cpu listed found <<<"$line"
    r[poll/$n/$c]="$wall"
    r[pollcores/$n/$c]="$(calc "$cpu / $wall" 2)"
    counts="$(admin GET directory/status | jq -r '.lastCrawl | "\(.added) added, \(.updated) updated"')"
    r[pollcounts/$n/$c]="$counts"
    log "  poll: $wall s, ${r[pollgets/$n/$c]} GETs, $counts"

    sleep "$idle_seconds"
    r[rss/$n/$c]="$(rss_mb "$agg_pid")"
    log "  RSS after ${idle_seconds} idle seconds: ${r[rss/$n/$c]} MB"

    check="$(dotnet "$benchmarks" fleet-check "$fleet" "$agg_url")" || failed=1
    grep -v '^RESULT' <<<"$check" >&2
    r[check/$n/$c]="$(grep '^RESULT' <<<"$check")"

    kill "$agg_pid"
    wait "$agg_pid" 2>/dev/null || true
  done

  log "N=$n: the same crawl by Fedify, concurrency $fedify_concurrency"
  before="$(nginx_requests "$port")"
  fedify="$("$fedify_node" "$bench/fleet-fedify.mjs" "$peer_dir" "$fleet/seeds.txt" "$fedify_concurrency")" || die "the Fedify crawl failed"
  r[fedify/$n]="$(jq -r '.seconds' <<<"$fedify")"
  r[fedifygets/$n]=$(($(nginx_requests "$port") - before - 1))
  r[fedifycounts/$n]="$(jq -r '"\(.verified) verified, \(.refused | length) refused, \(.errorCount) errors"' <<<"$fedify")"
  expected_refused="$(cut -f2 "$fleet/tampered.tsv" | sort)"
  if [ "$(jq -r '.refused[]' <<<"$fedify" | sort)" = "$expected_refused" ]; then
    r[fedifycheck/$n]=yes
  else
    r[fedifycheck/$n]=no
    log "Fedify refused other objects than the tampered ones: $(jq -c '.refused, .errors' <<<"$fedify")"
    failed=1
  fi
  log "N=$n: Fedify ${r[fedify/$n]} s, ${r[fedifycounts/$n]}, ${r[fedifygets/$n]} GETs"

  kill "$nginx_pid"
  wait "$nginx_pid" 2>/dev/null || true
done

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the table
for n in $sizes; do
  f="${r[facts/$n]}"
  rss_target=$((n <= 1000 ? 250 : 600))
  floor="${r[floor/$n]}"
  row "N=$n floor: ${r[floorparts/$n]}" "$floor s" "" "" "" ""
  for c in $concurrencies; do
    warm="${r[warm/$n/$c]}"
    ratio="$(calc "$warm / $floor" 2)"
    row "N=$n C=$c warm rebuild (median of 3: ${r[warms/$n/$c]// /, } s; CPU ${r[warmcpu/$n/$c]} s) vs floor" "$warm s" "$floor s" "${ratio}×" "≤ 2×" "$(met "$ratio <= 2")"
    ratio="$(calc "${r[cold/$n/$c]} / $warm" 2)"
    row "N=$n C=$c cold rebuild (fresh process: ${r[coldcpu/$n/$c]} s CPU, peak RSS ${r[coldrss/$n/$c]} MB) / warm" "${r[cold/$n/$c]} s" "$warm s" "${ratio}×" "≤ 1.5×" "$(met "$ratio <= 1.5")"
    ratio="$(calc "${r[poll/$n/$c]} / $warm" 2)"
    row "N=$n C=$c poll of unchanged documents (${r[pollgets/$n/$c]} GETs; ${r[pollcounts/$n/$c]}; ${r[pollcores/$n/$c]} cores) / warm rebuild" "${r[poll/$n/$c]} s" "$warm s" "$ratio" "≤ 0.25" "$(met "$ratio <= 0.25")"
    row "N=$n C=$c RSS after four rebuilds and a poll, ${idle_seconds} s idle (after each rebuild: ${r[rebuildrss/$n/$c]} MB)" "${r[rss/$n/$c]} MB" "" "" "≤ $rss_target MB" "$(met "${r[rss/$n/$c]} <= $rss_target")"
    row "N=$n C=$c cores used during a warm rebuild (CPU / wall, median)" "${r[cores/$n/$c]}" "2 cores" "" "" ""
    row "N=$n C=$c GETs of a rebuild (cold / warm)" "${r[coldgets/$n/$c]} / ${r[gets/$n/$c]}" "$(field rebuild_gets " $f") expected" "" "" ""
    check="${r[check/$n/$c]}"
    ok="$(field ok "$check")"
    [ "$ok" = yes ] || ok="**no**"
    row "N=$n C=$c tampered objects refused = expected ($(field tampered_kinds " $f" | tr ',' ' '); $(field listed "$check") of $n chatons listed, each entry as expected)" \
      "$(field refused "$check") refused" "$(field tampered "$check") tampered" "" "exactly" "$ok"
  done
  c64=64
  [ -n "${r[warm/$n/$c64]:-}" ] || c64="${concurrencies##* }"
  ratio="$(calc "${r[fedify/$n]} / ${r[warm/$n/$c64]}" 1)"
  row "N=$n Fedify crawl (concurrency $fedify_concurrency; ${r[fedifycounts/$n]}; ${r[fedifygets/$n]} GETs) / warm rebuild (C=$c64)" "$(calc "${r[fedify/$n]}" 2) s" "${r[warm/$n/$c64]} s" "${ratio}×" "≥ 25×" "$(met "$ratio >= 25")"
  row "N=$n Fedify refused = tampered" "${r[fedifycheck/$n]}" "" "" "exactly" "${r[fedifycheck/$n]/no/**no**}"
done
set -- $sizes
if [ $# -ge 2 ]; then
  small=$1 large=${!#}
  c64=64
  [ -n "${r[warm/$small/$c64]:-}" ] || c64="${concurrencies##* }"
  ratio="$(calc "${r[warm/$large/$c64]} / ${r[warm/$small/$c64]}" 2)"
  # 5.5 for 5,000 against 1,000: a tenth above linear.
  target="$(calc "1.1 * $large / $small" 2)"
  row "warm rebuild $large / $small (C=$c64)" "${r[warm/$large/$c64]} s" "${r[warm/$small/$c64]} s" "${ratio}×" "≤ ${target}×" "$(met "$ratio <= $target")"
fi

fedify_version="$(jq -r '.version' "$peer_dir/node_modules/@fedify/fedify/package.json")"
echo
echo "Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r); .NET SDK $(dotnet --version); $(nginx -v 2>&1 | sed 's/^nginx version: //'); node $(node -v) (Fedify runs on $("$fedify_node" -v)); Fedify $fedify_version"
echo "Load average before: $load_before; after: $load_after"
for n in $sizes; do
  f="${r[facts/$n]}"
  echo "Fleet of $n: $(field signed_objects " $f") signed objects of $(field signed_bytes_mean " $f") bytes on average ($(field signed_bytes_min " $f") to $(field signed_bytes_max " $f")), $(field gets_per_chaton " $f") GETs a chaton; $(field tampered " $f") tampered ($(field tampered_kinds " $f")); floor ${r[floor/$n]} s"
done
echo
echo "| figure | value | anchor | ratio | target | met? |"
echo "|---|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
exit "$failed"
