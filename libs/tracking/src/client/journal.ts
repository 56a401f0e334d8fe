// The spill file: while the database is unreachable the client appends what it could not write
// here (JSON lines, fsynced), and replays it when the database is back. Replaying is safe to repeat
// because every write is idempotent, so a crash half-way through a replay loses and doubles nothing.
// A journal left by a process that died is claimed and replayed by the next client on this host.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CasePredictionInput, LogBatch, MetricPoint } from '../types';
import type { BatchableOperation, Operation, RunBatch } from './operations';

type SingleOperation = Exclude<Operation, BatchableOperation>;
type JournaledSingle = Exclude<SingleOperation, { kind: 'artifact' }> | (Omit<Extract<SingleOperation, { kind: 'artifact' }>, 'data'> & { blob: string });

type JournalLine =
  | {
      type: 'batch';
      runId: string;
      params: [string, string][];
      tags: [string, string][];
      metrics: [string, number, number, number][];
      /** Absent in journals written before predictions were logged. */
      predictions?: CasePredictionInput[];
    }
  | { type: 'op'; op: JournaledSingle };

/** What replay hands back to the client: a batch or a single operation, bytes loaded. */
export type JournalEntry = { type: 'batch'; value: RunBatch } | { type: 'op'; value: SingleOperation };

// JSON has no NaN or Infinity; a metric value can be either, so they travel as {"$": "NaN"}.
function encodeNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { $: String(value) } : value;
}

function decodeNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$') return Number((value as { $: string }).$);
  }
  return value;
}

/** Ids of clients alive in this process: their journals are not orphans even though the pid lives. */
const LIVE_OWNERS = new Set<string>();

export function newOwnerId(): string {
  return `${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}~${process.pid}~${randomBytes(4).toString('hex')}`;
}

export class Journal {
  readonly file: string;
  private readonly blobDir: string;
  private lines = 0;

  constructor(
    readonly dir: string,
    readonly ownerId: string,
  ) {
    this.file = join(dir, `${ownerId}.jsonl`);
    this.blobDir = join(dir, 'blobs');
    LIVE_OWNERS.add(ownerId);
  }

  /** Lines appended and not yet replayed. */
  get pending(): number {
    return this.lines;
  }

  release(): void {
    LIVE_OWNERS.delete(this.ownerId);
  }

  /** Appends and fsyncs; when this resolves, the entries survive a crash. */
  async append(batches: readonly RunBatch[], singles: readonly SingleOperation[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const lines: string[] = [];
    for (const { runId, batch } of batches) lines.push(JSON.stringify(toBatchLine(runId, batch), encodeNumbers));
    for (const op of singles) {
      if (op.kind === 'artifact') {
        // Bytes go to a side file, named after this journal so they are removed with it.
        const blob = `${this.ownerId}-${op.sha256}`;
        await mkdir(this.blobDir, { recursive: true });
        await writeDurably(join(this.blobDir, blob), op.data, 'w');
        const { data: _data, ...rest } = op;
        lines.push(JSON.stringify({ type: 'op', op: { ...rest, blob } } satisfies JournalLine, encodeNumbers));
      } else {
        lines.push(JSON.stringify({ type: 'op', op } satisfies JournalLine, encodeNumbers));
      }
    }
    if (lines.length === 0) return;
    await writeDurably(this.file, `${lines.join('\n')}\n`, 'a');
    this.lines += lines.length;
  }

  /** Replays this client's own journal; see replayFile. */
  async replay(apply: (entry: JournalEntry) => Promise<void>, onBadLine: (error: Error) => void): Promise<void> {
    if (this.lines === 0) return;
    await replayFile(this.file, this.blobDir, apply, onBadLine);
    this.lines = 0;
  }

  /**
   * Journals on this host whose writer is gone (its process died, or it was closed while the
   * database was down), renamed so that no other client replays them at the same time.
   */
  async claimOrphans(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const claimed: string[] = [];
    for (const name of names) {
      const owner = orphanOwner(name);
      if (owner === null || owner === this.ownerId || !isOwnerGone(owner)) continue;
      const base = name.split('.claimed~')[0] as string;
      const target = join(this.dir, `${base}.claimed~${this.ownerId}`);
      try {
        await rename(join(this.dir, name), target);
        claimed.push(target);
      } catch {
        // Another client claimed it first.
      }
    }
    return claimed;
  }

  async replayClaimed(file: string, apply: (entry: JournalEntry) => Promise<void>, onBadLine: (error: Error) => void): Promise<void> {
    await replayFile(file, this.blobDir, apply, onBadLine);
  }
}

function toBatchLine(runId: string, batch: Required<LogBatch>): JournalLine {
  return {
    type: 'batch',
    runId,
    params: batch.params.map((p) => [p.key, p.value]),
    tags: batch.tags.map((t) => [t.key, t.value]),
    metrics: batch.metrics.map((m) => [m.key, m.step, m.value, m.timestamp]),
    ...(batch.predictions.length > 0 ? { predictions: [...batch.predictions] } : {}),
  };
}

/**
 * Applies every line in order. A transient failure (the database went away again) propagates and
 * leaves the file for the next attempt; when all lines are applied the file and its blobs go.
 */
async function replayFile(
  file: string,
  blobDir: string,
  apply: (entry: JournalEntry) => Promise<void>,
  onBadLine: (error: Error) => void,
): Promise<void> {
  const blobs: string[] = [];
  const exists = await stat(file).then(() => true, () => false);
  if (!exists) return;
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of reader) {
      lineNumber += 1;
      if (text.trim() === '') continue;
      let line: JournalLine;
      try {
        line = JSON.parse(text, decodeNumbers) as JournalLine;
      } catch {
        // Only the last line can be torn (a crash during the append); it was never acknowledged.
        onBadLine(new Error(`${file}:${lineNumber}: unreadable journal line skipped (${text.slice(0, 80)}…)`));
        continue;
      }
      if (line.type === 'batch') {
        const metrics: MetricPoint[] = line.metrics.map(([key, step, value, timestamp]) => ({ key, step, value, timestamp }));
        const params = line.params.map(([key, value]) => ({ key, value }));
        const tags = line.tags.map(([key, value]) => ({ key, value }));
        const predictions = line.predictions ?? [];
        await apply({ type: 'batch', value: { runId: line.runId, batch: { params, tags, metrics, predictions } } });
      } else if (line.op.kind === 'artifact') {
        const { blob, ...rest } = line.op;
        const data = await readFile(join(blobDir, blob));
        blobs.push(blob);
        await apply({ type: 'op', value: { ...rest, data } });
      } else {
        await apply({ type: 'op', value: line.op });
      }
    }
  } finally {
    reader.close();
  }
  await rm(file, { force: true });
  await Promise.all(blobs.map((blob) => rm(join(blobDir, blob), { force: true })));
}

async function writeDurably(file: string, data: string | Uint8Array, flag: 'a' | 'w'): Promise<void> {
  const handle = await open(file, flag);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** The owner id of a journal file name, or null for other files. */
function orphanOwner(name: string): string | null {
  const claimed = /^(.+)\.jsonl\.claimed~(.+)$/.exec(name);
  if (claimed) return claimed[2] as string;
  const plain = /^(.+)\.jsonl$/.exec(name);
  return plain ? (plain[1] as string) : null;
}

function isOwnerGone(owner: string): boolean {
  const [host, pidText] = owner.split('~');
  if (host !== hostname().replace(/[^A-Za-z0-9.-]/g, '_')) return false; // another machine's: leave it
  const pid = Number(pidText);
  if (pid === process.pid) return !LIVE_OWNERS.has(owner);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
