// The Prisma client over node-postgres. Prisma 7 has no built-in driver: queries run in its wasm
// query compiler and go to PostgreSQL through this adapter. Giving it our own pg.Pool lets the bulk
// paths (COPY, unnest inserts in libs/tracking) share the same connections.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';

export { PrismaClient };

export interface PoolOptions {
  /** Largest number of connections the pool opens (default 5). */
  maxConnections?: number;
  /** How long to wait for a new connection before failing (default 5000 ms), so an unreachable
   *  server shows up as an error instead of a hang. */
  connectionTimeoutMs?: number;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
  });
  // An idle connection that the server closes (restart, failover) must not crash the process;
  // the next query gets a fresh connection and reports its own error.
  pool.on('error', () => undefined);
  return pool;
}

/** A Prisma client for `url`, or over an existing pool (which the client then does not end). */
export function createPrismaClient(urlOrPool: string | pg.Pool, options: PoolOptions = {}): PrismaClient {
  const adapter =
    typeof urlOrPool === 'string'
      ? new PrismaPg({ connectionString: urlOrPool, max: options.maxConnections ?? 5 })
      : new PrismaPg(urlOrPool);
  return new PrismaClient({ adapter });
}

export interface DbConnection {
  url: string;
  /** For raw SQL and bulk work. */
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Disconnects Prisma and ends the pool. */
  close(): Promise<void>;
}

/** A pool and a Prisma client sharing it. */
export function connect(url: string, options: PoolOptions = {}): DbConnection {
  const pool = createPool(url, options);
  const prisma = createPrismaClient(pool);
  let closed = false;
  return {
    url,
    pool,
    prisma,
    close: async () => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
