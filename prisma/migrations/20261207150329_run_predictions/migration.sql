-- CreateTable
CREATE TABLE "run_prediction" (
    "run_id" UUID NOT NULL,
    "split" "DataSplit" NOT NULL,
    "task" VARCHAR(50) NOT NULL,
    "case_id" VARCHAR(200) NOT NULL,
    "label" SMALLINT,
    "predicted" SMALLINT NOT NULL,
    "probabilities" DOUBLE PRECISION[],

    CONSTRAINT "run_prediction_pkey" PRIMARY KEY ("run_id","split","task","case_id")
);

-- AddForeignKey
ALTER TABLE "run_prediction" ADD CONSTRAINT "run_prediction_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
