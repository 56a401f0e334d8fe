// Static rendering of the components: the markup carries the numbers and marks it was given.
// (recharts draws its SVG only in a browser: the charts are checked by the dashboard's e2e tests.)
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { diffConfigs } from './config-diff';
import { LabelTable } from './label-table';
import { ScoreTable } from './score-table';

describe('ScoreTable', () => {
  it('prints mean ± half-width, bolds the best row and marks ties', () => {
    const html = renderToStaticMarkup(
      <ScoreTable
        caption="Backbones"
        rowHeader="Backbone"
        chosen="f1"
        rows={[
          { key: 'a', label: 'resnet18', n: 3, scores: { f1: { mean: 0.6, lo: 0.5, hi: 0.7 } }, standing: 'best', paper: 0.537 },
          { key: 'b', label: 'vgg16', n: 3, scores: { f1: { mean: 0.55, lo: 0.4, hi: 0.7 } }, standing: 'tie' },
        ]}
      />,
    );
    expect(html).toContain('<strong>0.600 ± 0.100</strong>');
    expect(html).toContain('0.550 ± 0.150');
    expect(html).toContain('0.537');
    expect(html).toContain('≈ best');
  });
});

describe('LabelTable', () => {
  it('lays out benign and malignant counts per class with totals', () => {
    const parameters = Object.fromEntries(
      ['blood_flow', 'boundary', 'echogenicity', 'morphology', 'papillary', 'septation', 'solid'].map((p) => [p, { benign: { '0': 4, '1': 2 }, malignant: { '0': 1, '1': 3 }, missing: 0 }]),
    );
    const html = renderToStaticMarkup(<LabelTable statistics={{ classCounts: { benign: 6, malignant: 4 }, parameters }} />);
    expect(html).toContain('Benign (n = 6)');
    expect(html).toContain('Blood flow signal');
    expect(html).toMatch(/data-parameter="blood_flow" data-code="1">.*?<td class="num">2<\/td><td class="num">3<\/td><td class="num">5<\/td>/);
  });
});

describe('diffConfigs', () => {
  it('keeps only the settings that differ', () => {
    const { rows, same } = diffConfigs([
      { backbone: 'a', optimizer: { lr: 0.1, name: 'adam' } },
      { backbone: 'b', optimizer: { lr: 0.1, name: 'adam' }, extra: true },
    ]);
    expect(rows).toEqual([
      { key: 'backbone', values: ['a', 'b'] },
      { key: 'extra', values: [null, 'true'] },
    ]);
    expect(same).toBe(2);
  });
});
