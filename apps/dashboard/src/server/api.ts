// The server side's door to the data: one opened database per server process (kept across hot
// reloads and requests), and a tRPC caller over the same routers the HTTP handler serves, so a
// page and a browser client see exactly the same procedures, inputs and errors.
import { appRouter, createContext } from '@ovus/api';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';

const holder = globalThis as typeof globalThis & { ovusDatabase?: Promise<TrackingDatabase> };

export function database(): Promise<TrackingDatabase> {
  holder.ovusDatabase ??= openTrackingDatabase().catch((error: unknown) => {
    // Not cached when it fails: the next request tries again (the server may have come up since).
    holder.ovusDatabase = undefined;
    throw error;
  });
  return holder.ovusDatabase;
}

export async function api() {
  const db = await database();
  return appRouter.createCaller(await createContext({ db }));
}
