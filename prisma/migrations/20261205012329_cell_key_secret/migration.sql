-- CreateTable
CREATE TABLE "CellKeySecret" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "secret" TEXT NOT NULL,

    CONSTRAINT "CellKeySecret_pkey" PRIMARY KEY ("id")
);

-- One secret per store, from PostgreSQL's strong random source (gen_random_uuid: 122 random bits each).
INSERT INTO "CellKeySecret" ("id", "secret")
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
