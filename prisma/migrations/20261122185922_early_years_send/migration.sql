-- CreateEnum
CREATE TYPE "EarlyYearsSettingType" AS ENUM ('CHILDMINDER', 'NON_DOMESTIC', 'DOMESTIC', 'NURSERY_SCHOOL');

-- CreateEnum
CREATE TYPE "OfstedGrade" AS ENUM ('OUTSTANDING', 'GOOD', 'REQUIRES_IMPROVEMENT', 'INADEQUATE');

-- CreateEnum
CREATE TYPE "SenPrimaryNeed" AS ENUM ('ASD', 'SLCN', 'SEMH', 'MLD', 'SLD', 'PMLD', 'SPLD', 'HI', 'VI', 'MSI', 'PD', 'OTH');

-- CreateEnum
CREATE TYPE "EhcAssessmentOutcome" AS ENUM ('ISSUED', 'NOT_ISSUED', 'IN_PROGRESS', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "SpecialistProvisionType" AS ENUM ('SPECIAL_SCHOOL', 'SRP', 'SATELLITE');

-- CreateTable
CREATE TABLE "EyfsResult" (
    "personId" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "gld" BOOLEAN NOT NULL,
    "totalPoints" INTEGER,

    CONSTRAINT "EyfsResult_pkey" PRIMARY KEY ("personId","periodCode")
);

-- CreateTable
CREATE TABLE "EarlyYearsSetting" (
    "urn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "EarlyYearsSettingType" NOT NULL,
    "districtCode" TEXT NOT NULL,
    "registeredOn" DATE,
    "closedOn" DATE,

    CONSTRAINT "EarlyYearsSetting_pkey" PRIMARY KEY ("urn")
);

-- CreateTable
CREATE TABLE "EarlyYearsInspection" (
    "urn" TEXT NOT NULL,
    "inspectedOn" DATE NOT NULL,
    "grade" "OfstedGrade" NOT NULL,

    CONSTRAINT "EarlyYearsInspection_pkey" PRIMARY KEY ("urn","inspectedOn")
);

-- CreateTable
CREATE TABLE "TwoYearOldFunding" (
    "personId" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "eligible" BOOLEAN NOT NULL,
    "tookUp" BOOLEAN NOT NULL,

    CONSTRAINT "TwoYearOldFunding_pkey" PRIMARY KEY ("personId","periodCode")
);

-- CreateTable
CREATE TABLE "ChildrensCentreRegistration" (
    "personId" TEXT NOT NULL,
    "centreId" TEXT NOT NULL,
    "registeredOn" DATE NOT NULL,

    CONSTRAINT "ChildrensCentreRegistration_pkey" PRIMARY KEY ("personId","centreId")
);

-- CreateTable
CREATE TABLE "EhcAssessment" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "requestedOn" DATE NOT NULL,
    "decidedOn" DATE,
    "issuedOn" DATE,
    "outcome" "EhcAssessmentOutcome" NOT NULL,
    "primaryNeed" "SenPrimaryNeed",
    "exception" BOOLEAN NOT NULL,

    CONSTRAINT "EhcAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EhcPlan" (
    "personId" TEXT NOT NULL,
    "startedOn" DATE NOT NULL,
    "endedOn" DATE,
    "primaryNeed" "SenPrimaryNeed" NOT NULL,

    CONSTRAINT "EhcPlan_pkey" PRIMARY KEY ("personId","startedOn")
);

-- CreateTable
CREATE TABLE "SpecialistProvision" (
    "providerId" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "needType" "SenPrimaryNeed" NOT NULL,
    "providerName" TEXT NOT NULL,
    "type" "SpecialistProvisionType" NOT NULL,
    "districtCode" TEXT NOT NULL,
    "places" INTEGER NOT NULL,

    CONSTRAINT "SpecialistProvision_pkey" PRIMARY KEY ("providerId","periodCode","needType")
);

-- CreateIndex
CREATE INDEX "EyfsResult_periodCode_idx" ON "EyfsResult"("periodCode");

-- CreateIndex
CREATE INDEX "EarlyYearsSetting_districtCode_idx" ON "EarlyYearsSetting"("districtCode");

-- CreateIndex
CREATE INDEX "TwoYearOldFunding_periodCode_idx" ON "TwoYearOldFunding"("periodCode");

-- CreateIndex
CREATE INDEX "ChildrensCentreRegistration_registeredOn_idx" ON "ChildrensCentreRegistration"("registeredOn");

-- CreateIndex
CREATE INDEX "EhcAssessment_personId_idx" ON "EhcAssessment"("personId");

-- CreateIndex
CREATE INDEX "EhcAssessment_issuedOn_idx" ON "EhcAssessment"("issuedOn");

-- CreateIndex
CREATE INDEX "EhcAssessment_requestedOn_idx" ON "EhcAssessment"("requestedOn");

-- CreateIndex
CREATE INDEX "EhcPlan_startedOn_idx" ON "EhcPlan"("startedOn");

-- CreateIndex
CREATE INDEX "SpecialistProvision_periodCode_districtCode_idx" ON "SpecialistProvision"("periodCode", "districtCode");

-- AddForeignKey
ALTER TABLE "EyfsResult" ADD CONSTRAINT "EyfsResult_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarlyYearsSetting" ADD CONSTRAINT "EarlyYearsSetting_districtCode_fkey" FOREIGN KEY ("districtCode") REFERENCES "Area"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarlyYearsInspection" ADD CONSTRAINT "EarlyYearsInspection_urn_fkey" FOREIGN KEY ("urn") REFERENCES "EarlyYearsSetting"("urn") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TwoYearOldFunding" ADD CONSTRAINT "TwoYearOldFunding_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChildrensCentreRegistration" ADD CONSTRAINT "ChildrensCentreRegistration_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EhcAssessment" ADD CONSTRAINT "EhcAssessment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EhcPlan" ADD CONSTRAINT "EhcPlan_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpecialistProvision" ADD CONSTRAINT "SpecialistProvision_districtCode_fkey" FOREIGN KEY ("districtCode") REFERENCES "Area"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
