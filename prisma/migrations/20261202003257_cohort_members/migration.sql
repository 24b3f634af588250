-- AlterTable
ALTER TABLE "FactsSnapshot" ADD COLUMN     "members" BYTEA;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "ordinal" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Person_ordinal_key" ON "Person"("ordinal");
