"""The database: typed models, the SQLite engine with its pragmas, migrations and backups."""
