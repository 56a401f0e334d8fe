// Statements that must share one connection (a transaction, or an insert and its follow-up) run
// on a client checked out of the pool. While a client is checked out, pg-pool stops listening for
// its 'error' event, so a server that ends the connection between two statements (restart,
// failover, the outage test) would surface as an uncaught exception and kill the process — the
// tracking client is meant to ride that out. So a listener is attached for the time the client is
// out, and a client whose connection failed is destroyed instead of going back to the pool.
import type pg from 'pg';
import { ParamConflictError, TrackingInputError, UnknownRunError } from '../errors';

export interface PoolClientOptions {
  /** Wrap the body in BEGIN … COMMIT (ROLLBACK on failure). */
  transaction?: boolean;
}

export async function withPoolClient<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>, options: PoolClientOptions = {}): Promise<T> {
  const client = await pool.connect();
  let connectionLost = false;
  const onError = () => {
    connectionLost = true;
  };
  client.on('error', onError);
  let broken = false;
  try {
    if (options.transaction) await client.query('BEGIN');
    const result = await body(client);
    if (options.transaction) await client.query('COMMIT');
    return result;
  } catch (error) {
    if (options.transaction) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection is gone
      });
    } else {
      broken = isConnectionError(error);
    }
    throw error;
  } finally {
    broken ||= connectionLost;
    // A destroyed client keeps the listener: a late 'error' from its socket must not crash us either.
    if (!broken) client.off('error', onError);
    client.release(broken);
  }
}

/** A failure that leaves the connection unusable, so it must not go back to the pool. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof UnknownRunError || error instanceof TrackingInputError || error instanceof ParamConflictError) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  // Errors the server reported carry a severity; only connection and shutdown classes break the session.
  if (typeof severity === 'string') return typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'));
  return true; // socket-level failures
}
