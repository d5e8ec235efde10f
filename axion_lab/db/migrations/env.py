"""Alembic environment, configured by :mod:`axion_lab.db.migrate` (no alembic.ini).

``config.attributes`` carries what the caller decided: ``connection`` (online mode,
a connection already in a transaction) or ``url`` (offline mode, SQL printed to the
output buffer and no connection opened). SQLite gets ``render_as_batch`` because it
can only alter most things by copying the table.
"""

from __future__ import annotations

from alembic import context

from axion_lab.db.migrate import include_object_for, target_metadata

config = context.config


def run_offline() -> None:
    url = config.attributes["url"]
    dialect_name = url.get_backend_name()
    context.configure(
        url=url,
        target_metadata=target_metadata(),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=dialect_name == "sqlite",
        include_object=include_object_for(dialect_name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes["connection"]
    dialect_name = connection.dialect.name
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=dialect_name == "sqlite",
        compare_type=True,
        include_object=include_object_for(dialect_name),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
