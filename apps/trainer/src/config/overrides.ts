// `--set key=value` on the command line: a dotted key of the run config and a YAML value, so
// `--set epochs=2`, `--set tasks=[malignancy,solid]` and `--set pretrainedWeights=null` all work.
import { parse } from 'yaml';
import { ConfigError } from './config-error';
import { deepMerge, nestAt, type PlainObject } from './merge';

export function parseOverrides(assignments: readonly string[]): PlainObject {
  const layers: PlainObject[] = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const key = eq > 0 ? assignment.slice(0, eq).trim() : '';
    if (!/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/.test(key)) {
      throw new ConfigError('--set', [{ path: [], message: `'${assignment}' is not key=value (for example --set epochs=2 or --set optimizer.learningRate=0.001)` }]);
    }
    let value: unknown;
    try {
      value = parse(assignment.slice(eq + 1));
    } catch (error) {
      throw new ConfigError('--set', [{ path: [], message: `the value of ${key} is not valid YAML: ${(error as Error).message}` }]);
    }
    layers.push(nestAt(key.split('.'), value ?? null));
  }
  return deepMerge(...layers);
}
