"""Read the log of Odoo's test runner and judge it.

Fails on any failed or erroring test, any skipped test (a tour skipped for
want of Chromium counts as a failure), any ERROR/CRITICAL log line, or when
no test ran. Prints one summary line: ``odoo: N passed, N failed, N skipped``.
"""

import re
import sys

SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading")
SKIPPED = re.compile(r" INFO \S+ (\S+): skipped (.*)")
BAD_LEVEL = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def main(path):
    failed = errors = run = 0
    skipped, bad_lines = [], []
    found_summary = False
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = SUMMARY.search(line)
            if match:
                found_summary = True
                failed, errors, run = (int(g) for g in match.groups())
                continue
            match = SKIPPED.search(line)
            if match:
                skipped.append(match.group(2).strip())
            if BAD_LEVEL.search(line):
                bad_lines.append(line.rstrip())
    problems = []
    if not found_summary:
        problems.append("the runner printed no test summary (did the install fail?)")
    if not run:
        problems.append("no test ran")
    problems += [f"skipped: {name}" for name in skipped]
    if bad_lines and not (failed or errors):
        problems += [f"error logged: {line[:300]}" for line in bad_lines[:20]]
    bad = failed + errors
    for problem in problems:
        sys.stderr.write(f"odoo runner: {problem}\n")
    print(
        f"odoo: {max(run - bad - len(skipped), 0)} passed, {bad} failed, "
        f"{len(skipped)} skipped"
    )
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
