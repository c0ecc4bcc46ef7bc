"""The region the shipped synthetic sample is written for, and so the region its replay was measured on.

Why a room of its own, low in the graph: the sample generator writes returns of this region only
(``helpers.sample.check_region``), and the briefing quotes the replay of the shipped story only on synthetic data
of this region (``helpers.briefing.bench.replay_applies``). The briefing must not import the generator for it (the
generator's package pulls in the test worlds), so the fact lives here and both ask it.
"""

from __future__ import annotations

#: the region file's ``id`` of the shipped sample (``data/raw/plan/`` region file of the Haimen plan)
SAMPLE_REGION = "haimen"
