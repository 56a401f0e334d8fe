// The selection router through createCaller against real PostgreSQL: analyses made by the real
// analysis (@ovus/ml-selection) from the fixture's labels and stored runs, saved through the
// tracking repository, then read back as the page and the share view read them — history with a
// cursor, one analysis with its rule and findings, the scores over time, the exports, NOT_FOUND.
import { findingSummaries, tablesFromCases, runSelection, type RunScores, type TaskScore } from '@ovus/ml-selection';
import { canonicalJson, sha256Hex } from '@ovus/data';
import { isTaskName, type TaskName } from '@ovus/domain';
import { authService, createAuth, createShareLink, parseAuthEnv } from '@ovus/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createContext } from '../src/index';
import { createFixture, makeCases, type Fixture } from './fixture';
import { codeOf, memberApi } from './callers';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let fx: Fixture;
let api: ReturnType<typeof createCaller>;
const analyses: string[] = [];

/** Analyses the fixture's sweep as `ovus select --sweep` does and stores it; returns its id. */
async function analyse(alpha: number): Promise<string> {
  const stored = await fx.repos.selections.scoredRuns([fx.sweepId]);
  const runs: RunScores[] = stored.map((r) => {
    const results: Partial<Record<TaskName, TaskScore>> = {};
    for (const [task, s] of Object.entries(r.results)) if (isTaskName(task)) results[task] = { ...s };
    return { runId: r.id, backbone: r.backbone, setting: r.backbone, replicate: `seed=${r.seed}`, tasks: r.tasks.filter(isTaskName), results };
  });
  const tables = tablesFromCases(makeCases(40));
  const result = runSelection({ tables, runs, thresholds: { alpha } });
  const { analysis, created } = await fx.repos.selections.save({
    projectId: fx.projectId,
    sweepId: fx.sweepId,
    sweepIds: [fx.sweepId],
    datasetVersionId: fx.datasetVersionId,
    method: result.rule,
    config: { thresholds: result.thresholds },
    selected: result.selected,
    contentHash: sha256Hex(canonicalJson({ result })),
    runIds: result.runIds,
    codeVersion: 'test',
    result,
    findings: findingSummaries(result),
  });
  expect(created).toBe(true);
  return analysis.id;
}

beforeAll(async () => {
  fx = await createFixture();
  api = memberApi(fx.repos);
  analyses.push(await analyse(0.05));
  analyses.push(await analyse(0.5));
});
afterAll(async () => {
  await fx?.drop();
});

describe('selection', () => {
  it('lists the project history newest first, pages with a cursor, refuses bad input', async () => {
    const all = await api.selection.list({ projectId: fx.projectId });
    expect(all.items.map((a) => a.id)).toEqual([...analyses].reverse());
    expect(all.items[0]).toMatchObject({ projectName: 'api-test', sweepName: 'backbones', sweepId: fx.sweepId, codeVersion: 'test' });
    const first = await api.selection.list({ projectId: fx.projectId, limit: 1 });
    expect(first.items.map((a) => a.id)).toEqual([analyses[1]]);
    const second = await api.selection.list({ projectId: fx.projectId, limit: 1, cursor: first.nextCursor });
    expect(second).toMatchObject({ items: [{ id: analyses[0] }], nextCursor: null });
    expect((await api.selection.list({ projectId: fx.otherProjectId })).items).toEqual([]);
    expect(await codeOf(api.selection.list({ projectId: UNKNOWN }))).toBe('NOT_FOUND');
    expect(await codeOf(api.selection.list({ projectId: 'garbage' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.selection.list({ projectId: fx.projectId, limit: 101 }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.selection.list({ projectId: fx.projectId, cursor: 'not-a-cursor' }))).toBe('BAD_REQUEST');
  });

  it('gets one analysis with its rule, thresholds and the seven findings in rank order', async () => {
    const a = await api.selection.get({ id: analyses[0] });
    expect(a.findings).toHaveLength(7);
    expect(a.findings.map((f) => f.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.thresholds.alpha).toBe(0.05);
    expect(a.ruleText[0]).toMatch(/^Rule association\+balance/);
    expect(a.paperSelected).toEqual(['blood_flow', 'morphology', 'septation', 'solid']);
    expect(a.selected).toEqual(a.findings.filter((f) => f.selected).map((f) => f.parameter));
    for (const f of a.findings) {
      expect(f.reason).toMatch(f.selected ? /^Kept: / : /^Dropped: /);
      expect(f.association.counts.flat().reduce((s, v) => s + v, 0)).toBe(f.association.n);
      expect(Object.keys(f.criteria).sort()).toEqual(['association', 'balance', 'contribution', 'predictability']);
    }
    // Morphology is the only parameter the fixture's runs trained: its predictability has runs.
    const morphology = a.findings.find((f) => f.parameter === 'morphology')!;
    expect(morphology.predictability?.runIds).toHaveLength(6);
    expect(morphology.predictability?.f1?.mean).toBeCloseTo((0.82 + 0.8 + 0.78 + 0.77 + 0.4 + 0.42) / 6, 6);
    expect(a.findings.find((f) => f.parameter === 'solid')!.predictability).toMatchObject({ f1: null, auc: null, runIds: [] });
    // The export's rows are the table the page shows.
    expect(a.table.rows.map((r) => r.label)).toEqual(a.findings.map((f) => `${f.title} (${f.selected ? 'kept' : 'dropped'})`));
    expect(await codeOf(api.selection.get({ id: UNKNOWN }))).toBe('NOT_FOUND');
    expect(await codeOf(api.selection.get({ id: 'x'.repeat(101) }))).toBe('BAD_REQUEST');
  });

  it('gives each parameter’s scores across the analyses, oldest first', async () => {
    const t = await api.selection.timeline({ projectId: fx.projectId });
    expect(t.parameters).toHaveLength(7);
    expect(t.points).toHaveLength(14);
    expect([...new Set(t.points.map((p) => p.analysisId))]).toEqual(analyses);
    const morph = t.points.filter((p) => p.parameter === 'morphology');
    expect(morph.every((p) => p.f1 !== null && p.cramersV !== null)).toBe(true);
    const detail = await api.selection.get({ id: analyses[1] });
    const kept = new Set(detail.selected);
    expect(t.points.filter((p) => p.analysisId === analyses[1]).every((p) => p.selected === kept.has(p.parameter))).toBe(true);
    expect(await codeOf(api.selection.timeline({ projectId: fx.projectId, limit: 201 }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.selection.timeline({ projectId: UNKNOWN }))).toBe('NOT_FOUND');
  });

  it('exports the findings as CSV, Markdown and LaTeX with the figures of the analysis', async () => {
    const a = await api.selection.get({ id: analyses[0] });
    const csv = await api.selection.export({ id: analyses[0], format: 'csv' });
    expect(csv.filename).toBe(`selection-${analyses[0].slice(0, 8)}.csv`);
    const lines = csv.content.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^Parameter,n,Cramér's V,/);
    const first = a.findings[0];
    expect(lines[1].startsWith(`${first.title} (${first.selected ? 'kept' : 'dropped'}),${first.association.n},${first.association.cramersV!.toFixed(3)},`)).toBe(true);
    const md = await api.selection.export({ id: analyses[0], format: 'markdown' });
    expect(md.content).toContain('| Parameter | n |');
    const tex = await api.selection.export({ id: analyses[0], format: 'latex' });
    expect(tex.content).toContain('\\begin{tabular}');
    expect(await codeOf(api.selection.export({ id: UNKNOWN, format: 'csv' }))).toBe('NOT_FOUND');
  });
});

describe('the clinician view of a selection analysis', () => {
  it('opens through a share link: which features were kept and why, in words, with no run ids or config', async () => {
    const auth = authService(createAuth({ prisma: fx.db.prisma, env: parseAuthEnv({ OVUS_AUTH_SECRET: 'x'.repeat(40), OVUS_PUBLIC_URL: 'http://localhost:3200' }) }));
    const owner = await fx.db.prisma.authUser.create({ data: { id: 'selection-owner', name: 'Owner', email: 'owner@example.org', role: 'member' } });
    const link = await createShareLink(fx.db.prisma, { id: owner.id, email: owner.email, role: 'member' }, { scope: 'selection', targetId: analyses[0] }, { ip: '10.1.2.3', userAgent: 'vitest' });
    const shared = createCaller(createContext({ db: fx.repos, caller: { kind: 'share', token: link.token }, auth, origin: { ip: '10.1.2.3', userAgent: 'vitest' } }));
    const result = await shared.share.view();
    expect(result.scope).toBe('selection');
    const view = result.view;
    if (view?.kind !== 'selection') throw new Error(`expected a selection view, got ${view?.kind}`);
    const detail = await api.selection.get({ id: analyses[0] });
    expect(view.parameters.map((p) => [p.parameter, p.kept])).toEqual(detail.findings.map((f) => [f.parameter, f.selected]));
    for (const p of view.parameters) expect(p.sentences[0]).toMatch(p.kept ? /^Kept because / : /^Not kept because /);
    const text = JSON.stringify(result);
    for (const secret of [...detail.runIds, fx.sweepId, 'backbones', 'alpha', detail.method]) expect(text).not.toContain(secret);
    // A member's own caller has no share view (they read the page).
    expect(await codeOf(api.share.view())).toBe('UNAUTHORIZED');
  });
});
