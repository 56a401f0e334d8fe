// The server side's door to the data. The API and the database libraries are loaded by Node at
// run time, not bundled: they find their migrations, the embedded PostgreSQL and the Prisma
// client by paths relative to their own files (`new URL(..., import.meta.url)`), which a bundle
// breaks, and they are TypeScript run through tsx's loader (NODE_OPTIONS=--import tsx, set by
// src/serve/server.ts) exactly as the trainer runs them. The indirect import() keeps the bundler
// from following it; the type-only import keeps the types. Every function here passes on the
// request's headers, so the run-time side knows who is asking.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Runtime from './runtime';

export type Caller = Runtime.Caller$;
export type { AuditResult, CreateLinkResult, PredictPairOutcome, PredictPairResult, SharedPage } from './runtime';

const load = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof Runtime>;
const holder = globalThis as typeof globalThis & { ovusRuntime?: Promise<typeof Runtime> };

function runtime(): Promise<typeof Runtime> {
  // `next start` runs in apps/dashboard (src/serve/server.ts sets the working directory).
  holder.ovusRuntime ??= load(pathToFileURL(join(process.cwd(), 'src/server/runtime.ts')).href);
  return holder.ovusRuntime;
}

/** A tRPC caller for a team page, as the signed-in member; anyone else goes to the sign-in page. */
export async function api(): Promise<Caller> {
  const caller = await (await runtime()).memberApi(await headers());
  if (!caller) redirect('/sign-in');
  return caller;
}

/** The signed-in member, or null (the layout shows the team's navigation only to members). */
export async function currentMember() {
  return (await runtime()).currentMember(await headers());
}

export async function openShare(token: string) {
  return (await runtime()).openShare(await headers(), token);
}

export async function createLink(input: Parameters<typeof Runtime.createLink>[1]) {
  return (await runtime()).createLink(await headers(), input);
}

export async function revokeLink(id: string) {
  return (await runtime()).revokeLink(await headers(), id);
}

export async function auditLog(input: { cursor?: string; kind?: string }) {
  return (await runtime()).auditLog(await headers(), input);
}

export async function handleTrpc(request: Request): Promise<Response> {
  return (await runtime()).handleTrpc(request);
}

export async function handleAuth(request: Request): Promise<Response> {
  return (await runtime()).handleAuth(request);
}

export async function artifact(runId: string, path: string) {
  return (await runtime()).artifact(await headers(), runId, path);
}

export async function predictPair(input: Parameters<typeof Runtime.predictPair>[1]) {
  return (await runtime()).predictPair(await headers(), input);
}
