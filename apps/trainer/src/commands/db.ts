// ovus db status | stop: the embedded PostgreSQL (used when DATABASE_URL is unset). Every ovus
// process that opens it registers as a user and the last one to leave stops it, so it normally
// needs no care; `stop` is for a server left running by a process that was killed (SIGKILL).
import type { Command } from 'commander';
import { embeddedDatabaseStatus, stopEmbeddedDatabase, userDataDir } from '@ovus/tracking';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';

export function registerDbCommand(program: Command, context: CliContext): void {
  const db = program.command('db').description('the embedded PostgreSQL in the data folder (when DATABASE_URL is unset)');

  db.command('status')
    .description('whether the embedded server runs, on which port, and which ovus processes use it')
    .action(async () => {
      context.env();
      const status = await embeddedDatabaseStatus();
      context.io.out(
        status.server === null
          ? `The embedded PostgreSQL in ${status.clusterDir} is not running.\n`
          : `The embedded PostgreSQL in ${status.clusterDir} runs (pid ${status.server.pid}, port ${status.server.port}); ` +
              `${status.users.length === 0 ? 'no ovus process uses it' : `used by pid ${status.users.join(', ')}`}.\n`,
      );
    });

  db.command('stop')
    .description('stop the embedded server (refused while ovus processes use it, unless --force)')
    .option('--force', 'stop it even though live ovus processes use it (they then spill to their journals)')
    .action(async (options: { force?: boolean }) => {
      context.env();
      const result = await stopEmbeddedDatabase(userDataDir(), { force: options.force === true });
      if (result.server === null) {
        context.io.out(`The embedded PostgreSQL in ${result.clusterDir} is not running.\n`);
      } else if (result.stopped) {
        context.io.out(`Stopped the embedded PostgreSQL in ${result.clusterDir} (pid ${result.server.pid}).\n`);
      } else {
        throw new CliError(
          `The embedded PostgreSQL is used by ovus process(es) ${result.users.join(', ')}; it stops by itself when the last one ends. Add --force to stop it now.`,
          EXIT_CODES.refused,
        );
      }
    });
}
