// A sweep's run counts as the progress bar draws them: killed and stale runs count as failed
// (they will not finish unless retried), the ETA as a duration.
import { formatDuration, type SweepProgress as BarProgress } from '@ovus/ui';

export interface ApiSweepProgress {
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
