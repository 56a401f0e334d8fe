// ovus iota --run <run>: the IOTA Simple Rules baseline on a network run's test cases, from the
// labelled parameters (upper bound) and from the run's predicted parameters, stored as two runs
// in the same sweep and split (backbone iota-simple-rules) so they sit in its backbone table.
import type { Command } from 'commander';
import { IOTA_2010_VALIDATION, type Proportion, type RuleBaselineSummary } from '@ovus/report';
import type { CliContext } from '../cli/context';
import { openDatabase } from '../runtime/services';
import { logRuleBaselines, type LoggedBaseline } from '../runtime/rule-baseline';

export function registerIotaCommand(program: Command, context: CliContext): void {
  program
    .command('iota')
    .description("score the IOTA Simple Rules on a run's test cases (labelled and predicted parameters) and store them as runs beside it")
    .requiredOption('--run <run>', 'the network run whose test cases and predicted parameters are used')
    .option('--json', 'print the summaries as JSON')
    .action(async (options: { run: string; json?: boolean }) => {
      const database = await openDatabase(context.env());
      try {
        const logged = await logRuleBaselines(database, options.run, (line) => context.io.err(`${line}\n`));
        if (options.json) {
          context.io.out(`${JSON.stringify(logged.map((l) => ({ runId: l.runId, name: l.name, source: l.source, summary: l.result.summary })), null, 2)}\n`);
        } else {
          context.io.out(formatBaselines(options.run, logged));
        }
      } finally {
        await database.close();
      }
    });
}

const pct = (p: Proportion) => (Number.isNaN(p.value) ? '—' : `${(100 * p.value).toFixed(0)}% [${(100 * p.lo).toFixed(0)}–${(100 * p.hi).toFixed(0)}] (${p.count}/${p.of})`);

function row(label: string, s: RuleBaselineSummary): string[] {
  return [label, String(s.counts.benign), String(s.counts.malignant), String(s.counts.inconclusive), String(s.counts['not-evaluable']), pct(s.coverage), pct(s.sensitivity), pct(s.specificity)];
}

export function formatBaselines(networkRunId: string, logged: readonly LoggedBaseline[]): string {
  const header = ['parameters', 'benign', 'malignant', 'inconclusive', 'not evaluable', 'coverage', 'sensitivity', 'specificity'];
  const rows = logged.map((l) => row(l.source === 'labels' ? 'labelled (upper bound)' : 'predicted by the run', l.result.summary));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const n = logged[0]?.result.summary.n ?? 0;
  return [
    `IOTA Simple Rules on the ${n} test cases of run ${networkRunId}:`,
    `  ${line(header)}`,
    ...rows.map((r) => `  ${line(r)}`),
    '',
    '  coverage = share of cases decided (benign or malignant); sensitivity and specificity on decided cases; 95% Wilson intervals.',
    `  Published (IOTA 2010 multicentre validation): decided ${IOTA_2010_VALIDATION.coverage * 100}%, sensitivity ${IOTA_2010_VALIDATION.sensitivity * 100}%, specificity ${IOTA_2010_VALIDATION.specificity * 100}%.`,
    '  Assumed: no ascites, no acoustic shadows (never recorded); an irregular tumour with a solid component is an irregular solid tumour (M1).',
    `  Stored as runs ${logged.map((l) => l.runId).join(' and ')} (backbone iota-simple-rules), in the run's sweep and split.`,
    '',
  ].join('\n');
}
