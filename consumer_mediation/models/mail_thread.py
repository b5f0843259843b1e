from odoo import api, models
from odoo.exceptions import AccessError


class MailThread(models.AbstractModel):
    """The mail gateway's entry points belong to the system (the incoming
    mail server's scheduled action, the mailgate script run as an
    administrator): any employee calling them over JSON-RPC would inject
    e-mails, opening cases or writing into a party's thread in anybody's
    name."""

    _inherit = "mail.thread"

    @api.model
    def _mediation_check_gateway(self):
        if not (self.env.su or self.env.user._is_system()):
            raise AccessError(
                self.env._("Incoming e-mails are processed by the mail gateway only.")
            )

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        self._mediation_check_gateway()
        return super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        self._mediation_check_gateway()
        return super().message_route(
            message,
            message_dict,
            model=model,
            thread_id=thread_id,
            custom_values=custom_values,
        )

    def _message_route_process(self, message, message_dict, routes):
        # "From:" is typed by the sender: a new request from an account's
        # address waits for the confirmation its mailbox gives, as the online
        # form's, instead of opening a case in that account's portal.
        routes = [
            route
            for route in routes or ()
            if not (
                route[0] == "mediation.case"
                and not route[1]
                and self.env["mediation.case"]._mediation_mail_request(message_dict)
            )
        ]
        return super()._message_route_process(message, message_dict, routes)
