#!/usr/bin/env bash
# Runs every test of ChatonsFed on a fresh machine that has the .NET SDK.
# Installs what the tests need and the machine lacks, builds once, runs each test project,
# and ends with one line "N passed, N failed, N skipped" that sums all of them.
set -uo pipefail
cd "$(dirname "$0")"

results=".test-results"
rm -rf "$results"
mkdir -p "$results"

for prereq in tests/*/prerequisites.sh; do
  [ -f "$prereq" ] || continue
  echo "== prerequisites: $prereq"
  if ! bash "$prereq"; then
    echo "test.sh: $prereq failed; see its message above" >&2
    exit 2
  fi
done

echo "== build"
if ! dotnet build ChatonsFed.sln -c Release --nologo -v quiet; then
  echo "0 passed, 1 failed"
  echo "test.sh: the build failed" >&2
  exit 1
fi

status=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  grep -q '<IsTestProject>true</IsTestProject>' "$proj" || continue
  echo "== $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); ab=$(get aborted)
  executed=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${ab:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed writes no counters: count the run as one failure.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
