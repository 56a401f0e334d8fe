// ovus user add|list|remove: the team's dashboard accounts. Passwords come from a prompt or stdin,
// never from an argument. Accounts live in the tracking database (DATABASE_URL or the embedded one).
import type { Command } from 'commander';
import { OVUS } from '../cli/command-line';
import { userInfo } from 'node:os';
import { addUser, listUsers, openAccountAdmin, removeUser, UserInputError, type OpenAuth } from '@ovus/auth';
import type { CliContext } from '../cli/context';
import { CliError, EXIT_CODES } from '../cli/errors';
import { readSecret } from '../cli/read-secret';
import { openDatabase } from '../runtime/services';

async function withAccounts<T>(context: CliContext, work: (accounts: OpenAuth) => Promise<T>): Promise<T> {
  const database = await openDatabase(context.env());
  const accounts = openAccountAdmin({ databaseUrl: database.url });
  try {
    return await work(accounts);
  } catch (error) {
    if (error instanceof UserInputError) throw new CliError(error.message, EXIT_CODES.badConfig);
    throw error;
  } finally {
    await accounts.close();
    await database.close();
  }
}

function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export function registerUserCommand(program: Command, context: CliContext): void {
  const user = program.command('user').description('manage the team accounts that sign in to the dashboard');

  user
    .command('add')
    .description('add an account (the password is asked for, or read from stdin; never an argument)')
    .argument('<email>', 'the person\'s email address, used to sign in')
    .option('--admin', 'may manage accounts and read the audit log (default: member)')
    .option('--name <name>', 'the name shown in the dashboard (default: the part of the email before @)')
    .action(async (email: string, options: { admin?: boolean; name?: string }) => {
      const stdin = context.io.stdin ?? process.stdin;
      const password = await readSecret(stdin, `Password for ${email}: `, context.io.err);
      if (stdin.isTTY) {
        const again = await readSecret(stdin, 'Same password again: ', context.io.err);
        if (again !== password) throw new CliError('The two passwords differ; nothing was changed.', EXIT_CODES.badConfig);
      }
      const added = await withAccounts(context, (accounts) =>
        addUser(accounts, { email, password, role: options.admin ? 'admin' : 'member', name: options.name, addedBy: operator() }),
      );
      context.io.out(`Added ${added.role} ${added.email}.\n`);
    });

  user
    .command('list')
    .description('list the accounts, their roles and last sign-in')
    .action(async () => {
      const users = await withAccounts(context, listUsers);
      if (users.length === 0) {
        context.io.out(`No accounts yet. Add one with: ${OVUS} user add <email> --admin\n`);
        return;
      }
      const rows = users.map((u) => [u.email, u.role, u.name, u.createdAt.toISOString().slice(0, 16).replace('T', ' '), u.lastSignInAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never']);
      context.io.out(formatTable(['email', 'role', 'name', 'added (UTC)', 'last sign-in (UTC)'], rows));
    });

  user
    .command('remove')
    .description('remove an account: its sessions end at once and the share links it made are revoked')
    .argument('<email>')
    .action(async (email: string) => {
      const removed = await withAccounts(context, (accounts) => removeUser(accounts, email, operator()));
      context.io.out(`Removed ${removed.email}; ${removed.revokedShareLinks} share link(s) revoked.\n`);
    });
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
