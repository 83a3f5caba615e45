#!/usr/bin/env python3
"""Estimates the mutation score of the grain layer from a random sample of Stryker's own mutants.

Stryker.NET tests every mutant of a project against the test projects in one process: for the grain
classes that would mean starting Orleans clusters once per mutant for each of ~1,000 mutants (hours on
two cores). So this script takes the catalogue Stryker makes of them (the JSON report of
tests/GrantSim.Grains.Tests/stryker-grain-layer.json: every mutant with its file, location and
replacement), draws a seeded random sample, and for each drawn mutant:

  1. applies exactly Stryker's replacement to a scratch worktree of HEAD,
  2. builds; a mutant that does not compile is set aside and another is drawn (Stryker does not score those either),
  3. runs the grain layer's suites in order (default: the cluster tests, the model-based suite, then the
     client's tests: crash points, secrets, chaos);
     the first suite with a failing test kills it, a suite that runs past three times its unmutated time
     plus a minute kills it by timeout (as Stryker counts timeouts), and a mutant every suite passes survives.

It prints a Markdown table of every drawn mutant, the score, and its 95% Wilson interval. The worktree
is removed at the end; main is never touched.

    scripts/mutation/sample-grain-layer.py REPORT.json [--sample 30] [--seed 1] [--suite tests/GrantSim.Cluster.Tests ...]
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

SCORED = {"Killed", "Survived", "NoCoverage", "Timeout"}


def repo_root():
    return subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()


def relative_source(path):
    """The report names files by absolute path in the worktree Stryker ran in; keep the part from grains/."""
    index = path.replace("\\", "/").find("grains/")
    if index < 0:
        raise SystemExit(f"{path}: not a file of grains/")
    return path.replace("\\", "/")[index:]


def offset(text, line, column):
    """Offset of a 1-based line and column (mutation-testing-elements positions) in text."""
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[: line - 1]) + column - 1


def catalogue(report_path):
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    mutants = []
    for path, entry in sorted(report["files"].items()):
        source = entry["source"]
        for mutant in entry["mutants"]:
            if mutant["status"] not in SCORED:
                continue
            start = offset(source, mutant["location"]["start"]["line"], mutant["location"]["start"]["column"])
            end = offset(source, mutant["location"]["end"]["line"], mutant["location"]["end"]["column"])
            mutants.append({
                "id": mutant["id"],
                "file": relative_source(path),
                "line": mutant["location"]["start"]["line"],
                "mutator": mutant["mutatorName"],
                "original": source[start:end],
                "replacement": mutant.get("replacement", ""),
                "start": start,
                "end": end,
                "source": source,
            })
    return mutants


def run(command, cwd, log, timeout=None):
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        try:
            code = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            code = None
    return code, time.monotonic() - started


def failed_tests(log):
    with open(log, encoding="utf-8", errors="replace") as handle:
        names = re.findall(r"^\s+Failed (GrantSim\.[\w.]+)", handle.read(), flags=re.M)
    return sorted({name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1] for name in names})


def short(text, limit=60):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wilson(killed, total, z=1.96):
    if total == 0:
        return (0.0, 0.0)
    p = killed / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--suite", action="append", help="a test project, in the order they run (default: cluster tests, model-based suite, client tests)")
    parser.add_argument("--logs", default=os.path.join(tempfile.gettempdir(), "grain-layer-mutants"))
    args = parser.parse_args()
    suites = args.suite or ["tests/GrantSim.Cluster.Tests", "tests/GrantSim.Model.Tests", "tests/GrantSim.Client.Tests"]

    mutants = catalogue(args.report)
    random.Random(args.seed).shuffle(mutants)
    print(f"{len(mutants)} mutants in the catalogue (compiling mutants Stryker scores); drawing {args.sample} with seed {args.seed}", file=sys.stderr)

    root = repo_root()
    work = tempfile.mkdtemp(prefix="grain-mutants-")
    tree = os.path.join(work, "tree")
    os.makedirs(args.logs, exist_ok=True)
    subprocess.run(["git", "-C", root, "worktree", "add", "-q", "--detach", tree, "HEAD"], check=True)
    results = []
    try:
        # A mutant may well warn (unreachable code, an unused value); it is scored if it compiles, as Stryker does.
        build = ["dotnet", "build", "-p:TreatWarningsAsErrors=false"]
        baseline = {}
        for suite in suites:
            if run(build + [suite], tree, os.path.join(args.logs, "baseline-build.log"))[0] != 0:
                raise SystemExit(f"{suite} does not build (log: {args.logs}/baseline-build.log)")
            code, seconds = run(["dotnet", "test", "--no-build", suite], tree, os.path.join(args.logs, "baseline.log"))
            if code != 0:
                raise SystemExit(f"{suite} fails without any mutant: fix that first (log: {args.logs}/baseline.log)")
            baseline[suite] = seconds
            print(f"baseline {suite}: {seconds:.0f} s", file=sys.stderr)

        drawn = iter(mutants)
        compile_errors = 0
        while len(results) < args.sample:
            mutant = next(drawn, None)
            if mutant is None:
                break
            subprocess.run(["git", "-C", tree, "checkout", "-q", "--", "."], check=True)
            path = os.path.join(tree, mutant["file"])
            with open(path, encoding="utf-8") as handle:
                current = handle.read()
            if current != mutant["source"]:
                raise SystemExit(f"{mutant['file']} differs from the source Stryker mutated: run the catalogue at HEAD")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(current[: mutant["start"]] + mutant["replacement"] + current[mutant["end"]:])

            log = os.path.join(args.logs, f"mutant-{mutant['id']}")
            # The first suite's build compiles the mutated project; later suites are built only for a mutant still alive.
            if run(build + [suites[0]], tree, log + "-build.log")[0] != 0:
                compile_errors += 1
                continue

            status, killer, seconds = "Survived", "", 0.0
            for index, suite in enumerate(suites):
                if index > 0 and run(build + [suite], tree, f"{log}-build-{os.path.basename(suite)}.log")[0] != 0:
                    raise SystemExit(f"{suite} does not build with mutant {mutant['id']} although {suites[0]} did (log: {log}-build-{os.path.basename(suite)}.log)")
                code, spent = run(["dotnet", "test", "--no-build", suite], tree, f"{log}-{os.path.basename(suite)}.log", timeout=3 * baseline[suite] + 60)
                seconds += spent
                if code is None:
                    status, killer = "Timeout", os.path.basename(suite)
                    break
                if code != 0:
                    failures = failed_tests(f"{log}-{os.path.basename(suite)}.log")
                    status, killer = "Killed", ", ".join(failures[:3]) + (f" (+{len(failures) - 3})" if len(failures) > 3 else "") if failures else f"{os.path.basename(suite)} (exit {code})"
                    break
            mutant.update(status=status, killer=killer, seconds=seconds)
            results.append(mutant)
            print(f"[{len(results)}/{args.sample}] {mutant['file']}:{mutant['line']} {mutant['mutator']}: {status} {killer} ({seconds:.0f} s)", file=sys.stderr)
    finally:
        subprocess.run(["git", "-C", root, "worktree", "remove", "--force", tree], check=False)
        shutil.rmtree(work, ignore_errors=True)

    print("| # | mutant | file:line | mutator | original → replacement | result | killed by |")
    print("|---|---|---|---|---|---|---|")
    for number, mutant in enumerate(results, 1):
        change = f"`{short(mutant['original'])}` → `{short(mutant['replacement'])}`".replace("|", "\\|")
        print(f"| {number} | {mutant['id']} | {mutant['file'].removeprefix('grains/GrantSim.Grains/')}:{mutant['line']} | {mutant['mutator']} | {change} | {mutant['status']} | {mutant['killer']} |")
    killed = sum(1 for m in results if m["status"] in ("Killed", "Timeout"))
    low, high = wilson(killed, len(results))
    print()
    print(f"Sample of {len(results)} (seed {args.seed}; {compile_errors} drawn mutants did not compile and were replaced): "
          f"{killed} killed, {len(results) - killed} survived: score {100 * killed / max(1, len(results)):.1f}% "
          f"(95% interval {100 * low:.1f}–{100 * high:.1f}%). Suites: {', '.join(suites)}.")


if __name__ == "__main__":
    main()
