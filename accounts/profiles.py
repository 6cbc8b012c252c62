"""The lite programme profile for very small firms: which red-flag questions its transaction
review asks, and why each one stays.

The lite review keeps every question that PRC law itself makes a trigger (the statutory red
flags of the reference framework) and the screening resemblance question, which the workbench
answers from the screening already run. It leaves out the indicators taken from foreign or
guidance lists (BIS, EU, UK, customs guidance): useful, but not triggers under PRC law, and a
small firm's reviewer answers them case by case when something looks unusual. It also leaves
out RF-CN-11 (50 % ownership), whose general applicability the reference library marks as
uncertain. The full profile asks every question.
"""

from django.utils.translation import gettext_lazy as _

from .models import ProgrammeProfile

# The reference framework's red-flag ids the lite review asks, each with the reason it stays.
LITE_RED_FLAGS = {
    "RF-CN-01": _(
        "Control list of importers and end users: a listed party is prohibited or restricted "
        "(ECL Art. 18)."
    ),
    "RF-CN-02": _(
        "Watch list: no general licence, a single licence with commitments (REGS Art. 26)."
    ),
    "RF-CN-03": _(
        "Unreliable Entity List: import and export may be banned (UEL Provisions Art. 10)."
    ),
    "RF-CN-04": _("A changed end user or end use is a statutory trigger (REGS Art. 25(1))."),
    "RF-CN-05": _(
        "A forged or invalid end-use certificate is a statutory trigger (REGS Art. 25(2))."
    ),
    "RF-CN-06": _("A certificate obtained improperly is a statutory trigger (REGS Art. 25(3))."),
    "RF-CN-07": _("Catch-all: an unlisted item may need a licence (ECL Art. 12(3))."),
    "RF-CN-08": _(
        "Splitting or modifying an item to avoid licensing is prohibited (REGS Art. 39(4))."
    ),
    "RF-CN-09": _("A foreign government's verification request must be reported (REGS Art. 38)."),
    "RF-CN-10": _("Military end use under a specific MOFCOM ban (e.g. 2024 No. 46)."),
    "RF-BIS-01": _("Answered from the screening already run: no extra work for the reviewer."),
}


def is_lite(organisation) -> bool:
    return getattr(organisation, "programme_profile", "") == ProgrammeProfile.LITE


def red_flags_for(organisation, red_flags: list) -> list:
    """The red flags the organisation's review asks: all of them, or the lite subset."""
    if not is_lite(organisation):
        return red_flags
    return [flag for flag in red_flags if flag.ref_id in LITE_RED_FLAGS]
