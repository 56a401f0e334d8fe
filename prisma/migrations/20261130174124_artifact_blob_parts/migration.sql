-- Artifact bytes move into parts (artifact_blob_part): PostgreSQL refuses a value or a protocol
-- message over 1 GB, and a ViT-B/16 checkpoint with the Adam state is about 1.03 GB.
-- Hand-edited from `npm run db:new-migration`: the generated SQL dropped artifact_blob.data, and
-- this copies every existing blob into its part 0 first, so no stored checkpoint is lost.
-- (No semicolons in these comments: the migration engine splits statements on them, comments included.)

-- CreateTable
CREATE TABLE "artifact_blob_part" (
    "sha256" CHAR(64) NOT NULL,
    "part" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "artifact_blob_part_pkey" PRIMARY KEY ("sha256","part")
);

-- AddForeignKey
ALTER TABLE "artifact_blob_part" ADD CONSTRAINT "artifact_blob_part_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "artifact_blob"("sha256") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move the bytes
ALTER TABLE "artifact_blob" ADD COLUMN "bytes" BIGINT;
UPDATE "artifact_blob" SET "bytes" = octet_length("data");
INSERT INTO "artifact_blob_part" ("sha256", "part", "data") SELECT "sha256", 0, "data" FROM "artifact_blob";
ALTER TABLE "artifact_blob" ALTER COLUMN "bytes" SET NOT NULL;

-- AlterTable
ALTER TABLE "artifact_blob" DROP COLUMN "data";
