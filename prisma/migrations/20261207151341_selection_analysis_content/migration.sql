-- AlterTable
ALTER TABLE "selection_analysis" ADD COLUMN     "code_version" VARCHAR(64),
ADD COLUMN     "content_hash" CHAR(64),
ADD COLUMN     "result" JSONB,
ADD COLUMN     "run_ids" TEXT[],
ADD COLUMN     "sweep_ids" TEXT[];

-- CreateIndex
CREATE UNIQUE INDEX "selection_analysis_project_id_content_hash_key" ON "selection_analysis"("project_id", "content_hash");
