// npm run db:new-migration -- <name> [--allow-empty]
// Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes the schema
// as of the newest migration to the current prisma/schema.prisma, and updates the snapshot.
import { Command } from 'commander';
import { resolveDatabase } from '../resolve-database';
import { createNextMigration } from '../schema-diff';

const program = new Command()
  .name('db:new-migration')
  .description('Create the next SQL migration from changes to prisma/schema.prisma')
  .argument('<name>', 'what the migration does, in snake_case (e.g. add_run_notes)')
  .option('--allow-empty', 'write a migration even without schema changes, for hand-written SQL')
  .action(async (name: string, options: { allowEmpty?: boolean }) => {
    // The wasm engine must connect somewhere when it starts; it does not read or change this database.
    const db = await resolveDatabase();
    try {
      const result = await createNextMigration({ name, databaseUrl: db.url, allowEmpty: options.allowEmpty });
      if (!result.written) {
        console.log(result.reason);
        return;
      }
      console.log(`Wrote ${result.path}\nReview it, then apply it with \`npm run db:migrate\` and commit the folder and schema.snapshot.prisma.`);
    } finally {
      await db.stop();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
