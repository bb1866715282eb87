"""The shell: CLI, settings, the Prefect flow, DuckDB and Great Expectations."""
