// What every worker does besides training, so that it happens as long as any worker runs: runs
// whose process died (SIGKILL, lost machine) are marked stale — no heartbeat for 3 heartbeat
// intervals — so run lists stay honest until the queue retries them; and stored artifact bytes
// that nothing refers to any more (runs or projects deleted) are deleted. Both are idempotent, so
// several workers doing it at once is harmless.
import type { TrackingDatabase } from '@ovus/tracking';
import { formatDuration } from '../progress';
import { activeRunIds } from '../runtime/active-runs';

export interface RunMaintenanceOptions {
  database: Pick<TrackingDatabase, 'runs' | 'artifacts'>;
  /** The heartbeat interval of runs; a run silent for 3× this is stale. */
  heartbeatIntervalMs: number;
  /** How often to look (default: twice the heartbeat interval, a minute with the defaults). */
  intervalMs?: number;
  log: (line: string) => void;
}

export interface RunMaintenance {
  /** One pass now (also what the timer runs); resolves when it is done. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** Heartbeats a live run may miss (a long step blocks its event loop) before it counts as stale. */
export const STALE_AFTER_HEARTBEATS = 3;

export function startRunMaintenance(options: RunMaintenanceOptions): RunMaintenance {
  const staleAfterMs = STALE_AFTER_HEARTBEATS * options.heartbeatIntervalMs;
  const { runs, artifacts } = options.database;
  let pass: Promise<void> | null = null;

  const work = async () => {
    try {
      // Not the runs this process trains: a long step holds up their heartbeats, but they are alive.
      const stale = await runs.markStale(staleAfterMs, Date.now(), { except: activeRunIds() });
      if (stale.length > 0) {
        options.log(
          `marked ${stale.length} run(s) stale — no heartbeat for ${formatDuration(staleAfterMs)}, their process probably died: ${stale.join(', ')}` +
            ' (a queued run is retried when its lease runs out)',
        );
      }
    } catch (error) {
      options.log(`looking for stale runs failed: ${(error as Error).message}`);
    }
    try {
      const pruned = await artifacts.pruneOrphans();
      if (pruned.blobs > 0) options.log(`deleted ${pruned.blobs} stored artifact file(s) (${(pruned.bytes / 1e6).toFixed(1)} MB) that no run refers to any more`);
    } catch (error) {
      options.log(`deleting unreferenced artifact bytes failed: ${(error as Error).message}`);
    }
  };
  // A pass that outlasts the interval (a slow database) is not started twice.
  const runOnce = () => (pass ??= work().finally(() => (pass = null)));

  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 2 * options.heartbeatIntervalMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await pass;
    },
  };
}
