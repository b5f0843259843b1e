"""The rehearsal's SMTP server (make rehearsal): keeps every message it is
given in a Maildir, never relays. Messages for the alias domain (the
mediator's own addresses: catchall, replies) go to the alias mailbox that the
mail gateway reads; every other message to the outgoing mailbox, where the
rehearsal's visitors read their confirmation e-mail. Loopback only.

usage: rehearsal_smtp.py PORT MAILDIR ALIAS_DOMAIN
"""

import asyncio
import mailbox
import signal
import sys
from pathlib import Path

from aiosmtpd.controller import Controller


class Keeper:
    def __init__(self, root, alias_domain):
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        self.outgoing = mailbox.Maildir(root / "outgoing", create=True)
        self.alias = mailbox.Maildir(root / "alias", create=True)
        self.alias_domain = "@" + alias_domain.lower()

    async def handle_DATA(self, server, session, envelope):
        incoming = [
            rcpt
            for rcpt in envelope.rcpt_tos
            if rcpt.lower().endswith(self.alias_domain)
        ]
        box = (
            self.alias
            if incoming and len(incoming) == len(envelope.rcpt_tos)
            else self.outgoing
        )
        content = envelope.original_content or envelope.content
        message = mailbox.MaildirMessage(content)
        # The envelope, as a delivering server adds it.
        message["X-Rehearsal-Rcpt-To"] = ", ".join(envelope.rcpt_tos)
        box.add(message)
        return "250 Message accepted for delivery"


def main(port, root, alias_domain):
    controller = Controller(
        Keeper(root, alias_domain), hostname="127.0.0.1", port=int(port)
    )
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"SMTP on 127.0.0.1:{port}, Maildir {root}", flush=True)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main(*sys.argv[1:4])
