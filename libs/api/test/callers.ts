// What the API tests call as: a signed-in member (what the dashboard's pages call as), and the
// tRPC error code a call ends with.
import { TRPCError } from '@trpc/server';
import { createCaller, createContext, memberCaller, type DashboardDatabase } from '../src/index';

export const TEST_MEMBER = memberCaller({ id: 'test-member', email: 'member@example.org', name: 'Member', role: 'member' });

export function memberApi(db: DashboardDatabase): ReturnType<typeof createCaller> {
  return createCaller(createContext({ db, caller: TEST_MEMBER }));
}

/** 'OK', or the TRPCError code the call was refused with (anything else is rethrown). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return 'OK';
}
