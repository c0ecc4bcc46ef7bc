"""The settings of what the models admit beyond their own few years, in one frozen object.

Each is a prior: how much a quantity can move from one year to the next before the district's own years say
otherwise, with a weight in years. Three or four years of one district are too few to show the next policy
change, a year of a common push or slump, or a different year-end; the data's own variation is pooled with these
priors (a scaled inverse chi-square posterior), so a district whose years did move gets wider ranges than the
prior alone, and a calm one never gets ranges that rule such a year out. Why each one is needed is said in the
module that uses it (``rates``, ``cohort``, ``year_shock``, ``share_risk``); the values were chosen on free and
stress worlds of tuning seeds only (bench/worlds.md, revisions 5 and 6, which list what was tried).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Priors:
    #: year-to-year sd of a renewal or pass rate on the logit scale (0.5 ≈ 11 points of a rate near 0.65), and
    #: its weight in years (``rates.fit_yearly_rate``)
    rate_sd: float = 0.5
    rate_df: float = 4.0
    #: how much of a year's renewal-rate effect carries into the next (AR(1) on the logit scale; 0 = each year
    #: its own draw, 1 = a random walk whose variance adds up per year of horizon): a stricter review or a
    #: province's quota usually holds for more than one batch, so two years ahead both batches tend to move
    #: the same way (``rates.YearlyRate.draw``)
    rate_persist: float = 1.0
    #: year-to-year sd (logit) of the recognition pass rate (recognitions / applications in the task returns)
    #: and its weight in years (``cohort.Pipeline``); apart from the renewals' because once the year's
    #: applications are known the pass rate is the only thing left unknown, so its prior alone sets the width
    #: of the September range
    pass_sd: float = 0.4
    pass_df: float = 4.0
    #: year-to-year coefficient of variation of the register's other recognitions (first-time, returning), and
    #: its weight in years (``cohort.forecast_valid_firms``)
    volume_cv: float = 0.25
    volume_df: float = 4.0
    #: how much of a year's volume effect carries into the next (AR(1) on the log scale; 0 = each year around
    #: the three-year mean, 1 = a random walk): a subsidy or a campaign that lifts recognitions one year mostly
    #: lifts the next, so the spread two years ahead exceeds one year's (``cohort.forecast_valid_firms``)
    volume_persist: float = 1.0
    #: sd (log) of the district-wide yearly shock shared by all task flows, and its weight in years
    #: (``year_shock.fit_year_shock``)
    shock_sd: float = 0.2
    shock_df: float = 4.0
    #: sd (log) of a district-wide error in the timing of a year's work that the first halves of all flows share
    #: (a year whose work all comes late): the floor of what the pooled first halves can say about the year's
    #: shock, however many flows report (``year_shock.this_year``); 0.2 chosen over 0.05 and 0.1 on free and stress
    #: worlds of tuning seeds (bench/worlds.md, revision 6: the three differ by less than the worlds' noise; 0.2
    #: costs the cumulative targets of stress worlds least)
    shock_timing_sd: float = 0.2
    #: sd of log(full-year share / YTD share) when the whole year is still to come (scaled by the part of the
    #: year still to come), and its weight in years (``share_risk.ratio_spread``)
    season_sd: float = 0.03
    season_df: float = 3.0
    #: sd (log) of the district's yearly growth of a stock that every town shares (a good or bad year for all the
    #: towns at once: a subsidy, a campaign, the economy), and its weight in years (``town_stocks.pooled_growth``).
    #: Why a prior: three or four years of the towns' mean growth say little about a year unlike them.
    town_year_sd: float = 0.03
    town_year_df: float = 4.0
    #: sd (log) of a town's own yearly growth noise around the district's year and its own lead, and its weight in
    #: town-years (``town_stocks.pooled_growth``): the pooled scatter of a dozen towns' few years is itself noisy.
    town_noise_sd: float = 0.05
    town_noise_df: float = 4.0
    #: sd (log) of a stock's yearly growth about its usual growth (a loan balance, the firms owning IP), and its
    #: weight in years (``stock.forecast_stock``): a stock's three calm years do not rule out a year of a policy
    #: push or a slump.
    stock_sd: float = 0.06
    stock_df: float = 3.0
    #: the chance that a step of a coverage rate (a half year, a year) ends at exactly 100 % from below, and that
    #: a rate at 100 % keeps it, before the series' own steps say otherwise, with their weight in steps
    #: (``coverage.full_chances``). Why: full coverage needs every last firm; a district that never reached it
    #: rarely does so in one step, and one that did can lose it as new firms join the pool.
    full_reach: float = 0.05
    full_keep: float = 0.6
    full_weight: float = 2.0
    #: sd (points) of the district share's year-to-year change and its weight in years: the changes of the
    #: break-free full years (three or four) pooled with it, the t's degrees of freedom the pooled ones
    #: (``shares.simulate_years``). It was the changes' own sd floored at 1.5 with a t of n - 1 (at least two)
    #: degrees of freedom: three changes made a t of two degrees, whose tails put a share two years ahead
    #: further out than the years ever went (80 % ranges covering 92-97 % on tuning seeds, revision 5)
    change_sd: float = 1.5
    change_df: float = 3.0
    #: breaks the district's data are credited with before any is found (the pseudo-count in the rate of an
    #: unseen break, ``share_risk.with_district_break_risk``: (found + this) / months of data)
    break_prior: float = 0.5


#: the settings in force (the tuning harness replaces this object, never its fields one by one)
PRIORS = Priors()

#: the revision of the target models (bench/worlds.md numbers them; 5 and 6: these priors, issue 22). bench/worlds.py
#: records it in its results (``model_revision``), and a briefing quoting results of another revision says that
#: they were measured on earlier models, so a model change can never borrow an older model's accuracy unseen.
MODEL_REVISION = 6

__all__ = ["MODEL_REVISION", "PRIORS", "Priors"]
