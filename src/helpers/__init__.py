"""gaoqi-briefings: track Haimen District's high-tech enterprise targets and brief its leading group.

Rooms, in the order data flows through them (each imports only from rooms above it):
``paths``/``towns``/``labels``/``targets``/``calendar`` (reference), ``ingest``/``validate``/``clean``
(raw returns → tidy tables), ``processed``/``vintage``/``register`` (tidy tables → what was known at a cut-off),
``forecast`` (→ one ``Attainment`` per target), ``charts``/``briefing`` (→ figures and tables),
``render`` (papermill + nbconvert → published HTML), ``cli`` (the ``gaoqi`` command).
"""

from helpers.version import __version__

__all__ = ["__version__"]
