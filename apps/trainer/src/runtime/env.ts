// The environment the trainer reads, validated once, with messages naming the variable.
import { z } from 'zod';
import { CliError, EXIT_CODES } from '../cli/errors';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\/\S+$/.test(v) && URL.canParse(v), 'must be a PostgreSQL URL such as postgres://user:password@host:5432/ovus')
      .optional(),
  ),
  /** The name a worker records on its runs (Kubernetes: the node name). */
  OVUS_HOST: z.preprocess(emptyAsUnset, z.string().max(255).optional()),
  /** Force the progress display: 'bar' or 'plain' (default: bar on a terminal). */
  OVUS_PROGRESS: z.preprocess(emptyAsUnset, z.enum(['bar', 'plain']).optional()),
  /** The commit recorded on runs when the code has no .git (container images); default: git rev-parse HEAD. */
  OVUS_GIT_COMMIT: z.preprocess(emptyAsUnset, z.string().max(64).optional()),
  /** Plain progress: seconds between step lines. */
  OVUS_PROGRESS_INTERVAL_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().positive().default(10)),
});

export type TrainerEnv = z.infer<typeof envSchema>;

export function parseTrainerEnv(source: NodeJS.ProcessEnv = process.env): TrainerEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
  throw new CliError(`Invalid environment:\n${lines.join('\n')}\nFix or unset these variables and run again.`, EXIT_CODES.badConfig);
}
