// Turns the API's NOT_FOUND into the page's 404; every other error goes to the error boundary.
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';

export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}
