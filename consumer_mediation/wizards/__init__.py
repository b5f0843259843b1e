from . import mediation_contract_terminate
from . import mediation_contract_sign_paper
from . import mediation_tariff_version
