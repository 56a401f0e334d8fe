import { randomUUID } from 'node:crypto';
import { InMemoryTrackingStore } from '../src/store/memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('in memory', async () => {
  const store = new InMemoryTrackingStore();
  return { store, projectId: randomUUID(), storedBlobs: async () => store.storedBlobs(), teardown: async () => undefined };
});
