-- CreateEnum
CREATE TYPE "ParticipationStatus" AS ENUM ('EET', 'NEET', 'NOT_KNOWN');

-- CreateEnum
CREATE TYPE "ApprenticeshipLevel" AS ENUM ('LEVEL_2', 'LEVEL_3', 'LEVEL_4_PLUS');

-- CreateTable
CREATE TABLE "ParticipationRecord" (
    "personId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "status" "ParticipationStatus" NOT NULL,
    "activity" TEXT,

    CONSTRAINT "ParticipationRecord_pkey" PRIMARY KEY ("personId","month")
);

-- CreateTable
CREATE TABLE "ApprenticeshipStart" (
    "personId" TEXT NOT NULL,
    "startedOn" DATE NOT NULL,
    "level" "ApprenticeshipLevel" NOT NULL,

    CONSTRAINT "ApprenticeshipStart_pkey" PRIMARY KEY ("personId","startedOn")
);

-- CreateIndex
CREATE INDEX "ParticipationRecord_month_idx" ON "ParticipationRecord"("month");

-- CreateIndex
CREATE INDEX "ApprenticeshipStart_startedOn_idx" ON "ApprenticeshipStart"("startedOn");

-- AddForeignKey
ALTER TABLE "ParticipationRecord" ADD CONSTRAINT "ParticipationRecord_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprenticeshipStart" ADD CONSTRAINT "ApprenticeshipStart_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
