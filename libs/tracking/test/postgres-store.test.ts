import { createTestDatabase } from '@ovus/db/testing';
import { ensureProject } from '../src/repositories/projects';
import { PostgresTrackingStore } from '../src/store/postgres-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const project = await ensureProject(db.prisma, 'contract');
  return { store: new PostgresTrackingStore(db), projectId: project.id, teardown: () => db.drop() };
});
