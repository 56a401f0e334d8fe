// How numbers, intervals, sizes and times read across the dashboard: one place, so a table and
// its chart never disagree on rounding.

/** A score with 3 decimals, as the paper prints them; a dash for missing or non-finite values. */
export function formatScore(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** `mean ± half-width` of a 95% interval; the mean alone when the interval is unknown. */
export function formatMeanCi(mean: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined, digits = 3): string {
  if (mean === null || mean === undefined || !Number.isFinite(mean)) return '—';
  if (lo === null || lo === undefined || hi === null || hi === undefined) return formatScore(mean, digits);
  return `${mean.toFixed(digits)} ± ${((hi - lo) / 2).toFixed(digits)}`;
}

/** A share as a percentage with its interval, e.g. "70% [40–89%]" (intervals of a proportion need not be symmetric). */
export function formatShare(value: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const pct = (v: number) => `${Math.round(v * 100)}`;
  return lo === null || lo === undefined || hi === null || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi) ? `${pct(value)}%` : `${pct(value)}% [${pct(lo)}–${pct(hi)}%]`;
}

/** A metric value of any magnitude (losses, learning rates) in at most 4 significant digits. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

export function formatBytes(bytes: number | bigint | string): string {
  const n = Number(bytes);
  if (!Number.isFinite(n)) return String(bytes);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let unit = 0;
  while (v >= 1024 && unit < units.length - 1) {
    v /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** An absolute time in UTC, stable across the server's and the browser's time zones. */
export function formatTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
