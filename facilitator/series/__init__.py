"""A series of meetings hosted in turn by partner organisations, as the seeds' programmes are."""
