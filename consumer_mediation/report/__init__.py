from . import mediation_activity_report_xlsx
from . import mediation_activity_report_pdf
from . import mediation_case_export_xlsx
from . import mediation_membership_report_xlsx
