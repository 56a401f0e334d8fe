/** Loads an optional package; injectable so tests can drive the fallback chain. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

// A variable specifier keeps bundlers and TypeScript from resolving packages that are not
// installed (tfjs-node and tfjs-node-gpu cannot install on machines without their download host).
export const importOptionalModule: ModuleLoader = (specifier) => import(/* @vite-ignore */ specifier);

/** First line of an error, for one-line reasons. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}
