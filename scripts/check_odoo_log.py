"""Read the log of Odoo's test runner and judge it.

Fails on any failed or erroring test, any skipped test (a tour skipped for
want of Chromium counts as a failure), any ERROR/CRITICAL log line, or when
no test ran. One ERROR line is noise and passes: the test HTTP server
(werkzeug) giving up on an idle connection from the loopback after the 5 s
that Odoo sets in test mode (odoo/service/server.py, RequestHandler.setup).
Chromium opens such pre-connections and may never use them; on a busy
machine they time out while every test passes.
Prints one summary line: ``odoo: N passed, N failed, N skipped``.
"""

import re
import sys

SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading")
SKIPPED = re.compile(r" INFO \S+ (\S+): skipped (.*)")
BAD_LEVEL = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# Exactly what http.server logs through werkzeug's handler for that time-out:
# "<ip> - - [<date>] Request timed out: TimeoutError('timed out')", then
# Odoo's perf columns. Only from 127.0.0.1/::1, only at ERROR, nothing more.
IDLE_TIMEOUT = re.compile(
    r"^\S+ \S+ \d+ ERROR \S+ werkzeug: (?:127\.0\.0\.1|::1) - - \[[^\]]+\] "
    r"Request timed out: TimeoutError\('timed out'\)(?: \S+ \S+ \S+)?$"
)


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
            if BAD_LEVEL.search(line) and not IDLE_TIMEOUT.match(line.rstrip("\n")):
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
