// Turning zod issues into sentences a person can act on: where (a path in the file), what was
// wrong, and what would be right.
import type { z } from 'zod';
import { didYouMean } from '@ovus/domain';
import { BACKBONE_NAMES } from './backbones';
import { keysAt } from './schema-walk';

export type ConfigPath = readonly (string | number)[];

export interface ConfigProblem {
  /** Where in the file (for the line number); may be shorter than the issue's path. */
  path: ConfigPath;
  /** When it was an unknown key, the key itself (its line is where the key is written). */
  unknownKey?: string;
  message: string;
}

/** `base.optimizer.learningRate`, `variants[1].backbone`. */
export function formatPath(path: ConfigPath): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the text '${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

/**
 * @param schema the schema the issues came from (to list valid keys)
 * @param prefix where the validated value sits in the file (e.g. ['base'])
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, prefix: ConfigPath): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    const where = formatPath(path) || 'the top level';
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const valid = keysAt(schema, issue.path as (string | number)[]);
        for (const key of issue.keys) {
          const hint = didYouMean(key, valid) || (valid.length ? `; valid keys: ${valid.join(', ')}` : '');
          problems.push({ path, unknownKey: key, message: `unknown key '${key}' at ${where}${hint}` });
        }
        break;
      }
      case 'invalid_value': {
        const choices = issue.values.map(String);
        const hint = didYouMean(String(input), choices) || '.';
        const isBackbone = issue.path[issue.path.length - 1] === 'backbone' || choices.join() === BACKBONE_NAMES.join();
        if (input === undefined) {
          problems.push({ path, message: `${where} is required; valid ${isBackbone ? 'backbones' : 'choices'}: ${choices.join(', ')}` });
          break;
        }
        problems.push({
          path,
          message: isBackbone
            ? `unknown backbone '${String(input)}' at ${where}${hint} Valid backbones: ${choices.join(', ')}.`
            : `${where}: ${describe(input)} is not a valid choice${hint} Valid choices: ${choices.join(', ')}.`,
        });
        break;
      }
      case 'invalid_type':
        problems.push({
          path,
          message: input === undefined ? `${where} is required` : `${where}: expected ${issue.expected}, got ${describe(input)}`,
        });
        break;
      case 'too_small':
      case 'too_big': {
        const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const relation = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
        const what = issue.origin === 'array' ? 'number of items' : issue.origin === 'string' ? 'length' : 'value';
        problems.push({ path, message: `${where}: ${describe(input)} is too ${issue.code === 'too_small' ? 'small' : 'big'}; the ${what} must be ${relation} ${String(limit)}` });
        break;
      }
      case 'invalid_union': {
        // A union of choices and a structure (e.g. classWeights): suggest among the choices.
        const choices = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values.map(String) : []));
        const hint = typeof input === 'string' ? didYouMean(input, choices) : '';
        const types = [...new Set(issue.errors.flat().flatMap((e) => (e.code === 'invalid_type' ? [e.expected] : [])))];
        const expected = choices.length
          ? ` Expected one of ${choices.join(', ')}, or a mapping.`
          : types.length
            ? ` Expected ${types.join(' or ')}.`
            : '';
        problems.push({ path, message: `${where}: ${describe(input)} is not allowed here${hint}${expected}` });
        break;
      }
      case 'custom':
        problems.push({ path, message: `${where}: ${issue.message}` });
        break;
      default:
        problems.push({ path, message: `${where}: ${input === undefined ? '' : `${describe(input)} — `}${issue.message}` });
    }
  }
  return problems;
}
