// The runs list: the columns the user chose, sortable headers that are links (so the sort is in
// the URL), and numbers right-aligned. Rendering only; filtering, sorting and paging are the
// server's.
import type { ReactNode } from 'react';
import { formatDuration, formatTime, formatValue } from './format';
import { StatusBadge, TagChip } from './status-badge';

export interface RunRow {
  id: string;
  name: string;
  href: string;
  status: string;
  backbone: string;
  tasks: readonly string[];
  sweep?: { name: string; href: string } | null;
  dataset?: string | null;
  seed?: number | null;
  createdAt: string;
  durationMs: number | null;
  tags: Readonly<Record<string, string>>;
  /** Latest value of each metric key shown as a column. */
  metrics: Readonly<Record<string, number | null>>;
}

export interface RunsColumn {
  id: string;
  label: string;
  sortable?: boolean;
  numeric?: boolean;
}

/** The fixed columns; metric columns are `metric:<key>`. */
export const RUN_COLUMNS: readonly RunsColumn[] = [
  { id: 'name', label: 'Name', sortable: true },
  { id: 'status', label: 'Status', sortable: true },
  { id: 'backbone', label: 'Backbone', sortable: true },
  { id: 'tasks', label: 'Tasks' },
  { id: 'sweep', label: 'Sweep' },
  { id: 'dataset', label: 'Dataset' },
  { id: 'seed', label: 'Seed', sortable: true, numeric: true },
  { id: 'created', label: 'Created', sortable: true },
  { id: 'duration', label: 'Duration', sortable: true, numeric: true },
  { id: 'tags', label: 'Tags' },
];

export function metricColumn(key: string): RunsColumn {
  return { id: `metric:${key}`, label: key, sortable: true, numeric: true };
}

export interface RunsTableProps {
  rows: readonly RunRow[];
  columns: readonly RunsColumn[];
  sort: { column: string; direction: 'asc' | 'desc' };
  /** The URL that sorts by a column (the page keeps its other query parameters). */
  sortHref: (column: string, direction: 'asc' | 'desc') => string;
  caption?: string;
}

export function RunsTable({ rows, columns, sort, sortHref, caption = 'Runs' }: RunsTableProps) {
  return (
    <div className="ui-table-wrap">
      <table className="ui-table ui-runs-table" data-testid="runs-table">
        <caption className="ui-visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const active = sort.column === column.id;
              const next = active && sort.direction === 'desc' ? 'asc' : 'desc';
              const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th key={column.id} scope="col" className={column.numeric ? 'num' : undefined} aria-sort={ariaSort}>
                  {column.sortable ? (
                    <a href={sortHref(column.id, column.id === 'name' && !active ? 'asc' : next)} className="ui-sort" data-column={column.id}>
                      {column.label}
                      <span aria-hidden="true" className="ui-sort-mark">
                        {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </a>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-run={row.id}>
              {columns.map((column) => (
                <td key={column.id} className={column.numeric ? 'num' : undefined} data-column={column.id}>
                  {cell(row, column.id)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cell(row: RunRow, column: string): ReactNode {
  if (column.startsWith('metric:')) return formatValue(row.metrics[column.slice('metric:'.length)] ?? null);
  switch (column) {
    case 'name':
      return (
        <a href={row.href} className="ui-strong-link">
          {row.name}
        </a>
      );
    case 'status':
      return <StatusBadge status={row.status} />;
    case 'backbone':
      return <code>{row.backbone}</code>;
    case 'tasks':
      return <span className="ui-muted">{row.tasks.length === 8 ? 'all 8' : row.tasks.join(', ')}</span>;
    case 'sweep':
      return row.sweep ? <a href={row.sweep.href}>{row.sweep.name}</a> : '—';
    case 'dataset':
      return row.dataset ?? '—';
    case 'seed':
      return row.seed ?? '—';
    case 'created':
      return <time dateTime={row.createdAt}>{formatTime(row.createdAt)}</time>;
    case 'duration':
      return formatDuration(row.durationMs);
    case 'tags':
      return (
        <span className="ui-chips">
          {Object.entries(row.tags).map(([k, v]) => (
            <TagChip key={k} name={k} value={v} />
          ))}
        </span>
      );
    default:
      return '—';
  }
}
