// The structured report of one pair: O-RADS wording, the impression with its caveat, drivers, the
// rules' verdict and what cannot be assigned — as text, Markdown, and a PDF that is rendered to a
// picture (poppler's pdftoppm) and looked at: pages of the right size, ink where the text is, the
// overlay's colours where the pictures are, and the words on the page (pdftotext).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStructuredReport, renderMarkdown, renderPdf, renderText, toWinAnsi, type ReportHead, type ReportInput } from '../src';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ovus-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const head = (task: ReportHead['task'], probabilities: number[], codes = [0, 1], names = ['Non-exist', 'Exist']): ReportHead => ({
  task,
  classes: probabilities.map((probability, i) => ({ code: codes[i], name: names[i], probability })),
});

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    caseId: 'C042',
    images: { bmus: 'C042_bmus.png', ceus: 'C042_ceus.png' },
    model: { runId: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b', backbone: 'resnet18', artifact: 'checkpoints/best-epoch-0007.ckpt', sha256: 'ab'.repeat(32), backend: 'wasm', inputSize: 128 },
    heads: [
      head('blood_flow', [0.12, 0.88]),
      head('boundary', [0.7, 0.3], [0, 1], ['Clear', 'Unclear']),
      head('echogenicity', [0.1, 0.6, 0.2, 0.1], [0, 1, 3, 4], ['Anechoic', 'Hypoechoic', 'Isoechoic', 'Hyperechoic']),
      head('morphology', [0.2, 0.8], [0, 1], ['Regular', 'Irregular']),
      head('papillary', [0.9, 0.1]),
      head('septation', [0.3, 0.7]),
      head('solid', [0.25, 0.75]),
      head('malignancy', [0.27, 0.73], [0, 1], ['Benign', 'Malignant']),
    ],
    absent: [],
    generatedAt: new Date('2026-12-07T15:30:00Z'),
    ...overrides,
  };
}

describe('structured report', () => {
  it('words every finding in O-RADS terms with its probability, gives the impression with its caveat, drivers, the rules and what is not assessed', () => {
    const report = buildStructuredReport(input());
    const text = renderMarkdown(report); // unwrapped lines; the text form wraps the same words
    expect(renderText(report).replace(/\s+/g, ' ')).toContain(text.split('\n').find((l) => l.startsWith('- Blood flow'))?.slice(2));
    expect(text).toMatch(/Blood flow signal: internal vascularity present \(colour score 2, 3 or 4\) \(model probability 88%\)\. Note: the model does not grade flow/);
    expect(text).toMatch(/Septation: septation present \(multilocular\) \(model probability 70%\)/);
    expect(text).toMatch(/Internal echogenicity: internal echoes \(hypoechoic\)/);
    expect(text).toMatch(/Model impression: malignant \(probability 73%\)\. The probability is the model’s softmax output: it has not been calibrated/);
    // Irregular + solid + flow: M1 with no B-feature.
    expect(report.rules.verdict).toBe('malignant');
    expect(text).toMatch(/Verdict: malignant \(IOTA Simple Rules\)/);
    expect(report.drivers.map((d) => [d.parameter, d.direction])).toEqual([
      ['morphology', 'towards malignant'],
      ['solid', 'towards malignant'],
      ['blood_flow', 'towards malignant'],
      ['septation', 'towards benign'],
    ]);
    expect(text).toMatch(/A single O-RADS US category cannot be assigned: O-RADS 4, 5 remain possible/);
    expect(text).toMatch(/colour score 2 vs 3 vs 4/);
    expect(text).toMatch(/lesion size/);
    expect(text).toMatch(/Decision support, not a diagnosis/);
    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(/^# Adnexal mass ultrasound — structured report \(decision support\)/);
    expect(markdown).toMatch(/\n## IOTA Simple Rules \(from the findings above\)\n/);
    expect(markdown).toMatch(/\n- B5 no blood flow \(colour score 1\): absent — blood flow signal present\n/);
  });

  it('says which heads are absent, and gives no impression without a malignancy head', () => {
    const report = buildStructuredReport(input({ heads: [head('blood_flow', [0.9, 0.1]), head('solid', [0.8, 0.2])], absent: ['boundary', 'echogenicity', 'morphology', 'papillary', 'septation', 'malignancy'] }));
    const text = renderMarkdown(report);
    expect(text).toMatch(/Septation: not assessed — this model has no head for it\./);
    expect(text).toMatch(/No benign\/malignant impression/);
    // B5 (no flow) is there, but M3 needs the papillary head: undecided for a missing input.
    expect(report.rules.verdict).toBe('not-evaluable');
    expect(text).toMatch(/Undecided because of: .*M3 \(missing papillary\)/);
    expect(text).toMatch(/O-RADS 1, 2, 3, 4, 5 remain possible \(septation, solid component, papillary projection or morphology is not known/);
  });

  it('renders a PDF that looks like the report when drawn as a picture', async () => {
    const overlay = await sharp({ create: { width: 128, height: 128, channels: 3, background: { r: 230, g: 20, b: 20 } } }).png().toBuffer();
    const pdf = await renderPdf(buildStructuredReport(input()), [
      { caption: 'BMUS - malignancy', png: overlay },
      { caption: 'CEUS - malignancy', png: overlay },
    ]);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    await run('pdftoppm', ['-png', '-r', '60', file, join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const { data, info } = await sharp(join(dir, pages[0])).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    // A4 at 60 dpi.
    expect(Math.abs(info.width - (595.28 / 72) * 60)).toBeLessThan(1.5);
    expect(Math.abs(info.height - (841.89 / 72) * 60)).toBeLessThan(1.5);
    let ink = 0;
    let red = 0;
    let titleInk = 0;
    for (let p = 0; p < info.width * info.height; p++) {
      const [r, g, b] = [data[p * 3], data[p * 3 + 1], data[p * 3 + 2]];
      if (r < 100 && g < 100 && b < 100) {
        ink++;
        if (Math.floor(p / info.width) < 60) titleInk++;
      }
      if (r > 200 && g < 60 && b < 60) red++;
    }
    const share = ink / (info.width * info.height);
    expect(share).toBeGreaterThan(0.01); // text on the page
    expect(share).toBeLessThan(0.3); // not a black page
    expect(titleInk).toBeGreaterThan(50); // the title at the top
    expect(red).toBeGreaterThan(2 * 70 * 70); // both pictures drawn (about 133 px each at 60 dpi)
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    expect(stdout).toMatch(/Adnexal mass ultrasound/);
    expect(stdout).toMatch(/Verdict: malignant \(IOTA Simple Rules\)/);
    expect(stdout).toMatch(/Decision support, not a diagnosis/);
    expect(stdout).toMatch(/>= 80 % solid/); // '≥' spelled out for the PDF's font
    if (process.env.OVUS_KEEP_REPORT) await writeFile(process.env.OVUS_KEEP_REPORT, await readFile(join(dir, pages[0])));
  });

  it('spells out characters the standard PDF fonts cannot encode', () => {
    expect(toWinAnsi('≥ 4 × 2 → ok… “x” – é')).toBe('>= 4 x 2 -> ok... ?x? – é');
  });
});
