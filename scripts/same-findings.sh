#!/usr/bin/env bash
# Proves that a change did not change findings: runs two meshlint binaries on every fixture
# folder, every fixture project and both generated benchmark trees (200 and 2,000 stacks),
# and compares `--format json` and the human output byte for byte, with the exit codes.
#
# usage: scripts/same-findings.sh OLD_BINARY NEW_BINARY
#   e.g. git stash; cargo build --release; cp target/release/meshlint /tmp/meshlint-before
#        git stash pop; cargo build --release
#        scripts/same-findings.sh /tmp/meshlint-before target/release/meshlint
#
# A NEW_BINARY with a persistent cache is run three times per tree and format: with
# --no-cache, then with the cache (cold or warm), then again (warm); each must match.
#
# The benchmark trees are generated once with ../shared/bench/gen_corpus.py into
# $MESHLINT_BENCH_DIR (default: $TMPDIR/meshlint-bench) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")

bench="${MESHLINT_BENCH_DIR:-${TMPDIR:-/tmp}/meshlint-bench}"
for stacks in 200 2000; do
    if [ ! -d "$bench/s$stacks" ]; then
        mkdir -p "$bench"
        python3 ../shared/bench/gen_corpus.py --stacks "$stacks" "$bench/s$stacks.tmp" >/dev/null
        mv "$bench/s$stacks.tmp" "$bench/s$stacks"
    fi
done

# Each way of running the new binary: uncached first when it has a cache.
new_runs=("")
if "$new" check --help | grep -q -- --no-cache; then
    new_runs=("--no-cache" "" "")
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

targets=()
for dir in fixtures/*/ fixtures/projects/*/; do
    [ "$dir" = "fixtures/projects/" ] || targets+=("${dir%/}")
done
targets+=("fixtures" "$bench/s200" "$bench/s2000")

compared=0
differ=0
for target in "${targets[@]}"; do
    for format in json human; do
        key=$(printf '%s.%s' "$target" "$format" | tr '/' '_')
        set +e
        "$old" check --no-color --format "$format" "$target" >"$out/$key.old" 2>"$out/$key.old.err"
        old_code=$?
        set -e
        for flag in "${new_runs[@]}"; do
            set +e
            # shellcheck disable=SC2086 # an empty flag is no argument
            "$new" check --no-color --format "$format" $flag "$target" >"$out/$key.new" 2>"$out/$key.new.err"
            new_code=$?
            set -e
            compared=$((compared + 1))
            if [ "$old_code" != "$new_code" ] || ! cmp -s "$out/$key.old" "$out/$key.new"; then
                differ=$((differ + 1))
                echo "DIFFERENT: $target, $format ${flag:-(with cache)} (exit $old_code -> $new_code)"
                diff <(head -c 200000 "$out/$key.old") <(head -c 200000 "$out/$key.new") | head -20 || true
            fi
        done
    done
done

findings=$(cat "$out"/*.json.new | grep -o '"rule":' | wc -l)
if [ "$differ" -ne 0 ]; then
    echo "$differ of $compared runs give different output"
    exit 1
fi
echo "identical: ${#targets[@]} trees ($findings findings), $compared runs: byte-identical JSON and human output, same exit codes"
