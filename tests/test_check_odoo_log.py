"""scripts/check_odoo_log.py judged on sample logs: the test server's idle
pre-connection time-out (what a busy machine makes of Chromium's spare
connections) passes; every other ERROR line still fails the run. No database."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_odoo_log.py"
SPEC = importlib.util.spec_from_file_location("check_odoo_log", SCRIPT)
check_odoo_log = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_odoo_log)

HEAD = "2026-12-07 18:47:25,850 9779"
SUMMARY = (
    f"{HEAD} INFO mediation_test odoo.tests.result: "
    "0 failed, 0 error(s) of 338 tests when loading database 'mediation_test'"
)
# Copied from a real log: Odoo in test mode, a socket opened on its HTTP port
# and left idle for 6 s.
NOISE = (
    f"{HEAD} ERROR ? werkzeug: 127.0.0.1 - - [07/Dec/2026 18:47:25] "
    "Request timed out: TimeoutError('timed out') - - -"
)


def _judge(tmp_path, *lines):
    log = tmp_path / "test-odoo.log"
    log.write_text("\n".join((*lines, SUMMARY)) + "\n", encoding="utf-8")
    return check_odoo_log.main(str(log))


def test_clean_log_passes(tmp_path):
    assert _judge(tmp_path, f"{HEAD} INFO db odoo.modules.loading: done") == 0


def test_idle_preconnection_timeout_is_noise(tmp_path, capsys):
    with_db = NOISE.replace("? werkzeug", "mediation_test werkzeug")
    assert _judge(tmp_path, NOISE, with_db) == 0
    assert "odoo: 338 passed, 0 failed, 0 skipped" in capsys.readouterr().out


@pytest.mark.parametrize(
    "line",
    [
        # any other ERROR, from werkzeug or not
        f"{HEAD} ERROR db odoo.addons.consumer_mediation.tests.test_x: FAIL: test_y",
        NOISE.replace("Request timed out: TimeoutError('timed out')", "code 400"),
        # the same words from elsewhere than the loopback, another logger,
        # or with more after them
        NOISE.replace("127.0.0.1", "10.0.0.7"),
        NOISE.replace("werkzeug:", "odoo.http:"),
        NOISE.replace("'timed out')", "'timed out') and a traceback"),
        f"{HEAD} ERROR ? odoo.addons.x: Request timed out: TimeoutError('timed out')",
        NOISE.replace(" ERROR ", " CRITICAL "),
    ],
)
def test_other_errors_still_fail(tmp_path, capsys, line):
    assert _judge(tmp_path, NOISE, line) == 1
    assert "error logged" in capsys.readouterr().err
