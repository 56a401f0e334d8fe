// A sweep's progress: one stacked bar of finished / failed / running / queued runs.
export interface SweepProgress {
  finished: number;
  failed: number;
  running: number;
  queued: number;
}

const PARTS: { key: keyof SweepProgress; label: string }[] = [
  { key: 'finished', label: 'done' },
  { key: 'failed', label: 'failed' },
  { key: 'running', label: 'running' },
  { key: 'queued', label: 'queued' },
];

export function SweepProgressBar({ progress, etaText }: { progress: SweepProgress; etaText?: string | null }) {
  const total = PARTS.reduce((sum, part) => sum + progress[part.key], 0);
  const summary = PARTS.map((part) => `${progress[part.key]} ${part.label}`).join(', ');
  return (
    <div className="ui-progress-wrap">
      <div
        className="ui-progress"
        role="progressbar"
        aria-label={`Runs: ${summary}`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={progress.finished + progress.failed}
      >
        {total > 0
          ? PARTS.map((part) =>
              progress[part.key] > 0 ? (
                <span key={part.key} className={`ui-progress-${part.key}`} style={{ width: `${(100 * progress[part.key]) / total}%` }} />
              ) : null,
            )
          : null}
      </div>
      <span className="ui-progress-text">
        {summary}
        {etaText ? ` · ETA ${etaText}` : ''}
      </span>
    </div>
  );
}
