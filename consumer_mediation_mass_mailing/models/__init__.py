from . import contract_contract
from . import mailing_list
from . import mediation_convention_member
from . import res_partner
