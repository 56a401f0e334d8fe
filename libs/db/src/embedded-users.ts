// Who uses the embedded server: one file per open process under <data dir>/postgres-users/, named
// after its pid. The last process to leave stops the server; a process that died without leaving
// (SIGKILL, power cut) is recognised by its dead pid and not counted, so it never keeps the server
// from stopping for good, and nothing it did can stop the server under the others. All changes to
// the set (join + start, leave + stop) happen under one lock, so a process joining cannot find the
// server running and then lose it to a process that saw no users a moment earlier.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './embedded-server';

export function usersDir(dataDir: string): string {
  return join(dataDir, 'postgres-users');
}

/** Registers this process as a user; returns its ticket (the file to remove on leaving). */
export async function joinUsers(dataDir: string): Promise<string> {
  const dir = usersDir(dataDir);
  await mkdir(dir, { recursive: true });
  const ticket = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}`);
  await writeFile(ticket, `${process.pid}\n`);
  return ticket;
}

export async function leaveUsers(ticket: string): Promise<void> {
  await rm(ticket, { force: true });
}

/** Pids of live users; tickets of dead processes are deleted on the way. */
export async function liveUsers(dataDir: string): Promise<number[]> {
  const dir = usersDir(dataDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) live.push(pid);
    else await rm(join(dir, name), { force: true });
  }
  return live;
}

/**
 * Runs `body` holding the data folder's server lock (mkdir is atomic). The lock names its holder's
 * pid; a lock whose holder died is broken at once, one older than five minutes in any case.
 */
export async function withServerLock<T>(dataDir: string, body: () => Promise<T>): Promise<T> {
  const lock = join(dataDir, 'postgres.lock');
  const deadline = Date.now() + 180_000;
  await mkdir(dataDir, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), `${process.pid}\n`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(join(lock, 'pid'), 'utf8').catch(() => '')).trim());
      const info = await stat(lock).catch(() => null);
      const ageMs = info ? Date.now() - info.mtimeMs : 0;
      // No pid yet: the holder is between mkdir and writeFile, unless that was long ago.
      const dead = Number.isInteger(holder) && holder > 0 ? !isAlive(holder) : ageMs > 10_000;
      if (info && (dead || ageMs > 300_000)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}; if no other ovus process is running, delete it.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await body();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
