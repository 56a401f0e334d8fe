// npm run db:migrate — applies the committed migrations to DATABASE_URL, or to the embedded
// PostgreSQL when it is unset. Running it again changes nothing.
import { applyMigrations, redactUrl } from '../migrations';
import { resolveDatabase } from '../resolve-database';

async function main(): Promise<void> {
  const db = await resolveDatabase();
  try {
    const { applied } = await applyMigrations(db.url);
    const where = db.embedded ? `embedded PostgreSQL (${redactUrl(db.url)})` : redactUrl(db.url);
    if (applied.length === 0) console.log(`${where} is up to date; no migration applied.`);
    else console.log(`Applied to ${where}:\n${applied.map((name) => `  ${name}`).join('\n')}`);
  } finally {
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
