// Turns the API's NOT_FOUND (and BAD_REQUEST: a malformed id in a pasted URL) into the page's
// 404; every other error goes to the error boundary. The error comes from the run-time-loaded
// API (./api.ts), so it is recognised by its name and code, not by instanceof.
import { notFound } from 'next/navigation';

export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const e = error as { name?: string; code?: string };
    if (e?.name === 'TRPCError' && (e.code === 'NOT_FOUND' || e.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}
