// npm run dashboard: serves the dashboard (production build, built when missing or stale) on the
// database in DATABASE_URL, or the embedded one in the data folder when it is unset.
// Options: --port <n> (default $PORT or 3000), --host <addr> (default 127.0.0.1).
import { parseAuthEnv } from '@ovus/auth';
import { openTrackingDatabase } from '@ovus/tracking';
import { ensureBuilt, startDashboard } from './server';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(option('port') ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port must be a TCP port (1–65535), got '${option('port') ?? process.env.PORT}'.`);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  // Sign-in's settings first: a missing OVUS_AUTH_SECRET should not wait for a minute-long build.
  parseAuthEnv({ ...process.env, OVUS_PUBLIC_URL: process.env.OVUS_PUBLIC_URL || `http://127.0.0.1:${port}` });
  await ensureBuilt(log);
  // Opening the database here migrates it and, without DATABASE_URL, starts the embedded server,
  // which this process then owns and stops on exit.
  const database = await openTrackingDatabase();
  log(`Database: ${database.displayUrl}${database.embedded ? ' (embedded)' : ''}`);
  const server = await startDashboard({ port, host: option('host'), databaseUrl: database.url, log });
  log('Press Ctrl-C to stop.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  server.process.once('exit', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
