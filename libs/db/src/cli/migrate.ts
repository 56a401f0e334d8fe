// npm run db:migrate [-- --rolled-back <migration>]
// Applies the committed migrations to DATABASE_URL, or to the embedded PostgreSQL when it is
// unset. Running it again changes nothing. --rolled-back marks a failed migration as rolled back
// first (after you fixed its SQL), so that it is tried again.
import { Command } from 'commander';
import { applyMigrations, markMigrationRolledBack, redactUrl } from '../migrations';
import { resolveDatabase } from '../resolve-database';

const program = new Command()
  .name('db:migrate')
  .description('Apply the committed SQL migrations in prisma/migrations')
  .option('--rolled-back <migration>', 'mark a failed migration as rolled back before applying')
  .action(async (options: { rolledBack?: string }) => {
    const db = await resolveDatabase();
    try {
      const where = db.embedded ? `the embedded PostgreSQL (${redactUrl(db.url)})` : redactUrl(db.url);
      if (options.rolledBack) {
        await markMigrationRolledBack(db.url, options.rolledBack);
        console.log(`Marked ${options.rolledBack} as rolled back in ${where}.`);
      }
      const { applied } = await applyMigrations(db.url);
      if (applied.length === 0) console.log(`${where} is up to date; no migration applied.`);
      else console.log(`Applied to ${where}:\n${applied.map((name) => `  ${name}`).join('\n')}`);
    } finally {
      await db.stop();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
