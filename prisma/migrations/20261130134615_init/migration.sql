-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'finished', 'failed', 'killed', 'stale');

-- CreateEnum
CREATE TYPE "SweepStatus" AS ENUM ('pending', 'running', 'finished', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "DataSplit" AS ENUM ('train', 'validation', 'test');

-- CreateEnum
CREATE TYPE "Averaging" AS ENUM ('binary', 'macro', 'weighted');

-- CreateEnum
CREATE TYPE "ShareScope" AS ENUM ('project', 'sweep', 'run', 'selection');

-- CreateTable
CREATE TABLE "project" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_version" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "manifest_path" TEXT NOT NULL,
    "root_dir" TEXT NOT NULL,
    "case_count" INTEGER NOT NULL,
    "patient_count" INTEGER NOT NULL,
    "statistics" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case" (
    "id" UUID NOT NULL,
    "dataset_version_id" UUID NOT NULL,
    "case_id" VARCHAR(200) NOT NULL,
    "patient_id" VARCHAR(200) NOT NULL,
    "bmus_path" TEXT NOT NULL,
    "ceus_path" TEXT NOT NULL,
    "bmus_sha256" CHAR(64) NOT NULL,
    "ceus_sha256" CHAR(64) NOT NULL,
    "blood_flow" SMALLINT,
    "boundary" SMALLINT,
    "echogenicity" SMALLINT,
    "morphology" SMALLINT,
    "papillary" SMALLINT,
    "septation" SMALLINT,
    "solid" SMALLINT,
    "malignancy" SMALLINT NOT NULL,

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "split" (
    "id" UUID NOT NULL,
    "dataset_version_id" UUID NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "seed" INTEGER NOT NULL,
    "folds" INTEGER,
    "fold" INTEGER,
    "assignment" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "split_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sweep" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "status" "SweepStatus" NOT NULL DEFAULT 'pending',
    "config" JSONB NOT NULL,
    "config_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "sweep_id" UUID,
    "group_key" VARCHAR(500),
    "name" VARCHAR(200) NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "backbone" VARCHAR(100) NOT NULL,
    "tasks" TEXT[],
    "image_size" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "fold" INTEGER,
    "config" JSONB NOT NULL,
    "git_commit" VARCHAR(64),
    "dataset_version_id" UUID,
    "split_id" UUID,
    "tfjs_backend" VARCHAR(50),
    "host" VARCHAR(255),
    "hardware" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "error_text" TEXT,

    CONSTRAINT "run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "param" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(250) NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "param_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "tag" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(250) NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "tag_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "metric" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(250) NOT NULL,
    "step" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metric_pkey" PRIMARY KEY ("run_id","key","step")
);

-- CreateTable
CREATE TABLE "latest_metric" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(250) NOT NULL,
    "step" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "latest_metric_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "task_result" (
    "run_id" UUID NOT NULL,
    "task" VARCHAR(50) NOT NULL,
    "split" "DataSplit" NOT NULL,
    "averaging" "Averaging" NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "accuracy_lo" DOUBLE PRECISION,
    "accuracy_hi" DOUBLE PRECISION,
    "precision" DOUBLE PRECISION NOT NULL,
    "precision_lo" DOUBLE PRECISION,
    "precision_hi" DOUBLE PRECISION,
    "recall" DOUBLE PRECISION NOT NULL,
    "recall_lo" DOUBLE PRECISION,
    "recall_hi" DOUBLE PRECISION,
    "f1" DOUBLE PRECISION NOT NULL,
    "f1_lo" DOUBLE PRECISION,
    "f1_hi" DOUBLE PRECISION,
    "auc" DOUBLE PRECISION,
    "auc_lo" DOUBLE PRECISION,
    "auc_hi" DOUBLE PRECISION,
    "support" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_result_pkey" PRIMARY KEY ("run_id","task","split","averaging")
);

-- CreateTable
CREATE TABLE "confusion_matrix" (
    "run_id" UUID NOT NULL,
    "task" VARCHAR(50) NOT NULL,
    "split" "DataSplit" NOT NULL,
    "labels" INTEGER[],
    "counts" JSONB NOT NULL,

    CONSTRAINT "confusion_matrix_pkey" PRIMARY KEY ("run_id","task","split")
);

-- CreateTable
CREATE TABLE "roc_point" (
    "run_id" UUID NOT NULL,
    "task" VARCHAR(50) NOT NULL,
    "split" "DataSplit" NOT NULL,
    "class_code" INTEGER NOT NULL,
    "idx" INTEGER NOT NULL,
    "fpr" DOUBLE PRECISION NOT NULL,
    "tpr" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "roc_point_pkey" PRIMARY KEY ("run_id","task","split","class_code","idx")
);

-- CreateTable
CREATE TABLE "artifact" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "kind" VARCHAR(50) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "bytes" BIGINT NOT NULL,
    "uri" TEXT NOT NULL,
    "step" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifact_blob" (
    "sha256" CHAR(64) NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifact_blob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "selection_analysis" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "sweep_id" UUID,
    "dataset_version_id" UUID,
    "method" VARCHAR(100) NOT NULL,
    "config" JSONB NOT NULL,
    "selected" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "selection_analysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "selection_finding" (
    "analysis_id" UUID NOT NULL,
    "parameter" VARCHAR(50) NOT NULL,
    "association" DOUBLE PRECISION,
    "association_p" DOUBLE PRECISION,
    "predictability" DOUBLE PRECISION,
    "ablation_delta" DOUBLE PRECISION,
    "ablation_lo" DOUBLE PRECISION,
    "ablation_hi" DOUBLE PRECISION,
    "selected" BOOLEAN NOT NULL,
    "details" JSONB,

    CONSTRAINT "selection_finding_pkey" PRIMARY KEY ("analysis_id","parameter")
);

-- CreateTable
CREATE TABLE "share_link" (
    "id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "scope" "ShareScope" NOT NULL,
    "target_id" UUID NOT NULL,
    "label" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "share_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "project_name_key" ON "project"("name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_name_key" ON "dataset"("name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_content_hash_key" ON "dataset_version"("content_hash");

-- CreateIndex
CREATE INDEX "dataset_version_dataset_id_created_at_idx" ON "dataset_version"("dataset_id", "created_at");

-- CreateIndex
CREATE INDEX "case_dataset_version_id_patient_id_idx" ON "case"("dataset_version_id", "patient_id");

-- CreateIndex
CREATE UNIQUE INDEX "case_dataset_version_id_case_id_key" ON "case"("dataset_version_id", "case_id");

-- CreateIndex
CREATE UNIQUE INDEX "split_hash_key" ON "split"("hash");

-- CreateIndex
CREATE INDEX "split_dataset_version_id_idx" ON "split"("dataset_version_id");

-- CreateIndex
CREATE INDEX "sweep_project_id_created_at_idx" ON "sweep"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sweep_project_id_config_hash_key" ON "sweep"("project_id", "config_hash");

-- CreateIndex
CREATE INDEX "run_project_id_created_at_idx" ON "run"("project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "run_sweep_id_group_key_idx" ON "run"("sweep_id", "group_key");

-- CreateIndex
CREATE INDEX "run_status_heartbeat_at_idx" ON "run"("status", "heartbeat_at");

-- CreateIndex
CREATE INDEX "run_backbone_idx" ON "run"("backbone");

-- CreateIndex
CREATE INDEX "latest_metric_key_idx" ON "latest_metric"("key");

-- CreateIndex
CREATE INDEX "task_result_task_split_idx" ON "task_result"("task", "split");

-- CreateIndex
CREATE INDEX "artifact_sha256_idx" ON "artifact"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "artifact_run_id_path_key" ON "artifact"("run_id", "path");

-- CreateIndex
CREATE INDEX "selection_analysis_project_id_created_at_idx" ON "selection_analysis"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "share_link_token_hash_key" ON "share_link"("token_hash");

-- CreateIndex
CREATE INDEX "share_link_scope_target_id_idx" ON "share_link"("scope", "target_id");

-- AddForeignKey
ALTER TABLE "dataset_version" ADD CONSTRAINT "dataset_version_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "split" ADD CONSTRAINT "split_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sweep" ADD CONSTRAINT "sweep_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_sweep_id_fkey" FOREIGN KEY ("sweep_id") REFERENCES "sweep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_split_id_fkey" FOREIGN KEY ("split_id") REFERENCES "split"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "param" ADD CONSTRAINT "param_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag" ADD CONSTRAINT "tag_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric" ADD CONSTRAINT "metric_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "latest_metric" ADD CONSTRAINT "latest_metric_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_result" ADD CONSTRAINT "task_result_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "confusion_matrix" ADD CONSTRAINT "confusion_matrix_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roc_point" ADD CONSTRAINT "roc_point_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifact" ADD CONSTRAINT "artifact_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "selection_analysis" ADD CONSTRAINT "selection_analysis_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "selection_analysis" ADD CONSTRAINT "selection_analysis_sweep_id_fkey" FOREIGN KEY ("sweep_id") REFERENCES "sweep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "selection_finding" ADD CONSTRAINT "selection_finding_analysis_id_fkey" FOREIGN KEY ("analysis_id") REFERENCES "selection_analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
