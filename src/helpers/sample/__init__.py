"""A seeded generator of synthetic raw returns, in the forms the bureau really receives.

``write_sample(out_dir, seed)`` writes, all marked synthetic (``SAMPLE_`` file names, a ``SYNTHETIC`` marker,
a README, and a line in every title block):

- ``SAMPLE_高企证书登记.xlsx`` - the certificate register, cohorts 2016-2024 (see ``sample.register``);
- ``SAMPLE_规上工业统计_2019_旧系统导出.csv`` - 2019 statistics as a GBK CSV export of an older system;
- ``SAMPLE_规上工业统计_<year>.xlsx`` (2020-2025) - one sheet per period, YTD cumulative (``sample.industry``);
- ``SAMPLE_规上工业统计_2024-06_修订.xlsx`` - a later release revising January-June 2024;
- ``SAMPLE_区镇任务进度_<year>H<n>.xlsx`` (2020 H1 - 2024 H2) - task returns (``sample.tasks``; the recognition
  pipeline rows from ``sample.pipeline``, the later plan items' rows from ``sample.tracked``);
- ``SAMPLE_高企申报名单_<year>.xlsx`` (2020-2024) - the firms that applied for recognition (``sample.tracked``).

Calibration sources are the real published figures in ``data/raw/public/public_figures.csv`` (a copy of
``../shared/data/public_figures.csv``): Haimen's 47 % high-tech output share estimated for 2022 and 38.5 %
reported for 2024; 152 applications and 99 recognitions in 2024; about 395 valid high-tech enterprises in 2025;
about 1,280 亿元 above-scale taxable sales in 2022. The sample follows that story; its figures are not those.
Same seed → byte-identical files.

This face only re-exports: ``writer`` writes the files; ``register``, ``industry``, ``tasks``, ``pipeline`` and
``tracked`` simulate the story; ``world`` draws a free world (its record: ``world_record``); ``stress``,
``stress_industry`` and ``stress_tasks`` a stress world; ``workbook`` writes a formatted sheet.
"""

from helpers.sample.writer import (
    MARKER,
    PREFIX,
    REGION,
    SAMPLE_NOTE,
    WORLD_FILE,
    WORLDS,
    calibration,
    check_region,
    write_sample,
)

__all__ = ["MARKER", "PREFIX", "REGION", "SAMPLE_NOTE", "WORLDS", "WORLD_FILE", "calibration", "check_region",
           "write_sample"]
