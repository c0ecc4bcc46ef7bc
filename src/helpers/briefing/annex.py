"""The 附件's own pieces: its opening (what it holds, the sample mark's explanation, when the page was generated)
and the published figures for context, with where the district ranks among its city's districts.

Why apart from ``sections``: these belong to the analysts' part of the page (docs/architecture.md, "Main text and
附件"), and the published figures are real data kept apart from the district's returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from helpers import charts
from helpers.datewords import day_text
from helpers.public import about_regions, ended_by, load_public_figures, region_names, region_of
from helpers.wording import say

from .context import MeetingContext
from .measures import YTD_RATIO, measuring


def annex_intro(c: MeetingContext) -> dict:
    """The 附件's opening: title, what it holds, the sample mark's explanation (sample data only) and when the
    page was generated (the main text carries neither)."""
    lang = c.lang
    generated = dt.datetime.fromisoformat(c.generated_at) if c.generated_at else None
    when = f"{day_text(generated.date(), lang)} {generated:%H:%M}" if generated else "—"
    sample = say("annex.sample", lang, note=say("render.sample_note", lang,
                                                 district=getattr(c.plan.region, f"name_{lang}"))) if c.synthetic else ""
    return {"title": say("annex.title", lang), "intro": say("annex.intro", lang), "sample": sample,
            "generated": say("annex.generated", lang, when=when)}


@dataclass
class PublicContext:
    """Published figures of one year-to-date ratio, for comparison (real data, with sources), and where the district
    ranks among its city's districts that publish it."""

    figure: go.Figure
    sources: list[str]
    ranking: list[str]


def public_ranking(c: MeetingContext, pub: pd.DataFrame, indicator: str) -> list[str]:
    """One sentence per year in which the district and at least one other district of its city published the
    full-year share (the region file's ``public_ranking``), highest first; a sentence saying there is none yet
    when the district published but no peer did for the same year. Figures as published, qualifiers said."""
    rank = c.plan.region.public_ranking
    if rank is None:
        return []
    lang = c.lang
    rows = pub[(pub["indicator"] == indicator) & (pub["period"] == "year")
               & pub["region"].isin([rank.self_name, *rank.peers])]
    own_years = sorted(set(rows.loc[rows["region"] == rank.self_name, "year"]))
    city = region_names(pub[pub["region"] == rank.city], lang).iloc[0] if (pub["region"] == rank.city).any() \
        else rank.city

    def shown(r: dict) -> str:
        return f"{r['value']:g}%" + charts.public_qualifier(r["qualifier"], lang)

    out = []
    for year in own_years:
        same = rows[rows["year"] == year].sort_values("value", ascending=False).to_dict("records")
        if len(same) < 2:
            continue
        own = next(r for r in same if r["region"] == rank.self_name)
        others = [say("public.rank_item", lang, region=region_of(r, lang), value=shown(r))
                  for r in same if r is not own]
        out.append(say("public.rank", lang, year=year, self=region_of(own, lang),
                       value=shown(own), city=city, n=len(same), rank=same.index(own) + 1,
                       others=say("briefing.list_separator", lang).join(others)))
    if own_years and not out:
        out.append(say("public.rank_none", lang, city=city))
    return out


def public_context(c: MeetingContext) -> tuple[str, list[PublicContext]]:
    """For each year-to-date ratio whose share is published (indicator ``<numerator>_share_pct`` in the public
    figures), a chart with the plan's target and the sources: only figures about the regions the plan's region
    file names as its context (``public_context``; none, no chart) and about periods ended by the cut-off."""
    pub = ended_by(about_regions(load_public_figures(), c.plan.region.public_context), c.meeting.cut_off)
    rank = c.plan.region.public_ranking
    single = (rank.self_name, *rank.peers) if rank is not None else ()
    out = []
    for a in measuring(c.attainments, YTD_RATIO):
        t = c.plan.target(a.id)
        indicator = f"{t.numerator}_share_pct"
        if not charts.public_regions(pub, indicator, single):
            continue
        fig, sources = charts.public_share_chart(pub, indicator=indicator, name=a.name(c.lang), lang=c.lang,
                                                 target=(a.target, a.deadline.year), cut_off=c.meeting.cut_off,
                                                 single=single)
        out.append(PublicContext(fig, sources, public_ranking(c, pub, indicator)))
    return say("public.intro", c.lang), out
