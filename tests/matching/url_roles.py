from tests.matching import builders
from tests.url_matrix import RoleCase

REVIEWERS = ("coordinator", "supervisor", "marac")
NOT_REVIEWERS = ("om", "chair", "idva", "partner", "analyst", "admin", "away_om", "norole")


def _merge(world):
    from safeguard.demo import factories as f
    from safeguard.matching.models import PersonMerge

    if not hasattr(world, "matching_merge"):
        kept, gone = f.person(world.home["mappa"], "Mo", "Ahmed"), f.person(world.home["mappa"], "Mo", "Ahmad")
        world.matching_merge = PersonMerge.objects.create(
            kept=kept, merged=gone, status="awaiting", reason="Same person", requested_by=world.users.supervisor
        )
    return world.matching_merge


def _pair(world):
    if not hasattr(world, "matching_pair"):
        world.matching_pair = builders.pair(world)
    return world.matching_pair


CASES = [
    # The queue: the area's record keepers only.
    RoleCase("matching:queue", allowed=REVIEWERS, refused=NOT_REVIEWERS),
    # A pair: someone who may see and record on both people (an away reviewer may not: 404).
    RoleCase(
        "matching:pair",
        kwargs=lambda w: {"pk": _pair(w).pk},
        allowed=REVIEWERS,
        refused=NOT_REVIEWERS,
        record=lambda w: ("matching.candidatepair", _pair(w).pk),
    ),
    RoleCase(
        "matching:pair",
        label="decide",
        method="post",
        kwargs=lambda w: {"pk": _pair(w).pk},
        data=lambda w: {"decision": "different", "reason": "Different first names and dates of birth", "version": 1},
        allowed=("coordinator",),
        refused=NOT_REVIEWERS,
        ok_status=(302,),
        record=lambda w: ("matching.candidatepair", _pair(w).pk),
    ),
    RoleCase(
        "matching:merge-pair",
        kwargs=lambda w: {"pk": _pair(w).pk},
        allowed=REVIEWERS,
        refused=NOT_REVIEWERS,
        record=lambda w: ("matching.candidatepair", _pair(w).pk),
    ),
    RoleCase(
        "matching:merge",
        kwargs=lambda w: {"pk": _merge(w).pk},
        allowed=REVIEWERS,
        refused=NOT_REVIEWERS,
        record=lambda w: ("matching.personmerge", _merge(w).pk),
    ),
]
