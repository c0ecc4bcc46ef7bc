"""Rates that move from year to year: a binomial GLM with a year-level random effect on the logit scale.

Why: the register's renewal rate (of each expiring cohort) and the recognition pass rate (recognitions over
applications in the task returns) are not one fixed number. The review's strictness, the province's quota and the
firms' own readiness change from batch to batch: provincial announcements show pass rates moving by ten points
or more between consecutive years (e.g. policy tightening after the 2016 revision of the recognition rules, and
again with the 2021-2022 "quality over quantity" reviews). Drawing next year's rate from one pooled Beta of the
last years' counts treats that variation as if it were sampling noise of a few hundred firms, so the valid-firm
count's ranges were too narrow (bench/worlds.md, revision 5).

The model: logit p_year = mu + u_year, u_year ~ N(0, sigma^2). ``mu`` and its standard error come from a
statsmodels binomial GLM (intercept only) of the yearly batches; the error of ``mu`` adds the year effects'
share that k batches leave in their mean (sigma^2 / k). sigma^2 is the
method-of-moments year variance implied by that dispersion (phi = 1 + (n - 1) rho, rho = sigma^2 p (1 - p) on
the logit scale), pooled with a prior (``priors.PRIORS.rate_df`` years of prior evidence at ``rate_sd``) in a scaled
inverse chi-square: three batches alone say little about how much a rate can move, and a district that has seen
three calm years has not seen the next policy change. Each simulated path draws mu, sigma^2 and one u per year.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy.special import expit
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

import helpers.forecast.priors as priors


@dataclass(frozen=True)
class YearlyRate:
    """A rate's pooled logit ``mu`` with its standard error, the year variance's posterior (scaled inverse
    chi-square: ``df`` degrees of freedom, scale ``s2``) and the Pearson dispersion of the batches."""

    mu: float
    se: float
    s2: float
    df: float
    dispersion: float
    batches: int
    #: the last batch's own year effect (logit, shrunk toward the pooled rate by its binomial noise): what a
    #: persisting regime carries into the next year (``draw``)
    last_effect: float = 0.0

    @property
    def mean(self) -> float:
        """The pooled rate (the GLM's fitted probability)."""
        return float(expit(self.mu))

    def draw(self, rng: np.random.Generator, n: int, years: int = 1, persist: float | None = None) -> np.ndarray:
        """n × years rates: one mu and one sigma^2 per path (their uncertainty is shared by its years), one
        year effect per year, carried into the next year by ``persist`` (AR(1); ``priors.PRIORS.rate_persist``)
        starting from the last batch's effect, so that with persistence a regime seen in the last batch leans the
        next years its way and the year effect's variance adds up over the years of the horizon."""
        rho = priors.PRIORS.rate_persist if persist is None else persist
        mu = rng.normal(self.mu, self.se, size=(n, 1))
        sigma2 = self.df * self.s2 / rng.chisquare(self.df, size=(n, 1))
        e = rng.normal(0.0, 1.0, size=(n, years)) * np.sqrt(sigma2)
        u = np.zeros((n, years))
        for j in range(years):
            u[:, j] = e[:, j] + rho * (u[:, j - 1] if j else self.last_effect)
        return expit(mu + u)


def fit_yearly_rate(successes: np.ndarray, trials: np.ndarray, prior_sd: float | None = None,
                    prior_df: float | None = None) -> YearlyRate:
    """The yearly rate from batches (``successes`` of ``trials`` each year, oldest first). Batches without trials
    are left out; with none at all the rate is the prior's (mu 0, i.e. one half, with a wide error)."""
    prior_sd = priors.PRIORS.rate_sd if prior_sd is None else prior_sd
    prior_df = priors.PRIORS.rate_df if prior_df is None else prior_df
    s = np.asarray(successes, dtype=float)
    t = np.asarray(trials, dtype=float)
    keep = t > 0
    s, t = np.minimum(s[keep], t[keep]), t[keep]
    k = int(s.size)
    if k == 0:
        return YearlyRate(mu=0.0, se=2.0, s2=prior_sd ** 2, df=prior_df, dispersion=1.0, batches=0)
    df = prior_df + (k - 1)
    if k == 1:  # one batch: its own rate, the year variance all prior
        p = float((s[0] + 0.5) / (t[0] + 1))
        s2 = prior_sd ** 2
        se = float(np.sqrt(1 / ((t[0] + 1) * p * (1 - p)) + s2))
        return YearlyRate(mu=float(np.log(p / (1 - p))), se=se, s2=s2, df=float(df), dispersion=1.0, batches=1)
    # a half success and failure keep the logit finite when every batch passed or failed entirely
    endog = np.column_stack([s + 0.5, t - s + 0.5])
    with warnings.catch_warnings():  # batches a constant rate fits exactly are not a separation problem
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        res = sm.GLM(endog, np.ones((k, 1)), family=sm.families.Binomial()).fit()
    mu = float(res.params[0])
    p = float(expit(mu))
    phi = float(res.pearson_chi2 / res.df_resid)  # Pearson dispersion
    n_bar = float((t + 1).mean())
    # phi = 1 + (n - 1) rho; on the logit scale the year variance is rho / (p (1 - p))
    year_var = max(phi - 1.0, 0.0) / max(n_bar - 1.0, 1.0) / max(p * (1 - p), 1e-6)
    s2 = (prior_df * prior_sd ** 2 + (k - 1) * year_var) / df
    # the error of mu: the GLM's binomial one, plus the year effects' share that k batches leave in their mean
    se = float(np.sqrt(float(res.bse[0]) ** 2 + s2 / k))
    # the last batch's effect: its logit's distance from mu, shrunk by its binomial variance (the BLUP)
    p_last = float((s[-1] + 0.5) / (t[-1] + 1))
    v_last = 1 / ((t[-1] + 1) * p_last * (1 - p_last))
    last = (np.log(p_last / (1 - p_last)) - mu) * s2 / (s2 + v_last)
    return YearlyRate(mu=mu, se=se, s2=float(s2), df=float(df), dispersion=phi, batches=k, last_effect=float(last))


__all__ = ["YearlyRate", "fit_yearly_rate"]
