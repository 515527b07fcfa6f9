"""Alembic environment: uses the engine handed over by `archive_service.adapters.db`."""

from alembic import context
from sqlalchemy import create_engine

from archive_service.adapters.orm import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` command line: URL from -x url=...
    engine = create_engine(context.get_x_argument(as_dictionary=True)["url"])

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
