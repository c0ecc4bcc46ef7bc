"""The settings of the annual ensemble (``annual``, ``annual_calibration``), in one frozen object.

Why one object. Every value here was chosen on tuning data only (bench/annual/protocol.md; the values stand as
frozen at revision 4, and revisions 5-7 tried changes that were not adopted). The tuning harness
(``bench/annual/tune.py``) scores variants by passing ``dataclasses.replace(ANNUAL, …)`` to the functions as
``settings=``; nothing changes module globals, so a variant can never leak into another run or a test.
What each setting does is said here; why its value was chosen is said in the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnnualSettings:
    #: the ensemble's members (names in ``annual_members.FUNCTIONS``)
    members: tuple[str, ...] = ("theta", "theta3", "damped", "drift", "robust_drift", "ses")
    #: horizon over which the members are validated, whatever ``h`` is asked for: a forecast for a given year
    #: does not depend on how many later years were requested
    validation_h: int = 6
    #: tail shape of the error distribution: Student t degrees of freedom
    df: int = 4
    #: width multiplier applied to the honest rolling-origin error scale
    width: float = 0.95
    #: how many rolling origins (at most) inside the history are used for weights and error scales
    max_origins: int = 12
    #: how many of the latest origins choose the weights (the error scale uses all ``max_origins``): which member
    #: suits a series now is told by its recent years; how wide its errors run needs every error there is
    weight_origins: int = 3
    #: power of the inverse-error weights (1 = inverse error; 2 favours the validated best more strongly)
    weight_power: float = 2.0
    #: horizon growth of the error scale: sd_h = s1 · h**error_growth
    error_growth: float = 0.8
    #: floor of s1 as a share of the mean absolute yearly change: a lucky calm stretch does not give a zero range
    scale_floor: float = 0.25
    #: floor of the scale at horizon h as a share of h mean absolute yearly changes (0 = none): a range never
    #: narrower than this share of where a series moving at its usual yearly pace would be by then (revision 3)
    horizon_floor: float = 0.75
    #: the horizon floor applies only when the honest one-step scale s1 is below this share of sd(yearly changes)
    #: (0 = always applies, as in revision 3): only implausibly small in-sample errors are overruled (revision 4)
    floor_when_below: float = 1.0


#: the settings in force (frozen at revision 4 of bench/annual/protocol.md)
ANNUAL = AnnualSettings()

__all__ = ["ANNUAL", "AnnualSettings"]
