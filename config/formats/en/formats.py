"""English date formats: as a compliance record reads them, unambiguous, sortable and 24-hour.

Django's defaults ("Nov. 28, 2026, 6:04 p.m.") end a sentence with "p.m.." and read differently
from the dates printed in the PDFs (2026-11-28 18:04).
"""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
