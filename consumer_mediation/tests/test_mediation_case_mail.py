from odoo.tests import tagged

from .common import MediationCaseCommon

REQUEST = """Return-Path: <lea.petit@example.com>
From: Léa Petit <lea.petit@example.com>
To: mediation@{domain}
Subject: My kitchen was never installed
Message-ID: <request-1@example.com>
Date: Thu, 26 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

I paid 4,000 EUR to Cuisines Martin and nothing was installed.
"""

REPLY = """Return-Path: <lea.petit@example.com>
From: Léa Petit <lea.petit@example.com>
To: mediation@{domain}
Subject: Re: My kitchen was never installed
Message-ID: <request-2@example.com>
In-Reply-To: <request-1@example.com>
References: <request-1@example.com>
Date: Thu, 26 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Here is my complaint letter of October.
"""


@tagged("post_install", "-at_install")
class TestMediationCaseMail(MediationCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "mediateur.example.com"}
        )
        cls.alias = cls.env.ref("consumer_mediation.mail_alias_mediation_case")
        cls.alias.alias_domain_id = cls.alias_domain

    def test_alias_creates_case_and_threads_replies(self):
        Case = self.env["mediation.case"]
        before = Case.search([])
        Case.message_process(
            False, REQUEST.format(domain=self.alias_domain.name).encode()
        )
        case = Case.search([]) - before
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.state, "received")
        self.assertRegex(case.name, r"^MED/\d{4}/\d{5}$")
        self.assertEqual(case.consumer_id.email, "lea.petit@example.com")
        self.assertIn("nothing was installed", case.description)
        self.assertEqual(case.message_ids.author_id, case.consumer_id)
        Case.message_process(
            False, REPLY.format(domain=self.alias_domain.name).encode()
        )
        self.assertEqual(Case.search([]) - before, case)
        self.assertIn(
            "complaint letter of October", "".join(case.message_ids.mapped("body"))
        )
