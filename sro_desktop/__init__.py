"""SRO Desktop: the administration of a small CME professionals' organization on one laptop."""

__version__ = "0.1.0"
