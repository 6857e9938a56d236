"""Use cases for referrals between forums: one function each, one transaction each, through the gate.

Making a referral (a draft): ``create_mappa_referral``, ``create_marac_referral``
(from a DASH or by hand), ``nominate_for_matac`` (from the RFG ranking),
``refer_to_matac`` (a partner referral), ``select_for_iom``.

Moving it: ``submit_referral`` (a MARAC referral is checked for a repeat),
``start_screening``, ``accept_referral`` (the forum's case is opened or reused;
MAPPA sets the nominal's level; the reciprocal links follow), ``decline_referral``,
``withdraw_referral``, ``list_referral`` (called by the meetings' agenda),
``delist_referral``, ``deselect_from_iom``.

Links: ``link_nominal`` (a nominal's MAPPA case with its victims' MARAC cases),
``link_marac_case`` (a MARAC case with its perpetrators' MAPPA cases).
"""

from .cases import open_forum_case
from .drafts import (
    MaracDetails,
    create_mappa_referral,
    create_marac_referral,
    criteria_by_hand,
    criteria_from_dash,
    nominate_for_matac,
    refer_to_matac,
    select_for_iom,
)
from .links import link_marac_case, link_nominal, links_of
from .moves import (
    accept_referral,
    decline_referral,
    delist_referral,
    deselect_from_iom,
    list_referral,
    start_screening,
    submit_referral,
    withdraw_referral,
)
from .repeat import find_repeat, last_referral_date

__all__ = [
    "MaracDetails",
    "accept_referral",
    "create_mappa_referral",
    "create_marac_referral",
    "criteria_by_hand",
    "criteria_from_dash",
    "decline_referral",
    "delist_referral",
    "deselect_from_iom",
    "find_repeat",
    "last_referral_date",
    "link_marac_case",
    "link_nominal",
    "links_of",
    "list_referral",
    "nominate_for_matac",
    "open_forum_case",
    "refer_to_matac",
    "select_for_iom",
    "start_screening",
    "submit_referral",
    "withdraw_referral",
]
