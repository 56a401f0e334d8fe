// The runs table: filters, sort (any column, including the latest value of a metric), the
// columns the user chose and cursor paging — all of it in the query string.
import { ColumnChooser, EmptyState, FilterForm, Pager, RUN_COLUMNS, RunsTable, metricColumn, type FilterField, type RunRow } from '@ovus/ui';
import type { Metadata } from 'next';
import { AutoRefresh } from '../../src/components/auto-refresh';
import { PageHead } from '../../src/components/page-head';
import { api } from '../../src/server/api';
import { hrefWith, keepParams, many, one, type SearchParams } from '../../src/url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Runs' };

const PAGE_SIZE = 50;
const DEFAULT_COLUMNS = ['name', 'status', 'backbone', 'sweep', 'seed', 'created', 'duration', 'metric:val/loss', 'metric:val/mean_f1'];
const FILTERS = ['status', 'backbone', 'tasks', 'dataset', 'tag', 'sweep', 'project', 'q'];

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const caller = await api();
  const filter = {
    projectId: one(params, 'project') || undefined,
    sweepId: one(params, 'sweep') || undefined,
    status: one(params, 'status') || undefined,
    backbone: one(params, 'backbone') || undefined,
    tasks: one(params, 'tasks') || undefined,
    datasetVersionId: one(params, 'dataset') || undefined,
    tag: one(params, 'tag') || undefined,
    q: one(params, 'q') || undefined,
  };
  const sortColumn = one(params, 'sort') || 'created';
  const direction = one(params, 'dir') === 'asc' ? 'asc' : 'desc';
  const [facets, page] = await Promise.all([
    caller.runs.facets({ projectId: filter.projectId }),
    caller.runs.list({ ...filter, sort: sortColumn, direction, limit: PAGE_SIZE, cursor: one(params, 'cursor') || undefined }),
  ]);
  const available = [...RUN_COLUMNS, ...facets.metricKeys.map(metricColumn)];
  const chosen = many(params, 'col');
  const visibleIds = (chosen.length > 0 ? chosen : DEFAULT_COLUMNS).filter((id) => available.some((c) => c.id === id));
  const columns = visibleIds.map((id) => available.find((c) => c.id === id)!);
  const metricKeys = visibleIds.filter((id) => id.startsWith('metric:')).map((id) => id.slice(7));
  const rows: RunRow[] = page.items.map((run) => ({
    id: run.id,
    name: run.name,
    href: `/runs/${run.id}`,
    status: run.status,
    backbone: run.backbone,
    tasks: run.tasks,
    sweep: run.sweep ? { name: run.sweep.name, href: `/sweeps/${run.sweep.id}` } : null,
    dataset: run.dataset ? `${run.dataset.name} ${run.dataset.version}` : null,
    seed: run.seed,
    createdAt: new Date(run.createdAt).toISOString(),
    durationMs: run.durationMs,
    tags: run.tags,
    metrics: Object.fromEntries(metricKeys.map((k) => [k, run.latestMetrics[k] ?? null])),
  }));
  const fields: FilterField[] = [
    { kind: 'text', name: 'q', label: 'Name contains', value: filter.q ?? '', placeholder: 'e.g. resnet18-seed1' },
    { kind: 'select', name: 'status', label: 'Status', value: filter.status ?? '', options: facets.statuses.map((s) => ({ value: s, label: s })) },
    { kind: 'select', name: 'backbone', label: 'Backbone', value: filter.backbone ?? '', options: facets.backbones.map((b) => ({ value: b, label: b })) },
    { kind: 'select', name: 'tasks', label: 'Task set', value: filter.tasks ?? '', options: facets.taskSets.map((t) => ({ value: t, label: t })) },
    { kind: 'select', name: 'sweep', label: 'Sweep', value: filter.sweepId ?? '', options: facets.sweeps.map((s) => ({ value: s.id, label: s.name })) },
    { kind: 'select', name: 'dataset', label: 'Dataset version', value: filter.datasetVersionId ?? '', options: facets.datasets.map((d) => ({ value: d.id, label: d.label })) },
    { kind: 'select', name: 'tag', label: 'Tag', value: filter.tag ?? '', options: facets.tags.map((t) => ({ value: t, label: t })) },
  ];
  const live = page.items.some((r) => r.status === 'running' || r.status === 'queued');
  const from = page.items.length === 0 ? 0 : page.offset + 1;
  return (
    <>
      <PageHead
        title="Runs"
        sub={`${page.total} run${page.total === 1 ? '' : 's'} match${page.total === 1 ? 'es' : ''}`}
        actions={
          <>
            <AutoRefresh active={live} />
            <ColumnChooser columns={available} visible={visibleIds} keep={keepParams(params, ['col', 'cursor'])} />
          </>
        }
      />
      <FilterForm fields={fields} keep={keepParams(params, [...FILTERS, 'cursor'])} resetHref="/runs" />
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
            sortHref={(column, dir) => hrefWith('/runs', params, { sort: column, dir, cursor: undefined })}
          />
          <Pager
            from={from}
            to={page.offset + page.items.length}
            total={page.total}
            previousHref={one(params, 'cursor') ? hrefWith('/runs', params, { cursor: undefined }) : null}
            nextHref={page.nextCursor ? hrefWith('/runs', params, { cursor: page.nextCursor }) : null}
          />
        </section>
      )}
    </>
  );
}
