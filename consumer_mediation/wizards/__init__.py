from . import mediation_case_refuse_wizard
from . import mediation_case_interrupt_wizard
from . import mediation_case_extend_wizard
from . import mediation_case_reopen_wizard
from . import mediation_prequalification_wizard
from . import mediation_erasure_wizard
