// ovus journal list | replay: the tracking journal, where runs' writes wait while the database is
// unreachable. Every ovus command that opens the database replays this host's orphaned journals
// in the background; `replay` does it in the foreground and says what it did.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { listJournals, replayOrphanJournals, userDataDir } from '@ovus/tracking';
import type { CliContext } from '../cli/context';
import { ovusCommand } from '../cli/command-line';
import { CliError, EXIT_CODES } from '../cli/errors';
import { openDatabase } from '../runtime/services';

export function registerJournalCommand(program: Command, context: CliContext): void {
  const journal = program.command('journal').description("the tracking journal: writes kept on this host while the database was unreachable");

  journal
    .command('list')
    .description('list the journals in the data folder, per database, with their size and whether their process is alive')
    .action(async () => {
      context.env();
      const root = join(userDataDir(), 'journal');
      const databases = (await readdir(root, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name);
      let count = 0;
      for (const name of databases.sort()) {
        for (const file of await listJournals(join(root, name))) {
          count += 1;
          const state = file.ownerAlive === null ? 'written on another host' : file.ownerAlive ? 'its process is running' : 'waiting for replay';
          context.io.out(`${name}\t${file.file}\t${(file.bytes / 1e6).toFixed(1)} MB\t${state}\n`);
          for (const ending of file.endings) {
            context.io.out(`  run ${ending.runId} ended ${ending.status} at ${new Date(ending.at).toISOString()}: that ending is only in this journal\n`);
          }
        }
      }
      context.io.out(count === 0 ? `No journals in ${root}: everything reached the database.\n` : `${count} journal(s). Replay with: ${ovusCommand('journal', 'replay')}\n`);
    });

  journal
    .command('replay')
    .description("write this host's orphaned journals for the database (DATABASE_URL or the embedded one) into it")
    .action(async () => {
      const database = await openDatabase(context.env(), { recoverJournals: false });
      try {
        const report = await replayOrphanJournals({
          store: database.store,
          journalDir: database.journalDir,
          onWarning: (m) => context.io.err(`${m}\n`),
          onError: (e) => context.io.err(`${e.message}\n`),
        });
        const live = (await listJournals(database.journalDir)).filter((j) => j.ownerAlive === true).length;
        context.io.out(
          `Replayed ${report.replayed.length} journal(s) (${report.entries} write(s)) into ${database.displayUrl}.` +
            (live > 0 ? ` ${live} journal(s) belong to running processes, which replay them themselves.` : '') +
            '\n',
        );
        if (report.remaining.length > 0) {
          throw new CliError(`${report.remaining.length} journal(s) are left: the database went away during the replay. Run ${ovusCommand('journal', 'replay')} again.`, EXIT_CODES.failure);
        }
      } finally {
        await database.close();
      }
    });
}
