from . import mediation_contract_terminate
from . import mediation_contract_sign_paper
from . import mediation_tariff_version
from . import mediation_case_refuse_wizard
from . import mediation_case_interrupt_wizard
from . import mediation_case_extend_wizard
from . import mediation_case_reopen_wizard
from . import mediation_prequalification_wizard
