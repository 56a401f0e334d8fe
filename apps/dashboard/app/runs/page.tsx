// The runs table: filters, sort (any column, including the latest value of a metric), the
// columns the user chose and cursor paging — all of it in the query string.
import { ColumnChooser, EmptyState, FilterForm, Pager, RUN_COLUMNS, RunsTable, metricColumn, type FilterField, type RunRow } from '@ovus/ui';
import type { Metadata } from 'next';
import { AutoRefresh } from '../../src/components/auto-refresh';
import { PageHead } from '../../src/components/page-head';
import { api, type Caller } from '../../src/server/api';
import { hrefWith, keepParams, many, one, type SearchParams } from '../../src/url';
import { Streamed } from '../../src/components/streamed';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Runs' };

const PAGE_SIZE = 50;
const DEFAULT_COLUMNS = ['name', 'status', 'backbone', 'sweep', 'seed', 'created', 'duration', 'metric:val/loss', 'metric:val/mean_f1'];
const FILTERS = ['status', 'backbone', 'tasks', 'dataset', 'tag', 'sweep', 'q'];

/** The table's column ids → the API's sort columns. */
const SORT_COLUMNS: Record<string, 'name' | 'status' | 'backbone' | 'seed' | 'createdAt' | 'durationMs'> = {
  name: 'name',
  status: 'status',
  backbone: 'backbone',
  seed: 'seed',
  created: 'createdAt',
  duration: 'durationMs',
};

async function RunsBody({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const caller = await api();
  const projectId = one(params, 'project') || undefined;
  const status = one(params, 'status');
  const tag = one(params, 'tag');
  const filter = {
    projectId,
    sweepId: one(params, 'sweep') || undefined,
    statuses: status ? [status as 'running'] : undefined,
    backbones: one(params, 'backbone') ? [one(params, 'backbone')] : undefined,
    tasks: one(params, 'tasks') ? one(params, 'tasks').split(',') : undefined,
    datasetVersionId: one(params, 'dataset') || undefined,
    tag: tag ? (tag.includes('=') ? { key: tag.slice(0, tag.indexOf('=')), value: tag.slice(tag.indexOf('=') + 1) } : { key: tag }) : undefined,
    text: one(params, 'q') || undefined,
  };
  const sortColumn = one(params, 'sort') || 'created';
  const direction: 'asc' | 'desc' = one(params, 'dir') === 'asc' ? 'asc' : 'desc';
  const chosen = many(params, 'col');
  const wanted = chosen.length > 0 ? chosen : DEFAULT_COLUMNS;
  const metricKeys = [...new Set([...wanted, sortColumn].filter((id) => id.startsWith('metric:')).map((id) => id.slice(7)))].slice(0, 20);
  const sort = sortColumn.startsWith('metric:')
    ? { by: 'metric' as const, metric: sortColumn.slice(7), direction }
    : { by: SORT_COLUMNS[sortColumn] ?? ('createdAt' as const), direction };
  const pageNumber = Math.max(1, Number(one(params, 'page')) || 1);
  const [options, page] = await Promise.all([
    filterOptions(caller, projectId),
    caller.runs.list({ ...filter, sort, metrics: metricKeys, limit: PAGE_SIZE, cursor: one(params, 'cursor') || undefined }),
  ]);
  const available = [...RUN_COLUMNS, ...[...new Set([...options.metricKeys, ...metricKeys])].map(metricColumn)];
  const visibleIds = wanted.filter((id) => available.some((c) => c.id === id));
  const columns = visibleIds.map((id) => available.find((c) => c.id === id) as (typeof available)[number]);
  const rows: RunRow[] = page.items.map((run) => ({
    id: run.id,
    name: run.name,
    href: `/runs/${run.id}`,
    status: run.status,
    backbone: run.backbone,
    tasks: run.tasks,
    sweep: run.sweepId && run.sweepName ? { name: run.sweepName, href: `/sweeps/${run.sweepId}` } : null,
    dataset: run.datasetName ? `${run.datasetName} ${run.datasetVersion ?? ''}`.trim() : null,
    seed: run.seed,
    createdAt: new Date(run.createdAt).toISOString(),
    durationMs: run.durationMs,
    tags: run.tags,
    metrics: Object.fromEntries(metricKeys.map((k) => [k, run.metrics[k]?.value ?? null])),
  }));
  const fields: FilterField[] = [
    { kind: 'text', name: 'q', label: 'Name contains', value: filter.text ?? '', placeholder: 'e.g. resnet18-seed1' },
    { kind: 'select', name: 'status', label: 'Status', value: status, options: options.statuses },
    { kind: 'select', name: 'backbone', label: 'Backbone', value: one(params, 'backbone'), options: options.backbones },
    { kind: 'select', name: 'tasks', label: 'Task set', value: one(params, 'tasks'), options: options.taskSets },
    { kind: 'select', name: 'sweep', label: 'Sweep', value: filter.sweepId ?? '', options: options.sweeps },
    { kind: 'select', name: 'dataset', label: 'Dataset version', value: filter.datasetVersionId ?? '', options: options.datasets },
    { kind: 'select', name: 'tag', label: 'Tag', value: tag, options: options.tags },
  ];
  const live = page.items.some((r) => r.status === 'running' || r.status === 'queued');
  const offset = (pageNumber - 1) * PAGE_SIZE;
  return (
    <>
      <PageHead
        title="Runs"
        sub={<span data-testid="runs-total">{`${page.total} run${page.total === 1 ? '' : 's'} match${page.total === 1 ? 'es' : ''}`}</span>}
        actions={
          <>
            <AutoRefresh active={live} />
            <ColumnChooser columns={available} visible={visibleIds} keep={keepParams(params, ['col', 'cursor', 'page'])} />
          </>
        }
      />
      <FilterForm fields={fields} keep={keepParams(params, [...FILTERS, 'cursor', 'page'])} resetHref="/runs" />
      {rows.length === 0 ? (
        <EmptyState title="No runs match these filters">
          <p>
            <a href="/runs">Clear the filters</a> or train a run with <code>npx ovus train</code>.
          </p>
        </EmptyState>
      ) : (
        <section className="card">
          <RunsTable
            rows={rows}
            columns={columns}
            sort={{ column: sortColumn, direction }}
            sortHref={(column, dir) => hrefWith('/runs', params, { sort: column, dir, cursor: undefined, page: undefined })}
            selectForm="compare-form"
          />
          <form id="compare-form" method="get" action="/compare" className="compare-bar">
            <button type="submit" className="ui-button">
              Compare selected runs (2–10)
            </button>
          </form>
          <Pager
            from={offset + 1}
            to={offset + page.items.length}
            total={page.total}
            previousHref={one(params, 'cursor') ? hrefWith('/runs', params, { cursor: undefined, page: undefined }) : null}
            previousLabel="← First page"
            nextHref={page.nextCursor ? hrefWith('/runs', params, { cursor: page.nextCursor, page: String(pageNumber + 1) }) : null}
          />
        </section>
      )}
    </>
  );
}


/** The choices of the filter menus: every value the runs (of the project) have, with how many have it. */
async function filterOptions(caller: Caller, projectId: string | undefined) {
  const facets = await caller.runs.facets({ projectId });
  const counted = (label: string, count: number) => `${label} (${count})`;
  return {
    statuses: facets.statuses.map((s) => ({ value: s.value, label: counted(s.value, s.count) })),
    sweeps: facets.sweeps.map((s) => ({ value: s.value, label: counted(s.name, s.count) })),
    datasets: facets.datasetVersions.map((v) => ({ value: v.value, label: counted(`${v.datasetName} ${v.version}`, v.count) })),
    backbones: facets.backbones.map((b) => ({ value: b.value, label: counted(b.value, b.count) })),
    taskSets: facets.taskSets.map((t) => ({ value: t.value, label: counted(t.value.split(',').length === 8 ? 'all 8 tasks' : t.value, t.count) })),
    tags: facets.tags.map((t) => ({ value: t.value, label: counted(t.value, t.count) })),
    metricKeys: facets.metricKeys.filter((m) => !m.value.startsWith('final/')).map((m) => m.value),
  };
}

export default function RunsPage(props: { searchParams: Promise<SearchParams> }) {
  return (
    <Streamed>
      <RunsBody {...props} />
    </Streamed>
  );
}
