// The baseline: the same rows through PostgreSQL's COPY (pg-copy-streams), the fastest way in, with
// no idempotence and no latest_metric upkeep. Building the text is timed too: a client must encode.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the baseline bypasses the store on purpose
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MetricPoint } from '@ovus/tracking';

const CHUNK = 50_000; // rows per text chunk handed to the stream

function* copyText(runId: string, points: readonly MetricPoint[]): Generator<string> {
  for (let i = 0; i < points.length; i += CHUNK) {
    let text = '';
    const end = Math.min(i + CHUNK, points.length);
    for (let j = i; j < end; j += 1) {
      const p = points[j] as MetricPoint;
      text += `${runId}\t${p.key}\t${p.step}\t${p.value}\t${new Date(p.timestamp).toISOString()}\n`;
    }
    yield text;
  }
}

export async function copyPoints(pool: pg.Pool, runId: string, points: readonly MetricPoint[]): Promise<void> {
  const client = await pool.connect();
  try {
    const sink = client.query(copyFrom('COPY metric (run_id, key, step, value, "timestamp") FROM STDIN'));
    await pipeline(Readable.from(copyText(runId, points)), sink);
  } finally {
    client.release();
  }
}
