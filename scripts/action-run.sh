#!/usr/bin/env bash
# The steps of action.yml that are more than one command, kept here so that tests can run them
# with GITHUB_* variables pointing into a temporary directory.
#
#   action-run.sh cache-key   write `key=<hash of the sources that build meshlint>` to $GITHUB_OUTPUT
#   action-run.sh install     put meshlint in ~/.cargo/bin: the wheel of this version built for
#                             the runner when pip finds one (no compiling), else `cargo install`
#   action-run.sh check       run meshlint on the paths with the checkout as the project
#                             (--project . unless MESHLINT_ARGS names one): annotations (--format github) and, when
#                             MESHLINT_SARIF is set, a SARIF report; write `exit-code` (and
#                             `sarif`) to $GITHUB_OUTPUT and exit with meshlint's status
#
# Inputs (environment): MESHLINT_PATHS, MESHLINT_ARGS (split on blanks, never globbed),
# MESHLINT_SARIF, MESHLINT_INSTALL (`true`: the binary that `cargo install --root ~/.cargo`
# put in ~/.cargo/bin), MESHLINT_BIN (a binary to use instead), GITHUB_ACTION_PATH,
# GITHUB_OUTPUT.
set -uo pipefail
set -f # paths and arguments are words, not glob patterns

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
output="${GITHUB_OUTPUT:-/dev/null}"

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi
}

# Everything that changes the binary: the manifest and lock file, build.rs, a pinned
# toolchain, the sources and the rule data build.rs reads, and the compiler itself.
cache_key() {
  local hash
  hash=$(
    cd "$action_path" &&
      {
        rustc --version 2>/dev/null || echo "no rustc"
        for entry in Cargo.toml Cargo.lock build.rs rust-toolchain rust-toolchain.toml src rules; do
          [ ! -e "$entry" ] || find "$entry" -type f
        done | LC_ALL=C sort |
          while IFS= read -r file; do printf '%s\n' "$file"; cat "$file"; done
      } | sha256
  ) || return 2
  hash="${hash%% *}"
  echo "key=${hash:0:32}" >>"$output"
}

# The wheel first: pip takes only a prebuilt one (--only-binary), of exactly this version;
# MESHLINT_WHEEL_FIND_LINKS names a folder of wheels to use instead of the package index.
install() {
  local version venv dest="$HOME/.cargo/bin"
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
  venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/meshlint-wheel"
  local source=()
  if [ -n "${MESHLINT_WHEEL_FIND_LINKS:-}" ]; then
    source=(--no-index --find-links "$MESHLINT_WHEEL_FIND_LINKS")
  fi
  mkdir -p "$dest"
  if [ -n "$version" ] && python3 -m venv "$venv" >/dev/null 2>&1 &&
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary :all: \
      ${source[@]+"${source[@]}"} "meshlint==$version" >/dev/null 2>&1 &&
    "$venv/bin/meshlint" --version >/dev/null 2>&1; then
    cp "$venv/bin/meshlint" "$dest/meshlint"
    echo "meshlint $version: installed from its wheel"
    return 0
  fi
  echo "meshlint $version: no wheel for this runner; building it with cargo"
  cargo install --locked --path "$action_path" --root "$HOME/.cargo"
}

# A run that failed (exit status 2) as an annotation with meshlint's own message, whatever
# the format: without it a pull request shows only "exit code 2".
annotate_failure() {
  local status=$1 errors=$2 message
  message=$(grep -m 5 '^meshlint: error: ' "$errors" | sed 's/^meshlint: error: //')
  [ -n "$message" ] || message=$(head -c 2000 "$errors")
  [ -n "$message" ] || message="meshlint failed with exit status $status"
  # Workflow command data: %, CR and LF escaped.
  message=${message//'%'/'%25'}
  message=${message//$'\r'/'%0D'}
  message=${message//$'\n'/'%0A'}
  echo "::error title=meshlint::$message"
}

check() {
  local bin="${MESHLINT_BIN:-}"
  if [ -z "$bin" ]; then
    if [ "${MESHLINT_INSTALL:-true}" = true ]; then bin="$HOME/.cargo/bin/meshlint"; else bin=meshlint; fi
  fi
  local paths=() args=()
  read -r -a paths <<<"${MESHLINT_PATHS:-}"
  read -r -a args <<<"${MESHLINT_ARGS:-}"
  [ "${#paths[@]}" -gt 0 ] || paths=(.)
  # `paths` narrows what is reported, not the context: the checkout (the working directory)
  # is the project whose Terraform and sources every checked file is read with, unless the
  # arguments name another with --project.
  local arg
  for arg in ${args[@]+"${args[@]}"}; do
    case "$arg" in --project | --project=*) project_given=1 ;; esac
  done
  [ -n "${project_given:-}" ] || args+=(--project .)

  local errors
  errors=$(mktemp)
  if [ -n "${MESHLINT_SARIF:-}" ]; then
    mkdir -p "$(dirname "$MESHLINT_SARIF")"
    "$bin" check ${args[@]+"${args[@]}"} --format sarif --output "$MESHLINT_SARIF" -- "${paths[@]}" 2>"$errors"
    local sarif_status=$?
    cat "$errors" >&2
    if [ "$sarif_status" -ge 2 ]; then
      echo "exit-code=$sarif_status" >>"$output"
      annotate_failure "$sarif_status" "$errors"
      rm -f "$errors"
      return "$sarif_status"
    fi
    echo "sarif=$MESHLINT_SARIF" >>"$output"
  fi

  "$bin" check ${args[@]+"${args[@]}"} --format github -- "${paths[@]}" 2>"$errors"
  local status=$?
  cat "$errors" >&2
  [ "$status" -lt 2 ] || annotate_failure "$status" "$errors"
  rm -f "$errors"
  echo "exit-code=$status" >>"$output"
  return "$status"
}

case "${1:-check}" in
  cache-key) cache_key ;;
  install) install ;;
  check) check ;;
  *)
    echo "usage: $0 cache-key|install|check" >&2
    exit 2
    ;;
esac
