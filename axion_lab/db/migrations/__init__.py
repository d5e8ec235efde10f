"""Alembic migrations of the Axion Lab schema (run through :mod:`axion_lab.db.migrate`)."""
