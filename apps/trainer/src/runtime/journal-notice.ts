// Tracking clients that closed while the database was unreachable leave their writes in the local
// journal. The command that ran them must not end as if all were stored: it says where the
// writes are and how they get in (runCli prints it), and exits with EXIT_CODES.journaled.
import { existsSync } from 'node:fs';
import type { TrackingClientClosed } from '@ovus/tracking';
import { ovusCommand } from '../cli/command-line';

const left: TrackingClientClosed[] = [];

export function noteJournalLeft(closed: TrackingClientClosed): void {
  if (closed.journalLines > 0) left.push(closed);
}

/** The journals left since the last call, as a message; null when everything reached the database. */
export function takeJournalNotice(): string | null {
  // A journal replayed since (a worker's maintenance, the database back before the end) is gone.
  const notes = left.splice(0).filter((n) => existsSync(n.journalFile));
  if (notes.length === 0) return null;
  const lines = notes.map((n) => {
    const endings = n.endingsInJournal.length > 0 ? ` (with the ending of run ${n.endingsInJournal.join(', ')})` : '';
    return `  ${n.journalLines} journal line(s)${endings} in ${n.journalFile}`;
  });
  return (
    'The database was unreachable when training ended, so these writes are only in the journal on this host:\n' +
    `${lines.join('\n')}\n` +
    'Nothing is lost: the next ovus command that opens the database on this host writes them in, or do it now with: ' + ovusCommand('journal', 'replay') + '\n'
  );
}
