-- CreateTable
CREATE TABLE "ReadingPilotEnrolment" (
    "personId" TEXT NOT NULL,
    "periodCode" TEXT NOT NULL,
    "districtCode" TEXT NOT NULL,
    "enrolledOn" DATE NOT NULL,
    "completed" BOOLEAN NOT NULL,
    "booksRead" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReadingPilotEnrolment_pkey" PRIMARY KEY ("personId","periodCode")
);

-- CreateIndex
CREATE INDEX "ReadingPilotEnrolment_periodCode_districtCode_idx" ON "ReadingPilotEnrolment"("periodCode", "districtCode");
