// Journals left behind by processes that ended while the database was unreachable (or were
// killed while spilling). Any process of the project that opens the database replays those of its
// host in the background (openTrackingDatabase), and `ovus journal replay` does it on demand.
// Replay never holds up a new run's writes: it runs beside the client, not in front of it.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrackingStore } from '../store/tracking-store';
import { Flusher } from './flusher';
import { Journal, newOwnerId, readEndings, type JournaledEnding } from './journal';
import { isTransientDatabaseError } from './transient';

export interface JournalRecoveryOptions {
  store: TrackingStore;
  journalDir: string;
  onWarning?: (message: string) => void;
  onError?: (error: Error) => void;
  /** Checked between journal lines: true stops the replay (the journal stays for the next one). */
  shouldStop?: () => boolean;
}

export interface JournalRecoveryReport {
  /** Journals replayed completely (and deleted). */
  replayed: string[];
  /** Entries (batches or single operations) written to the database. */
  entries: number;
  /** Journals left for later: the database went away again, or the replay was stopped. */
  remaining: string[];
}

/** Claims the orphaned journals of this host and replays them, oldest owner first. */
export async function replayOrphanJournals(options: JournalRecoveryOptions): Promise<JournalRecoveryReport> {
  const onWarning = options.onWarning ?? ((m: string) => console.warn(`[tracking] ${m}`));
  const onError = options.onError ?? ((e: Error) => console.error(`[tracking] ${e.message}`));
  const journal = new Journal(options.journalDir, newOwnerId());
  const flusher = new Flusher(
    options.store,
    journal,
    { flushIntervalMs: 0, maxBatchPoints: 20_000, concurrency: 1, retryAttempts: 3, retryBaseMs: 100, maxProbeIntervalMs: 1000 },
    onError,
    onWarning,
  );
  const report: JournalRecoveryReport = { replayed: [], entries: 0, remaining: [] };
  try {
    const claimed = (await journal.claimOrphans()).sort();
    for (const [index, file] of claimed.entries()) {
      let complete: boolean;
      try {
        // Until the replay reaches them (a big journal takes a while, the database may go again),
        // runs whose ending is in this journal say so instead of looking alive.
        for (const ending of await readEndings(file)) {
          await options.store.markEndingInJournal(ending.runId, endingExplanation(ending, file));
        }
        complete = await journal.replayClaimed(file, (entry) => flusher.applyEntry(entry), onError, options.shouldStop);
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        complete = false;
      }
      if (!complete) {
        report.remaining.push(...claimed.slice(index));
        break;
      }
      report.replayed.push(file);
      onWarning(`replayed ${file}, left by a process that ended while the database was unreachable`);
    }
  } finally {
    report.entries = flusher.counters.written;
    journal.release(); // what is left is an orphan again, for the next process or `ovus journal replay`
  }
  return report;
}

function endingExplanation(ending: JournaledEnding, file: string): string {
  const host = (file.split('/').pop() ?? '').split('~')[0] ?? 'its host';
  return (
    `Ended ${ending.status} at ${new Date(ending.at).toISOString()} while the database was unreachable; that ending is in the ` +
    `journal ${file} on ${host}, being replayed (if this stays, run: ovus journal replay on ${host}).`
  );
}

export interface JournalFileSummary {
  file: string;
  /** host~pid~random of the process that wrote it. */
  owner: string;
  /** Whether that process is still alive (only known for this host). */
  ownerAlive: boolean | null;
  bytes: number;
  /** Run endings that are in this journal (and nowhere else until it is replayed). */
  endings: JournaledEnding[];
}

/** The journals in `journalDir` (this host's and others' if the folder is shared). */
export async function listJournals(journalDir: string): Promise<JournalFileSummary[]> {
  const names = (await readdir(journalDir).catch(() => [] as string[])).filter((n) => /\.jsonl(\.claimed~.+)?$/.test(n)).sort();
  const blobDir = join(journalDir, 'blobs');
  const blobs = await readdir(blobDir).catch(() => [] as string[]);
  return Promise.all(
    names.map(async (name) => {
      const file = join(journalDir, name);
      const owner = name.split('.jsonl')[0] as string;
      const own = (await stat(file).catch(() => null))?.size ?? 0;
      const sides = await Promise.all(blobs.filter((b) => b.startsWith(`${owner}-`)).map((b) => stat(join(blobDir, b)).then((s) => s.size, () => 0)));
      const endings = await readEndings(file);
      return { file, owner, ownerAlive: Journal.ownerAlive(owner), bytes: own + sides.reduce((a, b) => a + b, 0), endings };
    }),
  );
}
