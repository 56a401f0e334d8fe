// Team accounts from the CLI against a real database: the password comes from stdin (never an
// argument), the account can sign in, removal ends its sessions and revokes its share links.
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, parseAuthEnv, type OvusAuth } from '@ovus/auth';
import { openTrackingDatabase } from '@ovus/tracking';
import type { CliIo } from '../src/cli/io';
import { runCli } from '../src/cli/run-cli';
import { prepareLocalSignIn } from '../src/runtime/demo-sign-in';
import { mainFile } from './cli-harness';
import { startE2e, type E2eEnvironment } from './e2e-harness';

async function cliWithStdin(input: string | null, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  if (input !== null) stdin.end(input);
  else stdin.end();
  const io: CliIo = {
    stdout: new PassThrough() as unknown as NodeJS.WriteStream,
    stderr: new PassThrough() as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  };
  const code = await runCli(argv, io, { file: process.execPath, args: ['--import', 'tsx', mainFile] });
  return { code, out, err };
}

let e2e: E2eEnvironment;
let ovus: OvusAuth;
beforeAll(async () => {
  e2e = await startE2e();
  ovus = createAuth({ prisma: e2e.db.prisma, env: parseAuthEnv({ OVUS_AUTH_SECRET: 'a'.repeat(40), OVUS_PUBLIC_URL: 'http://localhost:3200' }) });
});
afterAll(async () => {
  await e2e.cleanup();
});

async function signIn(email: string, password: string): Promise<number> {
  const response = await ovus.handler(
    new Request('http://localhost:3200/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3200', 'x-forwarded-for': `10.3.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
      body: JSON.stringify({ email, password }),
    }),
  );
  return response.status;
}

describe('trainer user', () => {
  it('adds an account with the password from stdin; it can sign in', async () => {
    const added = await cliWithStdin('a long team passphrase\n', 'user', 'add', 'Carla@Example.org', '--admin', '--name', 'Carla');
    expect(added.err).toBe(''); // no prompt when the password is piped
    expect(added).toMatchObject({ code: 0, out: 'Added admin carla@example.org.\n' });
    expect(await signIn('carla@example.org', 'a long team passphrase')).toBe(200);
    const stored = await e2e.db.pool.query(`SELECT password FROM auth_account a JOIN auth_user u ON u.id = a.user_id WHERE u.email = 'carla@example.org'`);
    expect(stored.rows[0].password).not.toContain('passphrase'); // better-auth's scrypt hash
  });

  it('never takes the password as an argument', async () => {
    const result = await cliWithStdin('x\n', 'user', 'add', 'dan@example.org', '--password', 'a long team passphrase');
    expect(result.code).toBe(2);
    expect(result.err).toContain("unknown option '--password'");
    expect(await e2e.db.prisma.authUser.count({ where: { email: 'dan@example.org' } })).toBe(0);
  });

  it('refuses a short password, a bad email, a duplicate and an empty stdin, changing nothing', async () => {
    expect(await cliWithStdin('short\n', 'user', 'add', 'dan@example.org')).toMatchObject({ code: 2, err: expect.stringContaining('too short: use at least 12 characters') });
    expect(await cliWithStdin('a long team passphrase\n', 'user', 'add', 'not-an-email')).toMatchObject({ code: 2, err: expect.stringContaining('is not an email address') });
    expect(await cliWithStdin('a long team passphrase\n', 'user', 'add', 'carla@example.org')).toMatchObject({ code: 2, err: expect.stringContaining('already exists') });
    expect(await cliWithStdin(null, 'user', 'add', 'dan@example.org')).toMatchObject({ code: 2, err: expect.stringContaining('No password given') });
    expect(await e2e.db.prisma.authUser.count()).toBe(1);
  });

  it('lists accounts with role and last sign-in', async () => {
    await cliWithStdin('another long passphrase\n', 'user', 'add', 'dan@example.org');
    const listed = await cliWithStdin(null, 'user', 'list');
    expect(listed.code).toBe(0);
    const lines = listed.out.trim().split('\n');
    expect(lines[0]).toMatch(/^email\s+role\s+name\s+added \(UTC\)\s+last sign-in \(UTC\)$/);
    expect(lines[2]).toMatch(/^carla@example\.org\s+admin\s+Carla\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(lines[3]).toMatch(/^dan@example\.org\s+member\s+dan\s+.*never$/);
  });

  it('removes an account: its sessions end, its share links are revoked, the last admin stays', async () => {
    expect(await signIn('dan@example.org', 'another long passphrase')).toBe(200);
    const dan = await e2e.db.prisma.authUser.findUniqueOrThrow({ where: { email: 'dan@example.org' } });
    await e2e.db.prisma.shareLink.create({ data: { tokenHash: 'f'.repeat(64), scope: 'run', targetId: '00000000-0000-4000-8000-000000000001', createdById: dan.id } });
    const removed = await cliWithStdin(null, 'user', 'remove', 'dan@example.org');
    expect(removed).toMatchObject({ code: 0, out: 'Removed dan@example.org; 1 share link(s) revoked.\n' });
    expect(await e2e.db.prisma.authSession.count({ where: { userId: dan.id } })).toBe(0);
    const link = await e2e.db.prisma.shareLink.findUniqueOrThrow({ where: { tokenHash: 'f'.repeat(64) } });
    expect(link.revokedAt).not.toBeNull();
    expect(await cliWithStdin(null, 'user', 'remove', 'carla@example.org')).toMatchObject({ code: 2, err: expect.stringContaining('is the last admin') });
    expect(await cliWithStdin(null, 'user', 'remove', 'nobody@example.org')).toMatchObject({ code: 2, err: expect.stringContaining('No account for nobody@example.org') });
  });
});

describe('the demo sign-in', () => {
  it('creates a local admin on an empty database, with the password in a private file, and reuses it', async () => {
    await e2e.db.pool.query('DELETE FROM auth_user');
    const database = await openTrackingDatabase({ databaseUrl: e2e.db.url });
    try {
      const first = await prepareLocalSignIn(database, 3200);
      const password = /with password (\S+)/.exec(first.message)?.[1] ?? '';
      expect(first.message).toMatch(/^Sign in to http:\/\/127\.0\.0\.1:3200 as admin@ovus\.localhost with password \S{20}\n/);
      expect(await signIn('admin@ovus.localhost', password)).toBe(200);
      expect((await stat(`${e2e.dataDir}/dashboard-sign-in.txt`)).mode & 0o777).toBe(0o600);
      expect((await stat(`${e2e.dataDir}/auth-secret`)).mode & 0o777).toBe(0o600);
      expect(first.env.OVUS_AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
      const again = await prepareLocalSignIn(database, 3200);
      expect(again.message).toBe(`Sign in to http://127.0.0.1:3200 as admin@ovus.localhost; the password is in ${e2e.dataDir}/dashboard-sign-in.txt.\n`);
      expect(again.env.OVUS_AUTH_SECRET).toBe(first.env.OVUS_AUTH_SECRET);
      expect(await e2e.db.prisma.authUser.count()).toBe(1);
    } finally {
      await database.close();
    }
  });
});
