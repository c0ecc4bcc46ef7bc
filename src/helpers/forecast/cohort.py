"""Valid high-tech firms at a deadline: a cohort stock-flow model of the certificate register.

Why not a trend line: the year-end stock is the certificates issued in the last three years (domain.md §5),
so what decides the 2024 count is (a) how many firms of the expiring cohort (issued three years earlier) are
re-recognised, and (b) how many other firms are recognised in the year's batches. Both are forecast from
the register itself, with their uncertainty, and simulated:

* renewals of the expiring firms ~ Binomial(expiring, p), p a rate that moves from year to year
  (``rates.fit_yearly_rate``: a binomial GLM of the last three expired cohorts with a year-level effect on the
  logit scale, its variance from the cohorts' extra-binomial scatter pooled with a prior), one draw per year;
* other recognitions (first-time, returning after a lapse, early re-recognition) ~ gamma-Poisson with the
  mean of the last three complete years and their year-to-year spread pooled with a prior (``volume_cv2``),
  split over towns by their shares;
* the part of a year's batches still to come after the cut-off is the share of past years' certificates
  announced later in the year than the cut-off day (batches come in Q4, so usually all of them);
* revocations thin the stock at the rate seen in the last three years;
* once the task returns show the year's applications (申报; applications close in the first half, so the 30 June
  return, known by the September meeting, has them), the year's recognitions are applications × pass rate instead,
  the pass rate a yearly rate of the same kind fitted to earlier years' recognitions (认定) / applications in
  the returns, less those already announced; they are split over renewals and towns as above (``Pipeline``).

Everything is counted in firms (a firm holding two overlapping certificates is one firm, in its latest
certificate's cohort and town), and only certificates known at the cut-off are used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

import helpers.forecast.priors as priors
from helpers.forecast.attainment import NO_QUOTA, Attainment
from helpers.forecast.rates import YearlyRate, fit_yearly_rate
from helpers.forecast.scoring import Context, join, make, ratio_since_base, words, year_ends
from helpers.register import expiry, latest_valid, valid_firms
from helpers.targets import Target
from helpers.towns import DISTRICT
from helpers.vintage import certificates_known, tasks_known

LOOKBACK = 3
#: the task-return series of the recognition pipeline (district rows; spellings in data/raw/plan/vocabulary.yaml)
APPLICATIONS = "hitech_applications"
RECOGNITIONS = "hitech_recognitions"


@dataclass(frozen=True)
class Pipeline:
    """What the task returns known at the cut-off say about the year's recognitions."""

    year: int
    applications: int  # the year's applications (latest return of the year)
    applied: tuple[int, ...]  # applications of each earlier year used for the pass rate
    recognised: tuple[int, ...]  # their recognitions
    #: earlier years' applications in the return of the same month as the latest one, as a share of their
    #: year's final count (empty: none known; the latest return is then taken as the year's whole)
    early_shares: tuple[float, ...] = ()

    def final_applications(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """The year's applications on n paths: the latest return's count, or - where earlier years' returns of
        the same month showed only part of their year's applications (late filings, a second round) - that
        count over a draw of the part shown (log-normal: the earlier years' mean log share, their spread plus
        the error of the mean), never below the count already returned."""
        share = np.array([v for v in self.early_shares if 0 < v <= 1], dtype=float)
        if share.size == 0 or np.all(share >= 1):
            return np.full(n, self.applications, dtype=int)
        logs = np.log(share)
        sd = float(logs.std(ddof=1)) * np.sqrt(1 + 1 / logs.size) if logs.size > 1 else 0.1
        part = np.minimum(np.exp(rng.normal(logs.mean(), sd, size=n)), 1.0)
        return np.rint(self.applications / part).astype(int)

    @cached_property
    def rate(self) -> YearlyRate:
        """The pass rate as a yearly rate (``rates.fit_yearly_rate`` of the earlier years' batches)."""
        return fit_yearly_rate(np.array(self.recognised), np.array(self.applied), priors.PRIORS.pass_sd,
                               priors.PRIORS.pass_df)

    @property
    def pass_rate(self) -> float:
        return self.rate.mean


def known_pipeline(tasks: pd.DataFrame | None, cut_off: dt.date | pd.Timestamp, year: int) -> Pipeline | None:
    """The year's applications and the last ``LOOKBACK`` complete years' applications and recognitions, from the
    district task returns released by the cut-off (``helpers.vintage.tasks_known``); ``None`` when the year's
    applications are not yet known or no earlier year has both."""
    if tasks is None or tasks.empty:
        return None
    t = tasks_known(tasks, cut_off)
    t = t.loc[(t["town"] == DISTRICT) & t["task_id"].isin([APPLICATIONS, RECOGNITIONS])]
    if t.empty:
        return None
    t = t.assign(end=pd.to_datetime(t["period_end"]))
    now = t.loc[(t["task_id"] == APPLICATIONS) & (t["end"].dt.year == year)].sort_values("end")
    full = t.loc[(t["end"].dt.month == 12) & (t["end"].dt.year < year)]
    wide = full.pivot_table(index=full["end"].dt.year, columns="task_id", values="value", aggfunc="last").dropna()
    if now.empty or wide.empty or not {APPLICATIONS, RECOGNITIONS} <= set(wide.columns):
        return None
    wide = wide.tail(LOOKBACK)
    applied = tuple(int(v) for v in wide[APPLICATIONS])
    recognised = tuple(min(int(r), a) for r, a in zip(wide[RECOGNITIONS], applied, strict=True))
    # how much of a year's applications earlier years' returns of the same month showed
    month = int(now["end"].iloc[-1].month)
    apps = t.loc[t["task_id"] == APPLICATIONS]
    early = apps.loc[(apps["end"].dt.month == month) & (apps["end"].dt.year < year)]
    early = early.groupby(early["end"].dt.year)["value"].last()
    finals = wide[APPLICATIONS]
    shares = tuple(float(early[y] / finals[y]) for y in finals.index if y in early.index and finals[y] > 0)
    return Pipeline(year=year, applications=int(now["value"].iloc[-1]), applied=applied, recognised=recognised,
                    early_shares=shares)


@dataclass
class CohortForecast:
    """Simulated valid-firm stocks at each year end up to the deadline (district and towns) and the inputs."""

    towns: list[str]
    years: list[int]
    sims: np.ndarray  # n_sims × years × towns: simulated stock at each year end
    history: pd.DataFrame  # year, issued, renewed, expiring, other, stock_end (complete years)
    renewal_rate: float
    #: the renewal rate's yearly model (pooled logit, its error, the year variance)
    renewal: YearlyRate
    other_mean: float
    remaining_share: float
    safe_at_deadline: int  # firms already certain to be valid at the deadline (before revocations)
    usual_recognitions: float
    latest_stock: int
    cut_off: pd.Timestamp
    forecast_table: pd.DataFrame  # year, expiring, renewed, other, issued (median simulated)
    #: the year's applications and the pass rate used, when the returns known at the cut-off show them
    pipeline: Pipeline | None = None

    def district(self) -> np.ndarray:
        """n_sims × years district stock."""
        return self.sims.sum(axis=2)


def yearly_history(certs: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Per complete year: firms expiring (latest certificate from three years earlier), renewed, other, stock."""
    c = certs.sort_values("issue_date")
    c = c.assign(issue_year=c["issue_date"].dt.year)
    rows = []
    first = int(c["issue_year"].min()) if not c.empty else last_year
    for y in range(first + 3, last_year + 1):
        start = pd.Timestamp(y - 1, 12, 31)
        prior = latest_valid(c, start)
        expiring = prior.loc[prior["issue_date"].dt.year == y - 3, "firm_id"]
        issued = c.loc[c["issue_year"] == y, "firm_id"].unique()
        renewed = int(expiring.isin(issued).sum())
        rows.append({
            "year": y, "expiring": int(expiring.size), "renewed": renewed, "issued": int(len(issued)),
            "other": int(len(issued)) - renewed, "stock_end": valid_firms(c, pd.Timestamp(y, 12, 31)),
            "revoked": int((c["revoked"].dt.year == y).sum()),
        })
    return pd.DataFrame(rows, columns=["year", "expiring", "renewed", "issued", "other", "stock_end", "revoked"])


def volume_cv2(counts: np.ndarray) -> tuple[float, float]:
    """The squared coefficients of variation of the other recognitions (first-time, returning) around the mean
    of ``counts``: (a year's own, the mean's). A year's: the years' extra-Poisson spread pooled with a prior
    (``priors.PRIORS.volume_cv``, ``volume_df`` years; three years of counts rarely show the year a subsidy or the
    review changed the volume). The mean's: its relative error (Poisson and extra-Poisson over the years) - one
    error for every year of a path, since all of them start from the same estimated mean."""
    k = int(counts.size)
    mu = float(counts.mean()) if k else 0.0
    if mu <= 0:
        return priors.PRIORS.volume_cv ** 2, 0.0
    own = max((float(counts.var(ddof=1)) - mu) / mu ** 2, 0.0) if k > 1 else 0.0
    df = priors.PRIORS.volume_df + max(k - 1, 0)
    cv2 = (priors.PRIORS.volume_df * priors.PRIORS.volume_cv ** 2 + max(k - 1, 0) * own) / df
    return cv2, (1 / mu + cv2) / max(k, 1)


def volume_paths(counts: np.ndarray, horizon: int, rng: np.random.Generator, n_sims: int) -> np.ndarray:
    """n_sims × horizon expected other recognitions of the years ahead from the last complete years' ``counts``
    (oldest first): their mean × one error of the mean per path (gamma, mean one) × a year effect per year
    (log-normal, mean one), carried into the next year by ``priors.PRIORS.volume_persist`` (AR(1)) from the last
    year's own effect (its log distance from the mean, shrunk by its Poisson noise), so that with persistence a
    volume that moved last year leans the next years its way and the spread grows with the horizon."""
    mu = float(counts.mean()) if counts.size else 0.0
    if mu <= 0:
        return np.zeros((n_sims, horizon))
    year2, mean2 = volume_cv2(counts)
    m = rng.gamma(1 / mean2, mean2, size=(n_sims, 1)) if mean2 > 0 else np.ones((n_sims, 1))
    s2 = float(np.log1p(year2))
    rho = priors.PRIORS.volume_persist
    last = float(counts[-1])
    z_last = np.log((last + 0.5) / mu) * s2 / (s2 + 1 / (last + 0.5))
    z, var = np.zeros((n_sims, horizon)), np.zeros(horizon)
    e = rng.normal(0.0, np.sqrt(s2), size=(n_sims, horizon))
    for j in range(horizon):
        z[:, j] = e[:, j] + rho * (z[:, j - 1] if j else z_last)
        var[j] = s2 + (rho ** 2 * var[j - 1] if j else 0.0)
    return mu * m * np.exp(z - var / 2)


def _remaining_share(certs: pd.DataFrame, cut: pd.Timestamp) -> float:
    """Share of a year's certificates announced after the cut-off's day of the year (past years)."""
    seen = pd.to_datetime(certs["announced"]) if "announced" in certs else certs["issue_date"]
    past = seen[seen.dt.year < cut.year]
    if past.empty:
        return 1.0
    later = (past.dt.month > cut.month) | ((past.dt.month == cut.month) & (past.dt.day > cut.day))
    return float(later.mean())


def forecast_valid_firms(
    certs: pd.DataFrame, cut_off: dt.date, deadline: dt.date, towns: list[str], rng: np.random.Generator,
    n_sims: int = 2000, tasks: pd.DataFrame | None = None,
) -> CohortForecast:
    cut = pd.Timestamp(cut_off)
    c = certificates_known(certs, cut)
    pipe = known_pipeline(tasks, cut, cut.year)
    last_complete = cut.year - 1 if (cut.month, cut.day) != (12, 31) else cut.year
    hist = yearly_history(c, last_complete)
    recent = hist.tail(LOOKBACK)
    other = recent["other"].to_numpy(dtype=float)
    mu = float(other.mean()) if other.size else 0.0
    stock_years = recent["stock_end"].replace(0, np.nan)
    revoke_rate = float(recent["revoked"].sum() / stock_years.sum()) if stock_years.notna().any() else 0.0
    f_now = _remaining_share(c, cut)

    now = latest_valid(c, cut).copy()
    now["cohort"] = now["issue_date"].dt.year
    town_idx = {t: i for i, t in enumerate(towns)}
    now = now.loc[now["town"].isin(town_idx)]
    years = list(range(min(cut.year, deadline.year), deadline.year + 1))
    n_towns = len(towns)
    # cohort counts per town: dict year → array (n_sims × towns)
    cohort: dict[int, np.ndarray] = {}
    for y, g in now.groupby("cohort"):
        counts = np.zeros(n_towns)
        for t, k in g.groupby("town").size().items():
            counts[town_idx[t]] = k
        cohort[int(y)] = np.broadcast_to(counts, (n_sims, n_towns)).astype(float)
    # split of other recognitions across towns: last three years' shares (+0.5 smoothing)
    c_recent = c.loc[c["issue_date"].dt.year.isin(recent["year"])]
    shares = np.full(n_towns, 0.5)
    for t, k in c_recent.drop_duplicates("firm_id").groupby("town").size().items():
        if t in town_idx:
            shares[town_idx[t]] += k
    shares = shares / shares.sum()
    renewal = fit_yearly_rate(recent["renewed"].to_numpy(float), recent["expiring"].to_numpy(float))
    p_years = renewal.draw(rng, n_sims, len(years))  # one renewal rate per path and year
    volume = volume_paths(other, len(years), rng, n_sims)  # expected other recognitions per path and year
    sims = np.zeros((n_sims, len(years), n_towns))
    fc_rows = []
    for i, y in enumerate(years):
        if y < cut.year:  # the deadline has passed: the stock at the deadline is a count, not a forecast
            end = latest_valid(c, pd.Timestamp(y, 12, 31))
            counts = end.groupby("town").size().reindex(towns, fill_value=0).to_numpy(float)
            sims[:, i, :] = counts
            fc_rows.append({"year": y, "expiring": np.nan, "renewed": np.nan, "other": np.nan, "issued": np.nan})
            continue
        f = f_now if y == cut.year else 1.0
        pool = cohort.get(y - 3, np.zeros((n_sims, n_towns)))
        # those of the expiring cohort still valid at the cut-off get their chance in the remaining batches
        p = p_years[:, i]
        p_rem = p * f / np.maximum(1 - p * (1 - f), 1e-9)
        pool_int = np.rint(pool).astype(int)
        ren = rng.binomial(pool_int, p_rem[:, None])
        lam = volume[:, i] * f
        n_other = rng.poisson(lam)
        oth = np.vstack([rng.multinomial(k, shares) for k in n_other]) if n_towns else np.zeros((n_sims, 0))
        if pipe is not None and y == cut.year:
            ren, oth = _recognitions_from_applications(pipe, c, cut, pool_int, p_rem, lam, shares, rng)
        new = ren + oth
        cohort[y] = cohort.get(y, np.zeros((n_sims, n_towns))) + new
        cohort[y - 3] = pool - ren  # the rest of the expiring cohort lapses during year y
        stock = sum(cohort.get(k, 0) for k in (y - 2, y - 1, y))
        keep = 1 - revoke_rate * (y - cut.year + (12 - cut.month) / 12)
        sims[:, i, :] = rng.binomial(np.rint(stock).astype(int), min(max(keep, 0.0), 1.0))
        fc_rows.append({"year": y, "expiring": float(np.median(pool.sum(1))), "renewed": float(np.median(ren.sum(1))),
                        "other": float(np.median(oth.sum(1))), "issued": float(np.median(new.sum(1)))})
    safe = int(now.loc[now["cohort"] >= deadline.year - 2].shape[0])
    usual = float(recent["issued"].mean()) if not recent.empty else 0.0
    return CohortForecast(
        towns=towns, years=years, sims=sims, history=hist, renewal_rate=renewal.mean, renewal=renewal,
        other_mean=mu, remaining_share=f_now, safe_at_deadline=safe, usual_recognitions=usual,
        latest_stock=valid_firms(c, cut), cut_off=cut, forecast_table=pd.DataFrame(fc_rows), pipeline=pipe,
    )


def _recognitions_from_applications(pipe: Pipeline, c: pd.DataFrame, cut: pd.Timestamp, pool: np.ndarray,
                                    p_rem: np.ndarray, lam: np.ndarray, shares: np.ndarray,
                                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The cut-off year's recognitions still to come (renewals, others; n_sims × towns) from its applications:
    year total ~ Binomial(applications, rate), the applications the year's final count (``Pipeline.final_applications``), the rate this year's draw of the pass rate's yearly model
    (``Pipeline.rate``), less the firms already certified this year; split over the expiring cohort's renewals and the other recognitions in
    the proportions the cohort model expects."""
    rate = pipe.rate.draw(rng, len(p_rem))[:, 0]
    total = rng.binomial(pipe.final_applications(rng, len(p_rem)), rate)
    done = int(c.loc[c["issue_date"].dt.year == cut.year, "firm_id"].nunique())
    left = np.maximum(total - done, 0)
    weights = np.hstack([pool * p_rem[:, None], lam[:, None] * shares[None, :]])
    n_towns = pool.shape[1]
    ren, oth = np.zeros_like(pool), np.zeros((len(left), n_towns), dtype=int)
    for i, k in enumerate(left):
        w = weights[i]
        if k == 0 or w.sum() <= 0:
            continue
        split = rng.multinomial(k, w / w.sum())
        r = np.minimum(split[:n_towns], pool[i])
        ren[i], oth[i] = r, split[n_towns:] + (split[:n_towns] - r)
    return ren, oth


def linear_trend_forecast(year_end_stock: pd.Series, deadline_year: int) -> float:
    """The plain trend the cohort model must beat: OLS line through the year-end stocks, read at the deadline."""
    s = year_end_stock.dropna()
    if len(s) < 2:
        return float(s.iloc[-1]) if len(s) else float("nan")
    slope, intercept = np.polyfit(s.index.to_numpy(float), s.to_numpy(float), 1)
    return float(intercept + slope * deadline_year)


def score(t: Target, ctx: Context) -> Attainment:
    """``register_valid_stock``: the valid-firm stock at the deadline, district and by town."""
    towns = ctx.towns
    cf = forecast_valid_firms(ctx.data.certificates, ctx.meeting.cut_off, ctx.deadline, towns, ctx.rng, ctx.n_sims,
                              tasks=ctx.data.tasks)
    d = cf.district()
    hist = year_ends(cf.history["year"], cf.history["stock_end"])
    end_t = cf.sims[:, -1, :]
    by_town = pd.DataFrame({
        "town": towns,
        "forecast": np.median(end_t, axis=0), "lo80": np.quantile(end_t, 0.1, axis=0),
        "hi80": np.quantile(end_t, 0.9, axis=0),
    })
    known = certificates_known(ctx.data.certificates, ctx.cut)
    by_town["latest_value"] = valid_firms(known, ctx.meeting.cut_off, by_town=True).reindex(towns).to_numpy()
    by_town["target"] = np.nan
    by_town["status"] = NO_QUOTA  # a plan sets no town quota for valid firms; the towns' counts are known
    needed = max(int(np.ceil((t.value or 0) - cf.safe_at_deadline)), 0)
    cut_year = ctx.meeting.cut_off.year
    years = f"{cut_year}" if ctx.deadline.year == cut_year else f"{cut_year}-{ctx.deadline.year}"
    takes = words("forecast.cohort.takes", years=years, needed=needed, usual=f"{cf.usual_recognitions:.0f}",
                  renewal=f"{cf.renewal_rate:.0%}")
    method = words("forecast.cohort.method", renewal=f"{cf.renewal_rate:.0%}", other=f"{cf.other_mean:.0f}",
                   n=ctx.n_sims)
    method = join([method, words("forecast.cohort.yearly_rates")], "join.sentences")
    if cf.pipeline is not None:
        method = join([method, words("pipeline.method", year=cf.pipeline.year, applications=cf.pipeline.applications,
                                     rate=f"{cf.pipeline.pass_rate:.0%}")], "join.sentences")
    table = pd.concat([cf.history.assign(kind="actual"), cf.forecast_table.assign(kind="forecast")], ignore_index=True)
    latest, latest_date = ((float(d[0, -1]), ctx.deadline) if ctx.passed
                           else (float(cf.latest_stock), ctx.meeting.cut_off))
    return make(t, ctx, d, cf.years, latest, latest_date, hist, final_known=ctx.passed, method=method, takes=takes,
                by_town=by_town, details={"cohorts": table},
                growth=ratio_since_base(ctx, t, hist, float(cf.latest_stock), ctx.meeting.cut_off))


__all__ = ["CohortForecast", "Pipeline", "known_pipeline", "expiry", "forecast_valid_firms", "linear_trend_forecast", "score", "yearly_history"]
