from . import adhesion
from . import main
from . import portal
from . import membership_portal
from . import reports
