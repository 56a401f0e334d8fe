import { describe, expect, it } from 'vitest';
import { exportScoreTable, formatPValue, formatScore, toCsv, toLatex, toMarkdown, type ScoreTable } from '../src/index';

const table: ScoreTable = {
  labelHeader: 'Backbone',
  metrics: ['Accuracy', 'F1', 'AUC'],
  rows: [
    { label: 'mobilenet-v3-small ×0.25', n: 3, best: true, cells: [{ mean: 0.7184, lo: 0.7, hi: 0.74 }, { mean: 0.65, lo: 0.6, hi: 0.7 }, { mean: 0.8, lo: null, hi: null }], paper: [0.718, 0.642, null] },
    { label: 'res_net|18', n: 1, tiedWithBest: true, cells: [{ mean: 0.5, lo: null, hi: null }, null, { mean: -0.00001, lo: -0.1, hi: 0.1 }], paper: null },
  ],
};

describe('score table exports', () => {
  it('writes CSV with numbers a script reads back, the same bytes every time', () => {
    expect(toCsv(table)).toBe(
      [
        'Backbone,n,Accuracy,Accuracy CI low,Accuracy CI high,Accuracy ± half-width,F1,F1 CI low,F1 CI high,F1 ± half-width,AUC,AUC CI low,AUC CI high,AUC ± half-width,best,not distinguishable from best,paper Accuracy,paper F1,paper AUC',
        'mobilenet-v3-small ×0.25,3,0.718,0.700,0.740,0.020,0.650,0.600,0.700,0.050,0.800,,,,yes,no,0.718,0.642,',
        'res_net|18,1,0.500,,,,,,,,0.000,-0.100,0.100,0.100,no,yes,,,',
        '',
      ].join('\n'),
    );
    expect(toCsv(table)).toBe(toCsv(structuredClone(table)));
  });

  it('writes Markdown with the best row bold and ties marked', () => {
    expect(toMarkdown(table)).toBe(
      [
        '| Backbone | n | Accuracy | F1 | AUC | Paper (Accuracy / F1 / AUC) |',
        '| :--- | ---: | ---: | ---: | ---: | ---: |',
        '| **mobilenet-v3-small ×0.25** | 3 | **0.718 ± 0.020** | **0.650 ± 0.050** | **0.800** | 0.718 / 0.642 / — |',
        '| res_net\\|18 † | 1 | 0.500 | — | 0.000 ± 0.100 | — |',
        '',
        'Mean ± half-width of the 95% confidence interval; **bold**: best. †: a paired test on the same test cases cannot tell it from the best (α = 0.05).',
        '',
      ].join('\n'),
    );
  });

  it('writes LaTeX booktabs with escaped labels and $\\pm$', () => {
    const latex = toLatex({ ...table, caption: 'Malignancy, test split (macro)' });
    expect(latex).toContain('\\begin{tabular}{l r c c c c}\n\\toprule\nBackbone & $n$ & Accuracy & F1 & AUC & Paper (Accuracy / F1 / AUC) \\\\\n\\midrule\n');
    expect(latex).toContain('\\textbf{mobilenet-v3-small $\\times$0.25} & 3 & \\textbf{0.718 $\\pm$ 0.020} & \\textbf{0.650 $\\pm$ 0.050} & \\textbf{0.800} & 0.718 / 0.642 / -- \\\\\n');
    expect(latex).toContain('res\\_net|18$^\\dagger$ & 1 & 0.500 & -- & 0.000 $\\pm$ 0.100 & -- \\\\\n\\bottomrule\n\\end{tabular}\n');
    expect(latex).toContain('\\caption{Malignancy, test split (macro)}');
    expect(latex.endsWith('\\end{table}\n')).toBe(true);
  });

  it('writes p-value columns so a tiny p stays readable (not 0.000) and reads back as a number', () => {
    const tests: ScoreTable = {
      labelHeader: 'Parameter',
      metrics: ["Cramér's V", 'Holm p'],
      columnKinds: ['score', 'p-value'],
      rows: [
        { label: 'blood flow', n: 120, cells: [{ mean: 0.61234, lo: null, hi: null }, { mean: 2.144e-12, lo: null, hi: null }] },
        { label: 'septation', n: 120, cells: [{ mean: 0.1, lo: null, hi: null }, { mean: 0.04321, lo: null, hi: null }] },
      ],
    };
    const csv = toCsv(tests).split('\n');
    expect(csv[1]).toBe("blood flow,120,0.612,,,,2.1e-12,,,,no,no");
    expect(csv[2]).toBe('septation,120,0.100,,,,0.043,,,,no,no');
    expect(Number(csv[1]?.split(',')[6])).toBeCloseTo(2.1e-12, 13);
    expect(toMarkdown(tests)).toContain('| blood flow | 120 | 0.612 | 2.1e-12 |');
    expect(toLatex(tests)).toContain('blood flow & 120 & 0.612 & 2.1e-12 \\\\');
    expect([formatPValue(null), formatPValue(Number.NaN), formatPValue(0.0009), formatPValue(0.001), formatPValue(1)]).toEqual(['—', '—', '9.0e-4', '0.001', '1.000']);
  });

  it('adds a Coverage column and the published figures in words only when a rule baseline is a row', () => {
    const withRules: ScoreTable = {
      ...table,
      rows: [...table.rows, { label: 'IOTA Simple Rules on labelled parameters', n: 1, ruleBaseline: true, tiedWithBest: true, cells: [{ mean: 0.9, lo: 0.8, hi: 1 }, null, null], coverage: { mean: 0.75, lo: 0.5, hi: 0.9 }, paperText: 'IOTA 2010: decided 77%, sensitivity 92%' }],
    };
    const csv = toCsv(withRules).split('\n');
    expect(csv[0]).toBe(
      'Backbone,n,Accuracy,Accuracy CI low,Accuracy CI high,Accuracy ± half-width,F1,F1 CI low,F1 CI high,F1 ± half-width,AUC,AUC CI low,AUC CI high,AUC ± half-width,Coverage,Coverage CI low,Coverage CI high,Coverage ± half-width,rule baseline,best,not distinguishable from best,paper Accuracy,paper F1,paper AUC,published figures',
    );
    expect(csv[1]).toBe('mobilenet-v3-small ×0.25,3,0.718,0.700,0.740,0.020,0.650,0.600,0.700,0.050,0.800,,,,,,,,no,yes,no,0.718,0.642,,');
    expect(csv[3]).toBe('IOTA Simple Rules on labelled parameters,1,0.900,0.800,1.000,0.100,,,,,,,,,0.750,0.500,0.900,0.200,yes,no,yes,,,,"IOTA 2010: decided 77%, sensitivity 92%"');
    const markdown = toMarkdown(withRules);
    expect(markdown).toContain('| Backbone | n | Accuracy | F1 | AUC | Coverage | Paper (Accuracy / F1 / AUC) |');
    expect(markdown).toContain('| IOTA Simple Rules on labelled parameters † | 1 | 0.900 ± 0.100 | — | — | 0.750 ± 0.200 | IOTA 2010: decided 77%, sensitivity 92% |');
    expect(markdown).toContain('| **mobilenet-v3-small ×0.25** | 3 | **0.718 ± 0.020** | **0.650 ± 0.050** | **0.800** | — | 0.718 / 0.642 / — |');
    expect(markdown).toMatch(/Coverage: share of test cases a rule baseline decided/);
    const latex = toLatex(withRules);
    expect(latex).toContain('\\begin{tabular}{l r c c c c c}');
    expect(latex).toContain('IOTA Simple Rules on labelled parameters$^\\dagger$ & 1 & 0.900 $\\pm$ 0.100 & -- & -- & 0.750 $\\pm$ 0.200 & IOTA 2010: decided 77\\%, sensitivity 92\\% \\\\\n');
    expect(toCsv(withRules)).toBe(toCsv(structuredClone(withRules)));
  });

  it('names files safely and formats single scores', () => {
    const file = exportScoreTable(table, 'latex', 'sweep: paper table/2');
    expect(file).toMatchObject({ filename: 'sweep-paper-table-2.tex', mediaType: 'application/x-tex; charset=utf-8' });
    expect(formatScore({ mean: Number.NaN, lo: null, hi: null })).toBe('NaN');
    expect(formatScore(null)).toBe('—');
  });
});
