/**
 * The error text a run gets when it is marked stale. A silent run has either died or ended while
 * the database was unreachable; in the second case its ending waits in a journal on its host, which
 * no other host can see, so the text says where to replay it.
 */
export function staleMessage(lastSign: number | null, olderThanMs: number, host: string | null = null): string {
  const since = lastSign === null ? 'ever' : `since ${new Date(lastSign).toISOString()}`;
  const where = host === null ? 'its host' : host;
  return (
    `No heartbeat ${since} (threshold ${Math.round(olderThanMs / 1000)} s): the process probably died. Re-run it, or resume it from its last checkpoint. ` +
    `If it ended while the database was unreachable, its ending is in a journal on ${where}: run ovus journal replay there.`
  );
}
