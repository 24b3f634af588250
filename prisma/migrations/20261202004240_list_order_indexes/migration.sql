-- DropIndex
DROP INDEX "ApprenticeshipStart_startedOn_idx";

-- DropIndex
DROP INDEX "EyfsResult_periodCode_idx";

-- DropIndex
DROP INDEX "YouthJusticeDisposal_disposedOn_idx";

-- CreateIndex
CREATE INDEX "ApprenticeshipStart_startedOn_personId_idx" ON "ApprenticeshipStart"("startedOn", "personId");

-- CreateIndex
CREATE INDEX "EyfsResult_periodCode_personId_idx" ON "EyfsResult"("periodCode", "personId");

-- CreateIndex
CREATE INDEX "YouthJusticeDisposal_disposedOn_id_idx" ON "YouthJusticeDisposal"("disposedOn", "id");
