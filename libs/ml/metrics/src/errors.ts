/**
 * Thrown for inputs a metric cannot be computed from. The message names the argument, the
 * offending position and value, and what the caller should do, so that a trainer log line is
 * enough to find the bad row.
 */
export class MetricInputError extends Error {
  override readonly name = 'MetricInputError';
}
