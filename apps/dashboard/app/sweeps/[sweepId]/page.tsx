// A sweep's backbone table, laid out like the paper's Table 2: one row per group of runs that
// differ only in seed or fold, mean ± 95% CI, the best row bold and the rows a paired test on the
// same test cases cannot tell from it marked; the same as a chart; CSV, Markdown and LaTeX. Rule
// baselines (the IOTA Simple Rules, `ovus iota`) sit after the networks, marked, with their
// coverage and the published figures where the paper's would be; the best is a network.
import { TASKS, isTaskName } from '@ovus/domain';
import { CiBars, EmptyState, FilterForm, SCORE_TITLES, ScoreTable, StatusBadge, SweepProgressBar, formatTime, type ScoreRow } from '@ovus/ui';
import type { Metadata } from 'next';
import { AutoRefresh } from '../../../src/components/auto-refresh';
import { ExportLinks } from '../../../src/components/export-links';
import { compareGroupsHref } from '../../../src/components/group-address';
import { PageHead } from '../../../src/components/page-head';
import { progressBar, sweepDisplayStatus } from '../../../src/components/progress';
import { readScoreChoice, scoreFields } from '../../../src/components/score-controls';
import { api, type Caller } from '../../../src/server/api';
import { orNotFound } from '../../../src/server/not-found';
import { hrefWith, type SearchParams } from '../../../src/url';
import { Streamed } from '../../../src/components/streamed';

export const dynamic = 'force-dynamic';

const FORMATS = ['csv', 'markdown', 'latex'] as const;
export const metadata: Metadata = { title: 'Sweep' };

type Sweep = Awaited<ReturnType<Caller['sweeps']['get']>>;

async function SweepBody({ sweep, searchParams }: { sweep: Sweep; searchParams: Promise<SearchParams> }) {
  const sweepId = sweep.id;
  const query = await searchParams;
  const choice = readScoreChoice(query);
  const caller = await api();
  const table = await caller.sweeps.backboneTable({ id: sweepId, ...choice });
  const exports = await Promise.all(
    FORMATS.map((format) => caller.sweeps.exportBackboneTable({ id: sweepId, ...choice, format })),
  );
  const taskTitle = isTaskName(choice.task) ? TASKS[choice.task].title : choice.task;
  const best = table.rows.find((row) => row.best);
  const runCount = (row: (typeof table.rows)[number]) => `${row.runIds.length} run${row.runIds.length === 1 ? '' : 's'}`;
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const publishedText = (p: NonNullable<(typeof table.rows)[number]['published']>) => `${p.source}: decided ${pct(p.coverage)}, sensitivity ${pct(p.sensitivity)}, specificity ${pct(p.specificity)}`;
  const rows: ScoreRow[] = table.rows.map((row) => ({
    key: row.groupKey ?? row.backbone,
    label: <a href={hrefWith('/results', { sweep: sweepId, group: row.groupKey ?? '', split: choice.split, averaging: choice.averaging })}>{row.label}</a>,
    sublabel:
      best && !row.best && row.groupKey !== null && best.groupKey !== null ? (
        <>
          {runCount(row)} ·{' '}
          <a
            data-compare-group={row.groupKey}
            href={compareGroupsHref([{ sweepId, groupKey: best.groupKey }, { sweepId, groupKey: row.groupKey }], { task: choice.task, split: choice.split, averaging: choice.averaging, metric: choice.metric })}
          >
            compare with the best
          </a>
        </>
      ) : (
        runCount(row)
      ),
    n: row.n,
    scores: row.scores,
    paper: choice.metric === 'auc' ? null : (row.paper?.[choice.metric] ?? null),
    standing: row.best ? 'best' : row.tiedWithBest === true ? 'tie' : row.tiedWithBest === false ? 'worse' : null,
    standingNote: row.pairedTest?.sentence,
    ruleBaseline: row.ruleBaseline,
    coverage: row.coverage,
    paperText: row.published ? publishedText(row.published) : null,
  }));
  const live = sweep.progress.byStatus.running + sweep.progress.byStatus.queued > 0;
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Projects', href: '/' }, { label: sweep.projectName, href: `/runs?project=${sweep.projectId}` }, { label: 'Sweep' }]}
        title={
          <>
            {sweep.name} <StatusBadge status={sweepDisplayStatus(sweep)} />
          </>
        }
        sub={`Created ${formatTime(new Date(sweep.createdAt))} · ${sweep.progress.total} runs`}
        actions={
          <>
            <AutoRefresh active={live} />
            <a className="ui-button" href={`/runs?sweep=${sweepId}`}>
              Runs of this sweep
            </a>
            <a className="ui-button" href={`/selection?project=${sweep.projectId}`}>
              Parameter selection
            </a>
            <a className="ui-button" href={`/links?scope=sweep&target=${sweepId}`} data-share-target={sweepId}>
              Share with a clinician
            </a>
          </>
        }
      />
      <section className="card" aria-label="Progress">
        <SweepProgressBar {...progressBar(sweep.progress)} />
      </section>
      <FilterForm fields={scoreFields(choice)} label="Table settings" />
      {rows.length === 0 ? (
        <EmptyState title="No finished runs with scores yet">
          <p>The table fills in as runs finish{live ? '; this page updates by itself' : ''}.</p>
        </EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="backbone-table">
            <h2 id="backbone-table">
              <span>
                Backbones — {taskTitle}, {choice.split}, {choice.averaging}
              </span>
              <ExportLinks
                files={exports.map((e, i) => ({ format: FORMATS[i], label: ['CSV', 'Markdown', 'LaTeX'][i], fileName: e.filename, mime: e.mediaType, content: e.content }))}
              />
            </h2>
            <ScoreTable
              testId="backbone-table"
              caption={`Best ${SCORE_TITLES[choice.metric]} in bold.`}
              rowHeader="Backbone"
              rows={rows}
              chosen={choice.metric}
            />
            {table.notes.map((note) => (
              <p key={note} className="card-note">
                {note}
              </p>
            ))}
          </section>
          <section className="card" aria-label="Chart">
            <CiBars
              chartId="backbone-bars"
              title={`${SCORE_TITLES[choice.metric]} by backbone (95% CI)`}
              categories={table.rows.map((r) => r.label)}
              series={[{ name: SCORE_TITLES[choice.metric], values: table.rows.map((r) => r.scores[choice.metric] ?? null) }]}
            />
          </section>
        </>
      )}
    </>
  );
}

type SweepPageProps = { params: Promise<{ sweepId: string }>; searchParams: Promise<SearchParams> };

/** The sweep must exist before the page streams, so that an unknown id answers 404. */
export default async function SweepPage(props: SweepPageProps) {
  const { sweepId } = await props.params;
  const sweep = await orNotFound((await api()).sweeps.get({ id: sweepId }));
  return (
    <Streamed>
      <SweepBody sweep={sweep} searchParams={props.searchParams} />
    </Streamed>
  );
}
