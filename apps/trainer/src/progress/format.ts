// Number and duration formats shared by the bar and the plain lines.

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toFixed(4) : String(loss);
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '?';
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

/** The tail of a run's last line: how long it trained, or that it never started, and why it ended. */
export function formatEnding(end: { epochs: number; error?: string }, meter: { started: boolean; elapsedMs: number }): string {
  const span = meter.started ? `after ${end.epochs} epochs in ${formatDuration(meter.elapsedMs)}` : 'before training started';
  return `${span}${end.error ? `: ${end.error}` : ''}`;
}
