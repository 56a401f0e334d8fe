'use client';
// Re-renders the page's server components every few seconds while something on it is still
// changing (a run training, a sweep in progress) — fresh data without a reload, and no polling
// once everything has ended.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function AutoRefresh({ active, intervalMs = 3000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? (
    <span className="live-note" role="status">
      <span className="ui-pulse" aria-hidden="true" /> live — updates every {Math.round(intervalMs / 1000)} s
    </span>
  ) : null;
}
