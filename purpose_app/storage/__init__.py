"""Storage: the SQLite file, its schema and migrations, and the repository that encrypts at the edge."""
