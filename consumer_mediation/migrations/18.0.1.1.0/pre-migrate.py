def migrate(cr, version):
    """The parties' record rule changed (the professional's side starts when
    it is involved): let the update rewrite it although it is noupdate."""
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'consumer_mediation' AND name = 'rule_mediation_case_portal'
        """
    )
