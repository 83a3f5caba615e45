#!/usr/bin/env bash
# Proves the model-based suite has teeth: applies each planted bug (a patch here) to a scratch
# worktree of HEAD, runs the model-based suite against it, and prints a Markdown table of the
# properties that failed and how short FsCheck's shrunk scenario was. The bugs never touch main.
#
#   scripts/planted-bugs/run.sh            # every patch
#   CASES=3 scripts/planted-bugs/run.sh 03 # one patch, three times the CI number of cases
set -uo pipefail
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/tree" >/dev/null 2>&1; rm -rf "$work"' EXIT
git -C "$repo" worktree add -q --detach "$work/tree" HEAD

echo "| planted bug | properties that failed | shrunk scenario (commands) | time |"
echo "|---|---|---|---|"
for patch in "$repo"/scripts/planted-bugs/${1:-}*.patch; do
  name=$(basename "$patch" .patch)
  git -C "$work/tree" checkout -q -- .
  git -C "$work/tree" apply "$patch"
  log="$work/$name.log"
  start=$(date +%s)
  (cd "$work/tree" && GRANTSIM_PROPERTY_CASES=${CASES:-1} dotnet test tests/GrantSim.Model.Tests --logger "console;verbosity=detailed" >"$log" 2>&1)
  seconds=$(( $(date +%s) - start ))
  failed=$(grep -oE "^  Failed GrantSim\.Model\.Tests\.Properties\.[A-Za-z]+\.[A-Za-z_]+" "$log" | sed 's/.*Properties\.//' | sort -u | paste -sd ',' | sed 's/,/, /g')
  # Length of each failing property's final (shrunk) scenario: the lines "01 ... -> result" (or "A1 ... -> result")
  # of the trace in its exception, counted per "Falsifiable" block of the detailed log.
  shrunk=$(awk '/^\[xUnit.*Falsifiable/ {if (n) print n; n=0} /^\[xUnit[^]]*\] +([0-9][0-9]|[A-C][0-9]) .* -> / {n++} END {if (n) print n}' "$log" | paste -sd '/')
  if grep -q "error CS" "$log"; then failed="(does not build)"; fi
  echo "| $name | ${failed:-none: NOT CAUGHT} | ${shrunk:--} | ${seconds}s |"
  cp "$log" "${TMPDIR:-/tmp}/planted-bug-$name.log"
done
