"""Forecasts of target attainment. ``attain_all`` gives one ``Attainment`` per target of the plan."""
