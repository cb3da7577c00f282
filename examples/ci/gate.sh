#!/usr/bin/env bash
# ordercheck CI gate: fuzz the Create Order API at $ORDERCHECK_BASE_URL against the contract
# and fail the build when a rule breaks.
#
#   ORDERCHECK_BASE_URL=https://staging.example.com ORDERCHECK_ACCESS_KEY=... ./gate.sh
#   ./gate.sh --max-examples 100 --profile strict   # extra arguments go to `ordercheck fuzz`
#
# Environment:
#   ORDERCHECK_BASE_URL     required: the implementation under test
#   ORDERCHECK_ACCESS_KEY   required: its X-Access-Key (from a CI secret; never printed,
#                           never on a command line, redacted in every report)
#   ORDERCHECK_REPORT_DIR   where the reports go (default: reports)
#   ORDERCHECK_SOURCE       where pip installs ordercheck from: a path to its repository or a
#                           git URL (git+https://host/org/ordercheck.git@v0.1.0). ordercheck is
#                           on no package index, so `pip install ordercheck` cannot work.
#                           Default: the repository this script sits in (examples/ci/../..),
#                           when it is ordercheck's; a copy of this script elsewhere must set it.
#   ORDERCHECK_SKIP_INSTALL 1: ordercheck is already installed, skip pip
#   PYTHON                  the interpreter to install with (default: python3); the gate
#                           runs the `ordercheck` found on PATH
#
# Exit codes, passed through from `ordercheck fuzz`:
#   0  conformant: every rule held
#   1  a rule failed: the build must fail; report.html says which and how to reproduce
#   2  usage error, setup error or unreachable target: nothing was judged. Check the URL
#      secret, ORDERCHECK_SOURCE, the network path from the runner to the target, and the
#      options. A gate that turns 2 into a pass would let a misconfigured pipeline go green,
#      so it stays a failure. A failed install is 2, never 1: no rule was judged.
set -euo pipefail

usage_error() {
    echo "ordercheck gate: $1" >&2
    exit 2
}
[[ -n "${ORDERCHECK_BASE_URL:-}" ]] || usage_error "set ORDERCHECK_BASE_URL to the API under test"
[[ -n "${ORDERCHECK_ACCESS_KEY:-}" ]] || usage_error "set ORDERCHECK_ACCESS_KEY (from a CI secret)"
export ORDERCHECK_ACCESS_KEY  # `ordercheck fuzz` reads the key from the environment
report_dir="${ORDERCHECK_REPORT_DIR:-reports}"

install_ordercheck() {
    local python="${PYTHON:-python3}" from="${ORDERCHECK_SOURCE:-}"
    if [[ -z "$from" ]]; then
        from="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
        grep -qs '^name = "ordercheck"$' "$from/pyproject.toml" \
            || usage_error "set ORDERCHECK_SOURCE to ordercheck's repository (a path or a git URL); $from is not one"
    fi
    "$python" -m pip install --quiet "$from" \
        || usage_error "could not install ordercheck from $from with $python (ORDERCHECK_SOURCE); no rule was judged"
}
if [[ "${ORDERCHECK_SKIP_INSTALL:-0}" != 1 ]]; then
    install_ordercheck
fi
command -v ordercheck >/dev/null \
    || usage_error "no ordercheck command on PATH; install it or put its bin directory on PATH"

# Each run writes into $report_dir/<run id>/ and then points `latest` at it; the gate copies
# the files to stable names for the CI artifacts, and only from this run's directory.
rm -f "$report_dir/junit.xml" "$report_dir/report.html" "$report_dir/report.json"
before="$(readlink "$report_dir/latest" 2>/dev/null || true)"

status=0
ordercheck fuzz \
    --base-url "$ORDERCHECK_BASE_URL" \
    --report-dir "$report_dir" \
    --junit-xml "$report_dir/junit.xml" \
    --quiet \
    "$@" || status=$?

after="$(readlink "$report_dir/latest" 2>/dev/null || true)"
if [[ -n "$after" && "$after" != "$before" ]]; then
    cp "$report_dir/latest/report.html" "$report_dir/latest/report.json" "$report_dir/"
elif [[ "$status" == 1 ]]; then
    echo "ordercheck gate: ordercheck exited 1 without writing its reports (see above)" >&2
    exit 1
fi

case "$status" in
    0) echo "ordercheck gate: conformant" ;;
    1) echo "ordercheck gate: a contract rule failed; see $report_dir/report.html" >&2 ;;
    2) echo "ordercheck gate: usage error or unreachable target; no rule was judged" >&2 ;;
    *) echo "ordercheck gate: ordercheck exited $status" >&2 ;;
esac
exit "$status"
