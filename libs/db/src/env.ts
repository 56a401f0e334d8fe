// The environment this library reads, validated once. A bad value stops start-up with a message
// that names the variable and says what it should look like.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
  });

const absolutePath = z
  .string()
  .trim()
  .refine((value) => isAbsolute(value), { message: 'must be an absolute path' });

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl.optional()),
  TEST_DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl.default('postgres://postgres@127.0.0.1:5432/postgres')),
  OVUS_DATA_DIR: z.preprocess(emptyAsUnset, absolutePath.optional()),
  XDG_DATA_HOME: z.preprocess(emptyAsUnset, absolutePath.optional()),
  OVUS_EMBEDDED_PG_PORT: z.preprocess(
    emptyAsUnset,
    z.coerce.number().int().min(1024).max(65535).default(54329),
  ),
});

export type DbEnv = z.infer<typeof envSchema>;

/** A bad environment variable: bad input, which the CLI reports with exit code 2. */
export class InvalidEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Validates `source` (default process.env); throws naming every bad variable. */
export function parseDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
  throw new InvalidEnvironmentError(`Invalid environment:\n${lines.join('\n')}\nFix or unset these variables and run again.`);
}

let cached: DbEnv | undefined;

/** process.env, validated on first use. */
export function dbEnv(): DbEnv {
  cached ??= parseDbEnv();
  return cached;
}

/** OVUS_DATA_DIR, else $XDG_DATA_HOME/ovus, else ~/.local/share/ovus. */
export function dataDir(env: DbEnv = dbEnv()): string {
  return env.OVUS_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'ovus');
}
