// The Prisma client over node-postgres. Prisma 7 has no built-in driver: queries run in its wasm
// query compiler and go to PostgreSQL through this adapter.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export { PrismaClient };
export type * from './generated/models';

export interface PrismaClientOptions {
  /** Largest number of connections the client's pool opens (default 5). */
  maxConnections?: number;
}

export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: options.maxConnections ?? 5 });
  return new PrismaClient({ adapter });
}
