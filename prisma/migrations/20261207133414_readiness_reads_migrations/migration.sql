-- Readiness checks that the database is at the migration this build expects, and the
-- application role is the one it connects as. Read-only: the role still cannot write it.
GRANT SELECT ON "_prisma_migrations" TO wharf_app;
