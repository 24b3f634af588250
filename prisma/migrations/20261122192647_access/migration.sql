-- CreateEnum
CREATE TYPE "AccessRole" AS ENUM ('DIRECTORATE_ANALYST', 'SERVICE_ANALYST', 'PARTNER', 'PUBLIC');

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "AccessRole" NOT NULL,
    "services" TEXT[],
    "operations" TEXT[],
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "keyId" TEXT,
    "subject" TEXT NOT NULL,
    "role" "AccessRole" NOT NULL,
    "operationName" TEXT,
    "documentHash" TEXT NOT NULL,
    "variables" JSONB NOT NULL,
    "records" JSONB NOT NULL,
    "recordCount" INTEGER NOT NULL,
    "services" TEXT[],

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApiKey_revokedAt_idx" ON "ApiKey"("revokedAt");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_keyId_at_idx" ON "AuditLog"("keyId", "at");
