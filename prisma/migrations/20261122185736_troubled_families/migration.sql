-- CreateEnum
CREATE TYPE "HeadlineCriterion" AS ENUM ('CRIME_ASB', 'EDUCATION', 'CHILDREN_IN_NEED', 'WORKLESSNESS', 'DOMESTIC_ABUSE', 'HEALTH');

-- CreateEnum
CREATE TYPE "FamilyMemberRole" AS ENUM ('ADULT', 'CHILD');

-- CreateEnum
CREATE TYPE "PbrClaimOutcome" AS ENUM ('SIGNIFICANT_AND_SUSTAINED_PROGRESS', 'CONTINUOUS_EMPLOYMENT');

-- CreateEnum
CREATE TYPE "PbrClaimStatus" AS ENUM ('SUBMITTED', 'VALIDATED', 'PAID', 'REJECTED');

-- CreateEnum
CREATE TYPE "EarlyHelpClosureReason" AS ENUM ('OUTCOMES_ACHIEVED', 'STEPPED_UP_TO_SOCIAL_CARE', 'DISENGAGED', 'MOVED_AWAY', 'OTHER');

-- CreateTable
CREATE TABLE "TroubledFamily" (
    "id" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "attachedOn" DATE NOT NULL,
    "criteria" "HeadlineCriterion"[],

    CONSTRAINT "TroubledFamily_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TroubledFamilyMember" (
    "familyId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" "FamilyMemberRole" NOT NULL,

    CONSTRAINT "TroubledFamilyMember_pkey" PRIMARY KEY ("familyId","personId")
);

-- CreateTable
CREATE TABLE "PbrClaim" (
    "id" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "window" TEXT NOT NULL,
    "submittedOn" DATE NOT NULL,
    "outcome" "PbrClaimOutcome" NOT NULL,
    "status" "PbrClaimStatus" NOT NULL,

    CONSTRAINT "PbrClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EarlyHelpCase" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "familyId" TEXT,
    "openedOn" DATE NOT NULL,
    "closedOn" DATE,
    "closureReason" "EarlyHelpClosureReason",
    "stepDown" BOOLEAN NOT NULL,
    "intensive" BOOLEAN NOT NULL,

    CONSTRAINT "EarlyHelpCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TroubledFamily_districtCode_attachedOn_idx" ON "TroubledFamily"("districtCode", "attachedOn");

-- CreateIndex
CREATE INDEX "TroubledFamily_attachedOn_idx" ON "TroubledFamily"("attachedOn");

-- CreateIndex
CREATE INDEX "TroubledFamilyMember_personId_idx" ON "TroubledFamilyMember"("personId");

-- CreateIndex
CREATE INDEX "PbrClaim_submittedOn_idx" ON "PbrClaim"("submittedOn");

-- CreateIndex
CREATE INDEX "PbrClaim_familyId_idx" ON "PbrClaim"("familyId");

-- CreateIndex
CREATE INDEX "EarlyHelpCase_personId_openedOn_idx" ON "EarlyHelpCase"("personId", "openedOn");

-- CreateIndex
CREATE INDEX "EarlyHelpCase_openedOn_idx" ON "EarlyHelpCase"("openedOn");

-- CreateIndex
CREATE INDEX "EarlyHelpCase_closedOn_idx" ON "EarlyHelpCase"("closedOn");

-- AddForeignKey
ALTER TABLE "TroubledFamily" ADD CONSTRAINT "TroubledFamily_districtCode_fkey" FOREIGN KEY ("districtCode") REFERENCES "Area"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TroubledFamilyMember" ADD CONSTRAINT "TroubledFamilyMember_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "TroubledFamily"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TroubledFamilyMember" ADD CONSTRAINT "TroubledFamilyMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PbrClaim" ADD CONSTRAINT "PbrClaim_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "TroubledFamily"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarlyHelpCase" ADD CONSTRAINT "EarlyHelpCase_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarlyHelpCase" ADD CONSTRAINT "EarlyHelpCase_districtCode_fkey" FOREIGN KEY ("districtCode") REFERENCES "Area"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarlyHelpCase" ADD CONSTRAINT "EarlyHelpCase_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "TroubledFamily"("id") ON DELETE SET NULL ON UPDATE CASCADE;
