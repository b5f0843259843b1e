from odoo.tools import mute_logger


def fail_as_concurrent_update(cr, reason):
    """Fail the transaction as a concurrent update does (SQLSTATE 40001),
    which Odoo's request and cron handling retry on a fresh snapshot. An
    expected, retried failure: not an error for the log."""
    with mute_logger("odoo.sql_db"):
        cr.execute(
            "DO $$BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure', "
            "MESSAGE = %s; END$$",
            [reason],
        )
