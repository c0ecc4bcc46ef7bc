"""Monthly above-scale industrial statistics of a stress world (``sample.stress``), year-to-date by town.

Why a simulation of its own: the story's and free worlds' statistics give every town a fixed multiple of the
district's high-tech share and one seasonal profile, which is what the share models assume. Here each town's
high-tech and other output grow separately (a town's share follows its own course); the seasonal profile is built
from the calendar (Chinese New Year's date, quarter-end and December pushes) and moves from year to year; the
district follows the national nominal growth and profit cycle (sources in ``stress.SOURCES``); and the families of
the world add level shifts, a plant opening or closing, heavy-tailed noise and January roster changes. The output
has the form of ``industry.simulate`` (``industry.Figure``, YTD cumulative in 万元, 1-2月 together), so the same
writers put it into the same workbooks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from helpers.sample.industry import INDICATORS, TOWN_OUTPUT_P, Figure, reported_months
from helpers.sample.stress import INDUSTRY_YEARS, StressWorld, stream

#: Chinese New Year (春节) of each year
NEW_YEAR = {2019: dt.date(2019, 2, 5), 2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12),
            2022: dt.date(2022, 2, 1), 2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10),
            2025: dt.date(2025, 1, 29)}
#: the holiday's slowdown: from a week before to three weeks after New Year's day (back to work after 元宵)
HOLIDAY_BEFORE, HOLIDAY_AFTER = 7, 21
#: output per working month without the holiday (January … December), before the pushes
MONTH_INTENSITY = np.array([0.083, 0.083, 0.085, 0.082, 0.084, 0.086, 0.081, 0.081, 0.085, 0.083, 0.086, 0.088])
#: nominal output growth ≈ real industrial value added + PPI (NBS), by year; 2025 assumed
NOMINAL_GROWTH = {2020: 0.010, 2021: 0.177, 2022: 0.077, 2023: 0.016, 2024: 0.036, 2025: 0.040}
#: profit growth over output growth (NBS profits 2020 +4.1 %, 2021 +34.3 %, 2022 −4.0 %, 2023 −2.3 %, 2024 −3.3 %)
MARGIN_CYCLE = {2019: 1.0, 2020: 1.03, 2021: 1.14, 2022: 0.89, 2023: 0.96, 2024: 0.93, 2025: 1.0}
BASE_OUTPUT_2019 = 11_000_000.0  # 万元: about 1,100 亿元, as the story (1,280 亿元 taxable sales in 2022)
BASE_MARGIN = 0.062
LAST = (2025, 2)


class _Noise:
    """Log noise: normal, or Student-t scaled to the same sd (heavy-tails family), clipped at ±1 in log."""

    def __init__(self, rng: np.random.Generator, heavy: bool) -> None:
        self.rng = rng
        self.df = float(rng.uniform(2.5, 5.0)) if heavy else None

    def __call__(self, sd: float, size: int | tuple[int, ...] | None = None) -> np.ndarray:
        if self.df is None:
            z = self.rng.standard_normal(size)
        else:
            z = self.rng.standard_t(self.df, size) / np.sqrt(self.df / (self.df - 2))
        return np.clip(sd * z, -1.0, 1.0)


def holiday_loss_by_month(year: int, new_year: dt.date, loss: float) -> np.ndarray:
    """Fraction of each month's output lost to the New Year slowdown (days of the window in the month × loss)."""
    out = np.zeros(12)
    for k in range(-HOLIDAY_BEFORE, HOLIDAY_AFTER + 1):
        day = new_year + dt.timedelta(days=k)
        if day.year == year:
            days_in = ((dt.date(year + (day.month == 12), day.month % 12 + 1, 1) - dt.timedelta(days=1)).day)
            out[day.month - 1] += loss / days_in
    return out


def seasonal_profile(rng: np.random.Generator, year: int, moving: bool) -> tuple[np.ndarray, dict]:
    """The year's monthly weights of output (sum 1) and what made them.

    Moving (seasonal family): the New Year's real date and a loss of 35-65 % of output in its window; a December
    push of 0-15 %; quarter-end pushes of 0-6 %; each month ×e^N(0, 0.03). Fixed otherwise: New Year on 1 February,
    a 50 % loss, December +6 %, quarter ends +2 %."""
    if moving:
        new_year, loss = NEW_YEAR[year], float(rng.uniform(0.35, 0.65))
        dec, quarter = float(rng.uniform(0.0, 0.15)), rng.uniform(0.0, 0.06, size=3)
        wobble = np.exp(rng.normal(0, 0.03, size=12))
    else:
        new_year, loss, dec, quarter, wobble = dt.date(year, 2, 1), 0.5, 0.06, np.full(3, 0.02), np.ones(12)
    w = MONTH_INTENSITY * (1 - holiday_loss_by_month(year, new_year, loss)) * wobble
    w[[2, 5, 8]] *= 1 + quarter
    w[11] *= 1 + dec
    return w / w.sum(), {"new_year": new_year.isoformat(), "loss": loss, "december_push": dec}


def _disruption(rng: np.random.Generator) -> dict[tuple[int, int], float]:
    """2020's first quarter and spring 2022 (NBS figures in ``stress.SOURCES``), sizes drawn."""
    jf = float(rng.uniform(0.65, 0.8))
    return {(2020, 1): jf, (2020, 2): jf, (2020, 3): float(rng.uniform(0.88, 0.97)),
            (2022, 4): float(rng.uniform(0.85, 0.97)), (2022, 5): float(rng.uniform(0.9, 0.99))}


def _yearly_levels(rng: np.random.Generator, world: StressWorld, noise: _Noise) -> dict:
    """Each town's yearly high-tech and other output (万元 a year) and high-tech margin premium, before breaks."""
    towns = list(TOWN_OUTPUT_P)
    p = np.array([TOWN_OUTPUT_P[t] for t in towns]) * np.exp(rng.normal(0, 0.15, len(towns)))
    p /= p.sum()
    total = BASE_OUTPUT_2019 * rng.uniform(0.9, 1.1)
    s0 = rng.uniform(0.39, 0.51)
    rel = np.exp(rng.normal(0, 0.35, len(towns)))
    share = np.clip(s0 * rel / np.dot(p, rel), 0.06, 0.85)
    rho = rng.uniform(1.1, 1.6)  # high-tech firms' margin over the others'
    rho_t = rho * np.exp(rng.normal(0, 0.2, len(towns)))
    hi, other, prem = {}, {}, {}
    h, o = total * p * share, total * p * (1 - share)
    dev_h, dev_o, dev_r = np.zeros(len(towns)), np.zeros(len(towns)), np.zeros(len(towns))
    size_sd = np.clip(0.05 * np.sqrt(0.1 / p), 0.03, 0.12)  # small towns move more
    for year in INDUSTRY_YEARS:
        if year > INDUSTRY_YEARS[0]:
            g = NOMINAL_GROWTH[year] + rng.normal(0, 0.04)
            premium = rng.normal(0.015, 0.03)  # high-tech output outgrowing the rest (assumption)
            dev_h = 0.5 * dev_h + noise(1.0, len(towns)) * size_sd
            dev_o = 0.5 * dev_o + noise(1.0, len(towns)) * size_sd
            h = h * np.exp(g + premium + dev_h)
            o = o * np.exp(g + dev_o)
            if world.has("roster"):  # January: firms entering and leaving the above-scale roster
                h = h * np.exp(noise(1.0, len(towns)) * size_sd)
                o = o * np.exp(noise(1.0, len(towns)) * size_sd)
        dev_r = 0.6 * dev_r + rng.normal(0, 0.08, len(towns))
        margin = BASE_MARGIN * MARGIN_CYCLE[year] * float(np.exp(rng.normal(0, 0.08)))
        for i, t in enumerate(towns):
            hi[(t, year)], other[(t, year)] = float(h[i]), float(o[i])
            prem[(t, year)] = (margin, float(rho_t[i] * np.exp(dev_r[i] + rng.normal(0, 0.05))))
    return {"hi": hi, "other": other, "margin": prem}


def _shift_factor(world: StressWorld, town: str, year: int, month: int) -> float:
    f = 1.0
    for b in world.shifts:
        started = (year, month) >= (b.year, b.month)
        if b.town == town and started:
            f *= 1 + b.size
    return f


def _plant_month(world: StressWorld, town: str, year: int, month: int, usual: float) -> float:
    """The plant's signed change to its town's monthly output: + while an opened plant runs (ramping up),
    − once a closed plant has stopped (ramping down)."""
    pl = world.plant
    if pl is None or pl["town"] != town:
        return 0.0
    k = (year - pl["year"]) * 12 + month - pl["month"]
    if k < 0:
        return 0.0
    done = min(1.0, (k + 1) / pl["ramp_months"])
    return (1 if pl["opening"] else -1) * pl["size"] * usual * done


def simulate(world: StressWorld) -> list[Figure]:
    """YTD cumulative figures for every town, indicator and reported month (exact, before rounding)."""
    rng = stream(world.seed, 1)
    noise = _Noise(rng, world.has("heavy_tails"))
    levels = _yearly_levels(rng, world, noise)
    dips = _disruption(rng)
    towns = list(TOWN_OUTPUT_P)
    figures: list[Figure] = []
    seasons = {}
    plant_usual = None
    if world.plant is not None:  # the plant's size is set against its town's output in the year it moves
        pt, py = world.plant["town"], world.plant["year"]
        plant_usual = (levels["hi"][(pt, py)] + levels["other"][(pt, py)]) / 12
    for year in INDUSTRY_YEARS:
        season, why = seasonal_profile(rng, year, world.has("seasonal"))
        seasons[year] = why
        profit_dec = float(rng.uniform(1.3, 2.0)) if world.has("seasonal") else 1.6  # year-end settlement
        profit_w = season.copy()
        profit_w[11] *= profit_dec
        profit_w *= season.sum() / profit_w.sum()
        common = rng.normal(0, 0.015, 12)
        for town in towns:
            size_sd = float(np.clip(0.03 * np.sqrt(0.1 / TOWN_OUTPUT_P[town]), 0.02, 0.08))
            h_year, o_year = levels["hi"][(town, year)], levels["other"][(town, year)]
            margin, rho = levels["margin"][(town, year)]
            flows = {ind: np.zeros(12) for ind in INDICATORS}
            for m in range(12):
                dip = dips.get((year, m + 1), 1.0)
                h = h_year * season[m] * dip * np.exp(common[m] + noise(size_sd))
                o = o_year * season[m] * dip * np.exp(common[m] + noise(size_sd))
                h *= _shift_factor(world, town, year, m + 1)
                plant = 0.0
                if plant_usual is not None:
                    plant = _plant_month(world, town, year, m + 1, plant_usual)
                    base = h if world.plant["hightech"] else o
                    plant = max(plant, -0.8 * base)  # a closed plant cannot take more than the part it was
                    if world.plant["hightech"]:
                        h += plant
                    else:
                        o += plant
                p_o = o * margin * profit_w[m] / season[m] * np.exp(noise(0.10))
                p_h = h * margin * rho * profit_w[m] / season[m] * np.exp(noise(0.10))
                if plant:
                    extra = plant * (world.plant["margin"] - margin)  # the plant's own margin, not the town's
                    p_o, p_h = (p_o, max(p_h + extra, 0.05 * p_h)) if world.plant["hightech"] else \
                        (max(p_o + extra, 0.05 * p_o), p_h)
                flows["total_output"][m] = h + o
                flows["hightech_output"][m] = h
                flows["total_profit"][m] = p_o + p_h
                flows["hightech_profit"][m] = p_h
            for ind, f in flows.items():
                ytd = np.cumsum(f)
                for month in reported_months(year):
                    figures.append(Figure(town, ind, year, month, float(ytd[month - 1])))
    world.notes["seasons"] = seasons
    world.notes["heavy_tail_df"] = noise.df
    return figures
