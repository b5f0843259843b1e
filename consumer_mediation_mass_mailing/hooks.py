def post_init_hook(env):
    """Fill the members' list from the contracts already signed, in the
    background and in batches, as the daily scheduled action does."""
    env.ref("consumer_mediation_mass_mailing.ir_cron_mediation_mailing_sync")._trigger()
