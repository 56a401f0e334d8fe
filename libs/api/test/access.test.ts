// Every procedure of appRouter — enumerated from the router, so a new one is covered without
// editing this file — driven by each kind of caller: nobody, a share token for another target, an
// expired token, a revoked token, a valid token, a member and an admin. Only share.view answers a
// share token, and only with its own target; errors carry a fixed sentence and nothing asked for.
import { authService, createAuth, createShareLink, parseAuthEnv, type AuthService } from '@ovus/auth';
import { createTestDatabase, type TestDatabase } from '@ovus/db/testing';
import { openTrackingDatabase, type TrackingDatabase } from '@ovus/tracking';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, appRouter, createCaller, createContext, memberCaller, REFUSALS, type Caller } from '../src';

/** Reachable without signing in. Adding to these lists is a security decision: review it. */
const PUBLIC_PROCEDURES = ['health.ping'];
const SHARE_PROCEDURES = ['share.view'];
const ADMIN_PROCEDURES = ['audit.list'];

type Outcome = 'ok' | string;

let db: TestDatabase;
let tracking: TrackingDatabase;
let auth: AuthService;
const ids = { runA: '', runB: '', sweep: '', project: '' };
const tokens = { forB: '', expired: '', revoked: '', valid: '' };
const secrets: string[] = [];

async function seed(): Promise<void> {
  const prisma = db.prisma;
  const project = await prisma.project.create({ data: { name: 'access-matrix' } });
  const sweep = await prisma.sweep.create({ data: { projectId: project.id, name: 'sweep-secret-name', config: { lr: 0.001 }, configHash: 'b'.repeat(64) } });
  const run = (name: string, backbone: string) =>
    prisma.run.create({ data: { projectId: project.id, sweepId: sweep.id, name, backbone, tasks: ['malignancy'], imageSize: 32, seed: 0, config: {}, status: 'finished' } });
  const a = await run('run-a-secret-name', 'resnet18');
  const b = await run('run-b-secret-name', 'vgg16');
  for (const [runId, accuracy] of [[a.id, 0.73], [b.id, 0.61]] as const) {
    await prisma.taskResult.create({
      data: { runId, task: 'malignancy', split: 'test', averaging: 'macro', accuracy, accuracyLo: accuracy - 0.1, accuracyHi: accuracy + 0.09, precision: 0.7, recall: 0.7, f1: 0.7, auc: 0.8, aucLo: 0.7, aucHi: 0.9, support: 78 },
    });
  }
  Object.assign(ids, { runA: a.id, runB: b.id, sweep: sweep.id, project: project.id });
  const member = await prisma.authUser.create({ data: { id: 'owner-account-id', name: 'Owner', email: 'owner-secret@example.org', role: 'member' } });
  const owner = { id: member.id, email: member.email, role: 'member' };
  const origin = { ip: '10.99.0.1', userAgent: 'vitest' };
  const make = async (targetId: string) => createShareLink(prisma, owner, { scope: 'run', targetId }, origin);
  tokens.forB = (await make(b.id)).token;
  const expired = await make(a.id);
  await prisma.shareLink.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  tokens.expired = expired.token;
  const revoked = await make(a.id);
  await prisma.shareLink.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
  tokens.revoked = revoked.token;
  tokens.valid = (await make(a.id)).token;
  secrets.push(ids.runA, ids.runB, ids.sweep, ids.project, 'sweep-secret-name', 'run-a-secret-name', 'run-b-secret-name', 'owner-secret@example.org', ...Object.values(tokens));
}

const member = memberCaller({ id: 'm', email: 'member@example.org', name: 'Member', role: 'member' });
const admin = memberCaller({ id: 'a', email: 'admin@example.org', name: 'Admin', role: 'admin' });
const share = (token: string): Caller => ({ kind: 'share', token });

const CALLERS = {
  'a: no session': () => ANONYMOUS,
  'b: token for another target': () => share(tokens.forB),
  'c: expired token': () => share(tokens.expired),
  'd: revoked token': () => share(tokens.revoked),
  'e: valid token': () => share(tokens.valid),
  member: () => member,
  admin: () => admin,
} as const;
type CallerName = keyof typeof CALLERS;

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));

/** Calls `path` with an empty input (refusals come before input checks) and says how it ended. */
async function drive(caller: Caller, path: string, input: unknown): Promise<{ outcome: Outcome; error?: TRPCError; data?: unknown }> {
  // Each call its own address, so the share-token guessing limit does not mix into the matrix.
  const origin = { ip: `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.1`, userAgent: 'vitest' };
  const api = createCaller(createContext({ db: tracking, caller, auth, origin })) as unknown as Record<string, unknown>;
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api) as (input: unknown) => Promise<unknown>;
  try {
    return { outcome: 'ok', data: await fn(input) };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { outcome: error.code, error };
  }
}

function expectNoData(error: TRPCError | undefined): void {
  expect(error).toBeDefined();
  expect(Object.values(REFUSALS)).toContain(error!.message);
  expect(error!.cause).toBeUndefined();
  const text = JSON.stringify({ message: error!.message, code: error!.code, shape: error });
  for (const secret of secrets) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  db = await createTestDatabase();
  tracking = await openTrackingDatabase({ databaseUrl: db.url });
  auth = authService(createAuth({ prisma: db.prisma, env: parseAuthEnv({ OVUS_AUTH_SECRET: 'x'.repeat(40), OVUS_PUBLIC_URL: 'http://localhost:3200' }) }));
  await seed();
});
afterAll(async () => {
  await tracking?.close();
  await db?.drop();
});

describe('who reaches which procedure', () => {
  it('enumerates the router', () => {
    expect(procedures.length).toBeGreaterThan(20);
    for (const p of [...PUBLIC_PROCEDURES, ...SHARE_PROCEDURES, ...ADMIN_PROCEDURES]) expect(procedures.map((x) => x.path)).toContain(p);
  });

  it('refuses a–d everywhere outside the shared target, with no data in the error; e reaches only share.view; prints the matrix', async () => {
    const matrix: Record<string, Record<CallerName, Outcome>> = {};
    for (const { path } of procedures) {
      matrix[path] = {} as Record<CallerName, Outcome>;
      for (const [name, make] of Object.entries(CALLERS) as [CallerName, () => Caller][]) {
        const result = await drive(make(), path, PUBLIC_PROCEDURES.includes(path) ? undefined : {});
        matrix[path][name] = result.outcome;
        const isPublic = PUBLIC_PROCEDURES.includes(path);
        const isShare = SHARE_PROCEDURES.includes(path);
        if (isPublic) continue;
        if (name === 'member' || name === 'admin') {
          // Team members pass the access check (their empty input may then be refused as BAD_REQUEST / NOT_FOUND).
          if (isShare) expect(result.outcome).toBe('UNAUTHORIZED');
          else if (ADMIN_PROCEDURES.includes(path) && name === 'member') expect(result.outcome).toBe('FORBIDDEN');
          else expect(['ok', 'BAD_REQUEST', 'NOT_FOUND']).toContain(result.outcome);
          continue;
        }
        if (!isShare) {
          expect(result.outcome, `${path} with ${name}`).toBe('UNAUTHORIZED');
          expectNoData(result.error);
          continue;
        }
        // share.view: its own target for a valid token (b's token is valid for run B and sees only B).
        if (name === 'e: valid token' || name === 'b: token for another target') {
          expect(result.outcome).toBe('ok');
          const text = JSON.stringify(result.data);
          const [own, other] = name === 'e: valid token' ? ['resnet18', 'vgg16'] : ['vgg16', 'resnet18'];
          expect(text).toContain(own);
          expect(text).not.toContain(other);
          for (const secret of secrets) expect(text).not.toContain(secret);
        } else {
          expect(result.outcome).toBe(name === 'a: no session' ? 'UNAUTHORIZED' : 'FORBIDDEN');
          expectNoData(result.error);
        }
      }
    }
    const names = Object.keys(CALLERS) as CallerName[];
    const width = Math.max(...procedures.map((p) => p.path.length));
    const lines = [`${'procedure'.padEnd(width)} | ${names.join(' | ')}`];
    for (const [path, row] of Object.entries(matrix)) lines.push(`${path.padEnd(width)} | ${names.map((n) => row[n].padEnd(n.length)).join(' | ')}`);
    console.log(`refusal matrix (${procedures.length} procedures):\n${lines.join('\n')}`);
  });

  it('refuses the shared target itself through the team procedures, even with its valid token', async () => {
    for (const [path, input] of [['runs.get', { id: ids.runA }], ['runs.results', { id: ids.runA }], ['sweeps.get', { id: ids.sweep }]] as const) {
      const result = await drive(share(tokens.valid), path, input);
      expect(result.outcome).toBe('UNAUTHORIZED');
      expectNoData(result.error);
    }
  });

  it('tells a revoked link from an expired one and from one that does not exist', async () => {
    expect((await drive(share(tokens.revoked), 'share.view', {})).error?.message).toBe(REFUSALS.revoked);
    expect((await drive(share(tokens.expired), 'share.view', {})).error?.message).toBe(REFUSALS.expired);
    expect((await drive(share('A'.repeat(43)), 'share.view', {})).error?.message).toBe(REFUSALS.unknownLink);
  });

  it('words the shared run for a clinician, with no ids, names, config or artifacts', async () => {
    const { data } = await drive(share(tokens.valid), 'share.view', {});
    const { view } = data as { view: { kind: string; findings: { title: string; accuracy: { text: string } }[]; caveat: string } };
    expect(view.kind).toBe('run');
    expect(view.findings[0]).toMatchObject({ title: 'Benign or malignant', accuracy: { text: 'correct in 73% of 78 test cases; 95% CI 63–82%' } });
    expect(view.caveat).toMatch(/research software/);
  });
});
