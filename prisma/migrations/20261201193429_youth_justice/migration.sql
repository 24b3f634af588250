-- CreateEnum
CREATE TYPE "YouthJusticeTier" AS ENUM ('PRE_COURT', 'FIRST_TIER', 'COMMUNITY', 'CUSTODY');

-- CreateEnum
CREATE TYPE "YouthJusticeDisposalType" AS ENUM ('COMMUNITY_RESOLUTION', 'YOUTH_CAUTION', 'YOUTH_CONDITIONAL_CAUTION', 'REFERRAL_ORDER', 'REPARATION_ORDER', 'YOUTH_REHABILITATION_ORDER', 'DETENTION_AND_TRAINING_ORDER', 'OTHER_CUSTODY', 'OTHER_COURT');

-- CreateTable
CREATE TABLE "YouthJusticeDisposal" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "offenceOn" DATE NOT NULL,
    "disposedOn" DATE NOT NULL,
    "tier" "YouthJusticeTier" NOT NULL,
    "disposalType" "YouthJusticeDisposalType" NOT NULL,

    CONSTRAINT "YouthJusticeDisposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "YouthJusticeDisposal_personId_disposedOn_idx" ON "YouthJusticeDisposal"("personId", "disposedOn");

-- CreateIndex
CREATE INDEX "YouthJusticeDisposal_disposedOn_idx" ON "YouthJusticeDisposal"("disposedOn");

-- AddForeignKey
ALTER TABLE "YouthJusticeDisposal" ADD CONSTRAINT "YouthJusticeDisposal_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
