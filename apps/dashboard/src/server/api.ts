// The server side's door to the data. The API and the database libraries are loaded by Node at
// run time, not bundled: they find their migrations, the embedded PostgreSQL and the Prisma
// client by paths relative to their own files (`new URL(..., import.meta.url)`), which a bundle
// breaks, and they are TypeScript run through tsx's loader (NODE_OPTIONS=--import tsx, set by
// src/serve/server.ts) exactly as the trainer runs them. The indirect import() keeps the bundler
// from following it; the type-only import keeps the types.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Runtime from './runtime';

export type Caller = Runtime.Caller;

const load = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof Runtime>;
const holder = globalThis as typeof globalThis & { ovusRuntime?: Promise<typeof Runtime> };

function runtime(): Promise<typeof Runtime> {
  // `next start` runs in apps/dashboard (src/serve/server.ts sets the working directory).
  holder.ovusRuntime ??= load(pathToFileURL(join(process.cwd(), 'src/server/runtime.ts')).href);
  return holder.ovusRuntime;
}

/** A tRPC caller over the same routers /api/trpc serves. */
export async function api(): Promise<Caller> {
  return (await runtime()).caller();
}

export async function handleTrpc(request: Request): Promise<Response> {
  return (await runtime()).handleTrpc(request);
}

export async function artifact(runId: string, path: string) {
  return (await runtime()).artifact(runId, path);
}
