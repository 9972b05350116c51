#!/usr/bin/env python3
"""Compares the findings of two meshlint binaries on the same paths, finding by finding.

usage: scripts/compare-findings.py OLD_BINARY NEW_BINARY PATH...

Each PATH is checked on its own with `--format json`; a finding is (file, line, column,
code, message). Prints the findings only one side has, per path, and a summary line per path;
exits 1 when any path differs. Unlike scripts/same-findings.sh it ignores the summary and the
order, so it also serves changes that are meant to change findings: the output is the list
to explain.
"""
import json
import subprocess
import sys


def findings(binary, path):
    run = subprocess.run([binary, "check", "--format", "json", path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"{binary} check {path}: exit {run.returncode}\n{run.stderr}")
    report = json.loads(run.stdout)
    out = set()
    for d in report["diagnostics"]:
        start = d["range"]["start"]
        out.add((d["file"], start["line"], start["column"], d["code"], d["message"]))
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    old, new, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    differs = False
    for path in paths:
        before, after = findings(old, path), findings(new, path)
        gone, added = sorted(before - after), sorted(after - before)
        print(f"{path}: {len(before)} before, {len(after)} after, -{len(gone)} +{len(added)}")
        for sign, items in (("-", gone), ("+", added)):
            for file, line, column, code, message in items:
                print(f"  {sign} {file}:{line}:{column} {code} {message}")
        differs |= bool(gone or added)
    sys.exit(1 if differs else 0)


if __name__ == "__main__":
    main()
