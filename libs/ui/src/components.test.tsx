// Static rendering of the components: the markup carries the numbers and marks it was given.
// (recharts draws its SVG only in a browser: the charts are checked by the dashboard's e2e tests.)
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
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
    expect(html).not.toContain('Coverage');
  });

  it('marks rule baselines, adds their coverage and shows published figures in words', () => {
    const html = renderToStaticMarkup(
      <ScoreTable
        caption="Backbones"
        rowHeader="Backbone"
        chosen="f1"
        rows={[
          { key: 'a', label: 'resnet18', n: 3, scores: { f1: { mean: 0.6, lo: 0.5, hi: 0.7 } }, standing: 'best', paper: 0.537 },
          { key: 'r', label: 'IOTA Simple Rules', n: 1, scores: { f1: { mean: 0.9, lo: null, hi: null } }, standing: 'tie', ruleBaseline: true, coverage: { mean: 0.7, lo: 0.4, hi: 0.894 }, paperText: 'decided 77%' },
        ]}
      />,
    );
    expect(html).toContain('>Coverage</th>');
    expect(html).toContain('data-rule-baseline="true"');
    expect(html).toContain('rule baseline');
    expect(html).toContain('70% [40–89%]');
    expect(html).toContain('>all</td>');
    expect(html).toContain('decided 77%');
  });
});

describe('LabelTable', () => {
  it('lays out benign and malignant counts per class with totals and the paper beside them', () => {
    const html = renderToStaticMarkup(
      <LabelTable
        classCounts={{ benign: 6, malignant: 4 }}
        paperClassCounts={{ benign: 174, malignant: 83 }}
        rows={[
          { parameter: 'blood_flow', title: 'Blood flow signal', code: 0, className: 'Non-exist', benign: 4, malignant: 1, paper: { benign: 110, malignant: 6 } },
          { parameter: 'blood_flow', title: 'Blood flow signal', code: 1, className: 'Exist', benign: 2, malignant: 3, paper: { benign: 64, malignant: 77 } },
        ]}
      />,
    );
    expect(html).toContain('Benign (n = 6)');
    expect(html).toContain('Blood flow signal');
    expect(html).toMatch(/data-parameter="blood_flow" data-code="1">.*?<td class="num">2<\/td><td class="num">3<\/td><td class="num" data-total="">5<\/td><td class="num ui-paper">64 \/ 77<\/td>/);
  });
});

