// Clinical-parameter selection: the latest (or a chosen) analysis of a project as a table —
// association, predictability and contribution of each parameter with its intervals and tests,
// kept or dropped and why — the rule and thresholds it applied, our selected set beside the
// paper's, each parameter's scores across the project's analyses over time, and the history.
// Everything the page shows is in the query string: ?project=…&analysis=…&score=….
import { EmptyState, ErrorState, KeyValueList, SelectionComparison, SelectionTable, SelectionTimeline, formatTime, shortId } from '@ovus/ui';
import type { Metadata } from 'next';
import { ExportLinks } from '../../src/components/export-links';
import { PageHead } from '../../src/components/page-head';
import { readTimelineScore, selectionRows, timelinePoints, TIMELINE_SCORES, type SelectionAnalysis, type TimelineScore } from '../../src/components/selection-rows';
import { api, type Caller } from '../../src/server/api';
import { hrefWith, one, type SearchParams } from '../../src/url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Clinical-parameter selection' };

const FORMATS = ['csv', 'markdown', 'latex'] as const;
const FORMAT_LABELS = ['CSV', 'Markdown', 'LaTeX'] as const;
const HOW_TO = (
  <p>
    Run the analysis on a finished all-task sweep: <code>npx ovus select --sweep &lt;sweep&gt;</code> (queue the ablation runs it asks for with{' '}
    <code>npx ovus select plan &lt;sweep&gt; --submit</code>). Each analysis is stored once and appears here.
  </p>
);

function apiMessage(error: unknown): { code: string; message: string } {
  const e = error as { name?: string; code?: string; message?: string };
  return e?.name === 'TRPCError' ? { code: e.code ?? 'ERROR', message: e.message ?? '' } : { code: 'ERROR', message: 'The analysis could not be read.' };
}

async function ProjectPicker({ caller }: { caller: Caller }) {
  const projects = await caller.projects.list({ limit: 100 });
  return (
    <>
      <PageHead title="Clinical-parameter selection" sub="Which of the seven clinical parameters matter for malignancy, and why. Pick a project." />
      {projects.items.length === 0 ? (
        <EmptyState title="No projects yet">{HOW_TO}</EmptyState>
      ) : (
        <section className="card" aria-labelledby="pick-project">
          <h2 id="pick-project">Projects</h2>
          <ul>
            {projects.items.map((p) => (
              <li key={p.id}>
                <a href={hrefWith('/selection', {}, { project: p.id })} data-project-link={p.name}>
                  {p.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export default async function SelectionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const caller = await api();
  const projectId = one(query, 'project');
  if (!projectId) return <ProjectPicker caller={caller} />;
  const score: TimelineScore = readTimelineScore(one(query, 'score'));
  const head = (sub?: string) => <PageHead crumbs={[{ label: 'Projects', href: '/' }, { label: 'Selection', href: '/selection' }]} title="Clinical-parameter selection" sub={sub} />;

  let history: Awaited<ReturnType<Caller['selection']['list']>>;
  try {
    history = await caller.selection.list({ projectId, limit: 20 });
  } catch (error) {
    const { code, message } = apiMessage(error);
    return (
      <>
        {head()}
        <ErrorState title={code === 'NOT_FOUND' ? 'No such project' : 'The selection history could not be loaded'} message={message} hint={<a href="/selection">Pick a project</a>} />
      </>
    );
  }
  const project = await caller.projects.get({ id: projectId });
  if (history.items.length === 0) {
    return (
      <>
        {head(project.name)}
        <EmptyState title={`No selection analysis in ${project.name} yet`}>{HOW_TO}</EmptyState>
      </>
    );
  }
  const analysisId = one(query, 'analysis') || history.items[0].id;
  let analysis: SelectionAnalysis | undefined;
  let refused: string | null = null;
  try {
    analysis = await caller.selection.get({ id: analysisId });
    if (analysis.projectId !== projectId) refused = `Selection analysis ${analysisId} belongs to another project (${analysis.projectName}).`;
  } catch (error) {
    refused = apiMessage(error).message;
  }
  if (!analysis || refused) {
    const message = refused ?? 'The analysis could not be read.';
    return (
      <>
        {head(project.name)}
        <ErrorState title="This analysis could not be opened" message={message} hint={<a href={hrefWith('/selection', { project: projectId })}>Open the latest analysis of {project.name}</a>} />
      </>
    );
  }
  const [timeline, ...exports] = await Promise.all([
    caller.selection.timeline({ projectId, limit: 50 }),
    ...FORMATS.map((format) => caller.selection.export({ id: analysis.id, format })),
  ]);
  const titleOf = (p: string) => analysis.findings.find((f) => f.parameter === p)?.title ?? p;
  const latest = analysis.id === history.items[0].id;
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Projects', href: '/' }, { label: project.name, href: `/runs?project=${project.id}` }, { label: 'Selection' }]}
        title="Clinical-parameter selection"
        sub={`${latest ? 'Latest analysis' : 'Analysis'} ${shortId(analysis.id)} of ${project.name}, ${formatTime(new Date(analysis.createdAt))}`}
        actions={
          <>
            {analysis.sweepId ? (
              <a className="ui-button" href={`/sweeps/${analysis.sweepId}`}>
                Sweep {analysis.sweepName ?? shortId(analysis.sweepId)}
              </a>
            ) : null}
            <a className="ui-button" href={`/links?scope=selection&target=${analysis.id}`} data-share-target={analysis.id}>
              Share with a clinician
            </a>
          </>
        }
      />
      <section className="card" aria-labelledby="selected-sets">
        <h2 id="selected-sets">Selected parameters: ours and the paper&apos;s</h2>
        <SelectionComparison ours={analysis.selected} paper={analysis.paperSelected} titleOf={titleOf} />
      </section>
      <section className="card" aria-labelledby="findings">
        <h2 id="findings">
          <span>Findings, in rank order</span>
          <ExportLinks files={exports.map((e, i) => ({ format: FORMATS[i], label: FORMAT_LABELS[i], fileName: e.filename, mime: e.mediaType, content: e.content }))} />
        </h2>
        <SelectionTable
          rows={selectionRows(analysis)}
          caption="Mean ± half-width of the 95% interval over runs. Δ: malignancy score of the all-task model minus the same model without the parameter's head, paired by setting and seed."
        />
        <p className="card-note">
          Association: counts of the labelled cases{analysis.continuityCorrection === null ? '' : analysis.continuityCorrection ? " (chi-square with Yates' correction on 2 × 2 tables" : ' (chi-square without continuity correction'}
          {analysis.continuityCorrection === null ? '' : '; an exact test where an expected count is below 5)'}, Holm-adjusted over the parameters. Run links: the runs
          behind the F1/AUC (the parameter&apos;s head) and behind ΔF1 (with and without the head).
        </p>
      </section>
      <section className="card" aria-labelledby="rule">
        <h2 id="rule">The rule and its thresholds</h2>
        <ul data-testid="rule-text">
          {analysis.ruleText.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <KeyValueList label="Thresholds" items={Object.entries(analysis.thresholds).map(([name, value]) => ({ label: name, value: <code>{String(value)}</code> }))} />
        <p className="ui-muted">
          Rule {analysis.method} · {analysis.runIds.length} runs used (<a href={analysis.sweepId ? `/runs?sweep=${analysis.sweepId}` : '/runs'}>runs of the sweep</a>) · code{' '}
          {analysis.codeVersion ?? 'unknown'}
        </p>
        {analysis.greedy ? (
          <p className="ui-muted" data-testid="greedy">
            Greedy forward selection: {analysis.greedy.steps.map((s) => (s.selected.length ? s.selected.map(titleOf).join(' + ') : 'malignancy alone')).join(' → ') || 'no step'} (stopped:{' '}
            {analysis.greedy.stop}).
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="over-time">
        <h2 id="over-time">Scores across analyses over time</h2>
        <nav aria-label="Score shown" className="export-links">
          {(Object.keys(TIMELINE_SCORES) as TimelineScore[]).map((s) => (
            <a key={s} className={`ui-button${s === score ? ' ui-button-primary' : ''}`} href={hrefWith('/selection', query, { score: s })} aria-current={s === score ? 'true' : undefined}>
              {TIMELINE_SCORES[s]}
            </a>
          ))}
        </nav>
        <SelectionTimeline chartId="selection-timeline" title={`${TIMELINE_SCORES[score]} per parameter`} parameters={timeline.parameters} points={timelinePoints(timeline, score)} />
      </section>
      <section className="card" aria-labelledby="history">
        <h2 id="history">History of {project.name}</h2>
        <div className="ui-table-wrap">
          <table className="ui-table" data-testid="selection-history">
            <thead>
              <tr>
                <th scope="col">Analysis</th>
                <th scope="col">When</th>
                <th scope="col">Sweep</th>
                <th scope="col">Kept</th>
                <th scope="col" className="num">
                  Runs
                </th>
              </tr>
            </thead>
            <tbody>
              {history.items.map((a) => (
                <tr key={a.id} data-analysis={a.id} aria-current={a.id === analysis.id ? 'true' : undefined}>
                  <th scope="row">
                    <a href={hrefWith('/selection', query, { analysis: a.id })}>{shortId(a.id)}</a>
                  </th>
                  <td>{formatTime(new Date(a.createdAt))}</td>
                  <td>{a.sweepId ? <a href={`/sweeps/${a.sweepId}`}>{a.sweepName ?? shortId(a.sweepId)}</a> : '—'}</td>
                  <td>{a.selected.map(titleOf).join(', ') || 'none'}</td>
                  <td className="num">{a.runCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {history.nextCursor ? <p className="ui-muted">The 20 newest analyses are listed.</p> : null}
      </section>
    </>
  );
}
