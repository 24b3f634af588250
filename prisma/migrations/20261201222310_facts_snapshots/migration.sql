-- CreateTable
CREATE TABLE "TableVersion" (
    "table" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "TableVersion_pkey" PRIMARY KEY ("table")
);

-- CreateTable
CREATE TABLE "FactsSnapshot" (
    "indicatorCode" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "versions" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,

    CONSTRAINT "FactsSnapshot_pkey" PRIMARY KEY ("indicatorCode","periodCode")
);

-- Table versions: a statement-level trigger on every table raises its counter in "TableVersion", in the
-- writing transaction, whoever writes (imports, seeds, plugins, psql). Materialised facts are used only
-- while the counters of the tables they read are those they were computed at.
CREATE OR REPLACE FUNCTION cype_bump_table_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TableVersion" ("table", "version") VALUES (TG_TABLE_NAME, 1)
  ON CONFLICT ("table") DO UPDATE SET "version" = "TableVersion"."version" + 1;
  RETURN NULL;
END $$;

-- Installs the trigger on every table of the schema that has none (bookkeeping tables excepted). Every
-- migration that creates a table ends with `SELECT cype_version_tables();` (a test checks every table).
CREATE OR REPLACE FUNCTION cype_version_tables() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t record;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p')
      AND c.relname NOT IN ('TableVersion', 'FactsSnapshot', '_prisma_migrations', 'AuditLog', 'ApiKey', 'Import')
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'cype_table_version')
  LOOP
    EXECUTE format(
      'CREATE TRIGGER cype_table_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION cype_bump_table_version()', t.relname);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;

SELECT cype_version_tables();
