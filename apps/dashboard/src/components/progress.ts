// A sweep's run counts as the progress bar draws them: killed and stale runs count as failed
// (they will not finish unless retried), the ETA as a duration.
import { formatDuration, type SweepProgress as BarProgress } from '@ovus/ui';

export interface ApiSweepProgress {
  done?: number;
  total: number;
  byStatus: Record<'queued' | 'running' | 'finished' | 'failed' | 'killed' | 'stale', number>;
  etaMs: number | null;
}

export function progressBar(progress: ApiSweepProgress): { progress: BarProgress; etaText: string | null } {
  const s = progress.byStatus;
  return {
    progress: { finished: s.finished, failed: s.failed + s.killed + s.stale, running: s.running, queued: s.queued },
    etaText: progress.etaMs !== null && (s.running > 0 || s.queued > 0) ? formatDuration(progress.etaMs) : null,
  };
}

/**
 * The status to show for a sweep: the stored one (kept in step with its runs by the tracking
 * store's run status writes), unless its runs say otherwise — for sweeps stored before the status
 * was kept: one whose runs have all ended reads finished (failed when one failed), one with a run
 * training reads running.
 */
export function sweepDisplayStatus(sweep: { status: string; progress: ApiSweepProgress & { done: number } }): string {
  const s = sweep.progress.byStatus;
  if (sweep.status === 'cancelled') return sweep.status;
  if (s.running > 0) return 'running';
  if (sweep.progress.total > 0 && s.queued === 0 && sweep.progress.done === sweep.progress.total) return s.failed + s.killed + s.stale > 0 ? 'failed' : 'finished';
  return sweep.status;
}
