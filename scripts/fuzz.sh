#!/usr/bin/env bash
# Fuzzes Herald with libFuzzer: JSON decoding (herald.message/v1 and BEC) and every renderer and transport.
#   scripts/fuzz.sh [SECONDS]   (default 60)
# Builds the Fuzz/ package with -sanitize=fuzzer,address, seeds a corpus from the golden messages and examples
# (plus anything kept in Fuzz/corpus), and runs for SECONDS. A crash, leak or timeout makes libFuzzer write the
# input to Fuzz/crashes/ and exit non-zero; turn each into a regression test under Tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

build_log="$(mktemp)"
if ! swift build --package-path Fuzz -c release --product HeraldFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > "$build_log" 2>&1; then
    cat "$build_log" >&2
    echo "error: the fuzzer did not build" >&2
    exit 1
fi
rm -f "$build_log"
fuzzer="$(swift build --package-path Fuzz -c release --show-bin-path)/HeraldFuzz"

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus" "$corpus.log"' EXIT
for file in golden/*/message.json Examples/*.json; do
    cp "$file" "$corpus/$(echo "$file" | tr '/' '_')"
done
[ -d Fuzz/corpus ] && cp Fuzz/corpus/* "$corpus/" 2>/dev/null || true
mkdir -p Fuzz/crashes

log="$corpus.log"
status=0
"$fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 > "$log" 2>&1 || status=$?
grep -E '^(Done |stat::number_of_executed_units)' "$log" || true
if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "error: the fuzzer found a failing input (exit $status); see Fuzz/crashes/" >&2
    exit "$status"
fi
rm -f "$log"
echo "fuzzing: no crash in ${seconds} s"
