/** The error text a run gets when it is marked stale. */
export function staleMessage(lastSign: number | null, olderThanMs: number): string {
  const since = lastSign === null ? 'ever' : `since ${new Date(lastSign).toISOString()}`;
  return `No heartbeat ${since} (threshold ${Math.round(olderThanMs / 1000)} s): the process probably died. Re-run it, or resume it from its last checkpoint.`;
}
