"""Importers for the peers' own datasets (UCDP GED, ACLED), through the seed write path."""
