// A run's or a sweep's status as a coloured pill; the word is always shown, so colour is never
// the only cue.
export type Status = 'queued' | 'pending' | 'running' | 'finished' | 'failed' | 'killed' | 'stale' | 'cancelled';

const TONE: Record<Status, string> = {
  queued: 'neutral',
  pending: 'neutral',
  running: 'info',
  finished: 'success',
  failed: 'danger',
  killed: 'warning',
  stale: 'warning',
  cancelled: 'neutral',
};

export function StatusBadge({ status }: { status: string }) {
  const tone = TONE[status as Status] ?? 'neutral';
  return (
    <span className={`ui-badge ui-badge-${tone}`} data-status={status}>
      {status === 'running' ? <span className="ui-pulse" aria-hidden="true" /> : null}
      {status}
    </span>
  );
}

export function TagChip({ name, value }: { name: string; value?: string }) {
  return (
    <span className="ui-chip">
      {name}
      {value !== undefined && value !== '' ? <span className="ui-chip-value">{value}</span> : null}
    </span>
  );
}
