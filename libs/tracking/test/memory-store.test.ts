import { randomUUID } from 'node:crypto';
import { InMemoryTrackingStore } from '../src/store/memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('in memory', async () => ({
  store: new InMemoryTrackingStore(),
  projectId: randomUUID(),
  teardown: async () => undefined,
}));
