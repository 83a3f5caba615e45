#!/usr/bin/env bash
# Proves the suite has teeth: applies each planted bug (a patch here) to a scratch worktree of
# HEAD, runs the tests that should catch it, and prints a Markdown table of the tests that failed
# and how short FsCheck's shrunk scenario was. The bugs never touch main. A patch runs the
# model-based suite unless its header names another with "Suite: <test project>" and, optionally,
# "Filter: <dotnet test --filter expression>" (bugs in the layers around the rules: crash points,
# secrets, signatures, tenancy, ciphertexts).
#
#   scripts/planted-bugs/run.sh            # every patch
#   CASES=3 scripts/planted-bugs/run.sh 03 # one patch, three times the CI number of cases
#   scripts/planted-bugs/run.sh 15 16 2     # patches 15, 16 and 20-29
set -uo pipefail
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/tree" >/dev/null 2>&1; rm -rf "$work"' EXIT
git -C "$repo" worktree add -q --detach "$work/tree" HEAD

echo "| planted bug | properties that failed | shrunk scenario (commands) | time |"
echo "|---|---|---|---|"
prefixes=("${@:-}")
for patch in $(for prefix in "${prefixes[@]}"; do ls "$repo"/scripts/planted-bugs/"$prefix"*.patch; done); do
  name=$(basename "$patch" .patch)
  git -C "$work/tree" checkout -q -- .
  git -C "$work/tree" apply "$patch"
  log="$work/$name.log"
  start=$(date +%s)
  suite=$(sed -n 's/^Suite: //p' "$patch" | head -1)
  filter=$(sed -n 's/^Filter: //p' "$patch" | head -1)
  (cd "$work/tree" && GRANTSIM_PROPERTY_CASES=${CASES:-1} CI=${CI:-} dotnet test "${suite:-tests/GrantSim.Model.Tests}" ${filter:+--filter "$filter"} \
    --logger "console;verbosity=detailed" >"$log" 2>&1)
  seconds=$(( $(date +%s) - start ))
  failed=$(grep -oE "^  Failed GrantSim\.[A-Za-z]+\.Tests\.([A-Za-z0-9]+\.)*[A-Za-z0-9]+\.[A-Za-z0-9_]+" "$log" | sed -E 's/.*\.([A-Za-z0-9]+\.[A-Za-z0-9_]+)$/\1/' | sort -u | paste -sd ',' | sed 's/,/, /g')
  # Length of each failing property's final (shrunk) scenario: the lines "01 ... -> result" (or "A1 ... -> result")
  # of the trace in its exception, counted per "Falsifiable" block of the detailed log.
  shrunk=$(awk '/^\[xUnit.*Falsifiable/ {if (n) print n; n=0} /^\[xUnit[^]]*\] +([0-9][0-9]|[A-C][0-9]) .* -> / {n++} END {if (n) print n}' "$log" | paste -sd '/')
  if grep -q "error CS" "$log"; then failed="(does not build)"; fi
  echo "| $name | ${failed:-none: NOT CAUGHT} | ${shrunk:--} | ${seconds}s |"
  cp "$log" "${TMPDIR:-/tmp}/planted-bug-$name.log"
done
