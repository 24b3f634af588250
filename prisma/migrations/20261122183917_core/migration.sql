-- CreateEnum
CREATE TYPE "AreaLevel" AS ENUM ('NATIONAL', 'REGIONAL', 'LOCAL_AUTHORITY', 'DISTRICT');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('FEMALE', 'MALE', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "EthnicityMajor" AS ENUM ('WHITE', 'MIXED', 'ASIAN', 'BLACK', 'CHINESE', 'OTHER', 'UNCLASSIFIED');

-- CreateEnum
CREATE TYPE "SenStatus" AS ENUM ('NONE', 'SEN_SUPPORT', 'EHCP');

-- CreateEnum
CREATE TYPE "Polarity" AS ENUM ('HIGH_IS_GOOD', 'LOW_IS_GOOD', 'NO_JUDGEMENT');

-- CreateEnum
CREATE TYPE "IndicatorUnit" AS ENUM ('PERCENT', 'COUNT', 'RATE_PER_10K', 'RATE_PER_100K', 'SCORE', 'AVERAGE_POINTS');

-- CreateEnum
CREATE TYPE "TargetKind" AS ENUM ('MINIMUM', 'STRETCH', 'TARGET');

-- CreateTable
CREATE TABLE "Area" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "AreaLevel" NOT NULL,
    "parentCode" TEXT,

    CONSTRAINT "Area_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "StatisticalNeighbour" (
    "laCode" TEXT NOT NULL,
    "neighbourCode" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "StatisticalNeighbour_pkey" PRIMARY KEY ("laCode","neighbourCode")
);

-- CreateTable
CREATE TABLE "Period" (
    "code" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,

    CONSTRAINT "Period_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "birthMonth" DATE NOT NULL,
    "sex" "Sex" NOT NULL,
    "ethnicityMajor" "EthnicityMajor" NOT NULL,
    "ethnicityMinor" TEXT,
    "districtCode" TEXT,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonCharacteristic" (
    "personId" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "fsm" BOOLEAN NOT NULL,
    "senStatus" "SenStatus" NOT NULL,
    "inCare" BOOLEAN NOT NULL,
    "eal" BOOLEAN NOT NULL,

    CONSTRAINT "PersonCharacteristic_pkey" PRIMARY KEY ("personId","periodCode")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "unit" "IndicatorUnit" NOT NULL,
    "polarity" "Polarity" NOT NULL,
    "decimalPlaces" INTEGER NOT NULL,
    "periodType" TEXT NOT NULL,
    "amberTolerance" DOUBLE PRECISION,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" SERIAL NOT NULL,
    "indicatorCode" TEXT NOT NULL,
    "areaCode" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "breakdown" TEXT NOT NULL DEFAULT 'TOTAL',
    "numerator" DOUBLE PRECISION,
    "denominator" DOUBLE PRECISION,
    "value" DOUBLE PRECISION,
    "symbol" TEXT,
    "source" TEXT,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Target" (
    "indicatorCode" TEXT NOT NULL,
    "areaCode" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "kind" "TargetKind" NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("indicatorCode","areaCode","periodCode","kind")
);

-- CreateTable
CREATE TABLE "Import" (
    "id" SERIAL NOT NULL,
    "format" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "ranBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "message" TEXT,

    CONSTRAINT "Import_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Area_level_idx" ON "Area"("level");

-- CreateIndex
CREATE INDEX "Area_parentCode_idx" ON "Area"("parentCode");

-- CreateIndex
CREATE UNIQUE INDEX "StatisticalNeighbour_laCode_rank_key" ON "StatisticalNeighbour"("laCode", "rank");

-- CreateIndex
CREATE INDEX "Period_type_startDate_idx" ON "Period"("type", "startDate");

-- CreateIndex
CREATE INDEX "Person_districtCode_idx" ON "Person"("districtCode");

-- CreateIndex
CREATE INDEX "PersonCharacteristic_periodCode_idx" ON "PersonCharacteristic"("periodCode");

-- CreateIndex
CREATE INDEX "Observation_periodCode_indicatorCode_idx" ON "Observation"("periodCode", "indicatorCode");

-- CreateIndex
CREATE UNIQUE INDEX "Observation_indicatorCode_areaCode_periodCode_breakdown_key" ON "Observation"("indicatorCode", "areaCode", "periodCode", "breakdown");

-- AddForeignKey
ALTER TABLE "Area" ADD CONSTRAINT "Area_parentCode_fkey" FOREIGN KEY ("parentCode") REFERENCES "Area"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatisticalNeighbour" ADD CONSTRAINT "StatisticalNeighbour_laCode_fkey" FOREIGN KEY ("laCode") REFERENCES "Area"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatisticalNeighbour" ADD CONSTRAINT "StatisticalNeighbour_neighbourCode_fkey" FOREIGN KEY ("neighbourCode") REFERENCES "Area"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_districtCode_fkey" FOREIGN KEY ("districtCode") REFERENCES "Area"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonCharacteristic" ADD CONSTRAINT "PersonCharacteristic_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonCharacteristic" ADD CONSTRAINT "PersonCharacteristic_periodCode_fkey" FOREIGN KEY ("periodCode") REFERENCES "Period"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_indicatorCode_fkey" FOREIGN KEY ("indicatorCode") REFERENCES "Indicator"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_periodCode_fkey" FOREIGN KEY ("periodCode") REFERENCES "Period"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_indicatorCode_fkey" FOREIGN KEY ("indicatorCode") REFERENCES "Indicator"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_periodCode_fkey" FOREIGN KEY ("periodCode") REFERENCES "Period"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
