// One log line per queue event, so a worker's log tells which runs it took and how they ended.
import type { WorkerEvent } from '@ovus/jobs';
import { formatDuration } from '../progress';

export function describeWorkerEvent(event: WorkerEvent): string {
  switch (event.kind) {
    case 'claimed':
      return `claimed run ${event.runId} (attempt ${event.attempt}) on ${event.host}`;
    case 'completed':
      return `run ${event.runId} completed in ${formatDuration(event.durationMs)}`;
    case 'failed':
      return `run ${event.runId} failed on attempt ${event.attempt}${event.willRetry ? ' (it will be retried)' : ' (no retries left)'}: ${event.error}`;
    case 'lease-lost':
      return `run ${event.runId}: stopped working on it — ${event.reason}`;
    case 'error':
      return `queue error: ${event.error.message}`;
  }
}
