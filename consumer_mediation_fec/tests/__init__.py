from . import test_fec_export
from . import test_accountant_day_ui
