import { createTestDatabase } from '@ovus/db/testing';
import { ensureProject } from '../src/repositories/projects';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const project = await ensureProject(db.prisma, 'contract');
  return {
    // Small parts, so that the contract's artifacts (up to 70,000 bytes) are stored in many.
    store: new PostgresTrackingStore(db, { blobPartBytes: 4096 }),
    projectId: project.id,
    storedBlobs: async () => (await db.pool.query<{ sha256: string }>('SELECT sha256 FROM artifact_blob')).rows.map((r) => r.sha256),
    teardown: () => db.drop(),
  };
});
