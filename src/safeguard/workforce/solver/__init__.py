"""Allocation of nominals to offender managers: pure Python, no Django.

The Django layer builds an :class:`AllocationProblem` from the database and
calls :func:`solve`; :func:`greedy` is the fast fallback and
:func:`least_loaded_trained` the hand rule the benchmark compares against.
:func:`check` lists every hard-rule violation of an allocation and
:func:`diagnose` says whether any allocation exists and which rule binds.
"""

from .feasibility import Feasibility, check, diagnose
from .greedy import greedy, least_loaded_trained
from .highs import solve
from .model import (
    DEFAULTS,
    Allocation,
    AllocationProblem,
    Infeasible,
    Nominal,
    Officer,
    Weights,
    prepare,
    score,
)

__all__ = [
    "DEFAULTS",
    "Allocation",
    "AllocationProblem",
    "Feasibility",
    "Infeasible",
    "Nominal",
    "Officer",
    "Weights",
    "check",
    "diagnose",
    "greedy",
    "least_loaded_trained",
    "prepare",
    "score",
    "solve",
]
