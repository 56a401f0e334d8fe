// Builds the dashboard once before the browser tests (a no-op when the build is fresh).
import { ensureBuilt } from '../src/serve/server';

export default async function setup(): Promise<void> {
  await ensureBuilt((line) => process.stdout.write(`${line}\n`));
}
