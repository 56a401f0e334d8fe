// Which failures are worth retrying (and spilling to the journal for later) rather than reporting:
// the database being unreachable, restarting, overloaded, or a lost race that will succeed next time.
import { ParamConflictError, TrackingInputError, UnknownRunError } from '../errors';

const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown (server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-postgres reports lost connections with plain Errors and these messages.
const TRANSIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable|database system is (starting up|shutting down|in recovery mode)/i;

export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof TrackingInputError || error instanceof UnknownRunError || error instanceof ParamConflictError) return false;
  if (error instanceof AggregateError) return error.errors.some(isTransientDatabaseError);
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code))) {
    return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && TRANSIENT_MESSAGE.test(message);
}
