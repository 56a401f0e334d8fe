// Reads a YAML or JSON config file and keeps the document, so a problem at a path can be reported
// with its line number. (JSON is YAML 1.2, so one parser serves both.)
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, type LocatedProblem } from './config-error';
import type { ConfigProblem, ConfigPath } from './problems';

export interface SourceFile {
  path: string;
  data: unknown;
  locate(problems: readonly ConfigProblem[]): LocatedProblem[];
}

export async function readSourceFile(path: string): Promise<SourceFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new ConfigError(path, [{ path: [], message: `cannot read it: ${reason}` }]);
  }
  return parseSource(path, text);
}

export function parseSource(path: string, text: string): SourceFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map((e) => ({ path: [], line: lineCounter.linePos(e.pos[0]).line, message: `not valid YAML/JSON: ${e.message.split('\n')[0]}` })),
    );
  }
  return {
    path,
    data: doc.toJS(),
    locate: (problems) => problems.map((p) => ({ ...p, line: lineOf(doc, lineCounter, p.path, p.unknownKey) })),
  };
}

/** The line of the deepest node along `path` that exists in the document. */
function lineOf(doc: Document, lines: LineCounter, path: ConfigPath, unknownKey?: string): number | undefined {
  const full = unknownKey === undefined ? path : [...path, unknownKey];
  for (let depth = full.length; depth >= 0; depth -= 1) {
    const parentPath = full.slice(0, Math.max(0, depth - 1));
    const parent = depth === 0 ? doc.contents : doc.getIn(parentPath, true);
    if (depth === 0) return rangeLine(parent, lines);
    const key = full[depth - 1];
    if (isMap(parent)) {
      // Point at the key itself: for an unknown key that is where the typo is.
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      if (pair && isPair(pair)) return rangeLine(pair.key, lines);
    } else {
      const node = doc.getIn([...parentPath, key], true);
      const line = rangeLine(node, lines);
      if (line !== undefined) return line;
    }
  }
  return undefined;
}

function rangeLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}
