'use client';
// Each clinical parameter's score across the analyses of a project, oldest to newest: one line per
// parameter, and at every analysis a filled dot where the parameter was kept and a hollow one where
// it was dropped, so a change in the selected set shows as a dot changing fill.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatScore } from './format';
import { seriesColor } from './palette';

export interface SelectionTimelinePoint {
  analysisId: string;
  createdAt: number;
  parameter: string;
  selected: boolean;
  value: number | null;
}

export interface SelectionTimelineProps {
  title: string;
  parameters: readonly { parameter: string; title: string }[];
  points: readonly SelectionTimelinePoint[];
  height?: number;
  chartId?: string;
  initialWidth?: number;
}

interface DotProps {
  cx?: number;
  cy?: number;
  payload?: Record<string, unknown>;
  dataKey?: unknown;
}

export function SelectionTimeline({ title, parameters, points, height = 300, chartId, initialWidth = 720 }: SelectionTimelineProps) {
  const analyses = [...new Map(points.map((p) => [p.analysisId, p.createdAt])).entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const data = analyses.map(([id, at], i) => {
    const row: Record<string, string | number | boolean | null> = { label: `#${i + 1} ${new Date(at).toISOString().slice(5, 16).replace('T', ' ')}`, analysisId: id };
    for (const p of points.filter((x) => x.analysisId === id)) {
      row[p.parameter] = p.value !== null && Number.isFinite(p.value) ? p.value : null;
      row[`${p.parameter}:kept`] = p.selected;
    }
    return row;
  });
  const empty = data.length === 0 || points.every((p) => p.value === null);
  return (
    <figure className="ui-chart" data-chart={chartId} data-series={parameters.map((p) => p.parameter).join('|')} data-analyses={analyses.length}>
      <figcaption className="ui-chart-title">{title}</figcaption>
      {empty ? (
        <p className="ui-muted">No analysis has this score yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: initialWidth, height }}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e6e8eb" strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#5b6470' }} />
            <YAxis tick={{ fontSize: 11, fill: '#5b6470' }} width={44} domain={['auto', 'auto']} />
            <Tooltip
              formatter={(value, name, item) => {
                const payload = (item as { payload?: Record<string, unknown>; dataKey?: unknown }).payload;
                const key = String((item as { dataKey?: unknown }).dataKey ?? '');
                const kept = payload?.[`${key}:kept`] === true ? 'kept' : 'dropped';
                return [`${formatScore(typeof value === 'number' ? value : null)} (${kept})`, String(name)];
              }}
              contentStyle={{ fontSize: 12 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {parameters.map((p, i) => {
              const color = seriesColor(i);
              const dot = ({ cx, cy, payload }: DotProps) => {
                if (cx === undefined || cy === undefined || payload?.[p.parameter] === null || payload?.[p.parameter] === undefined) return <g key={`${p.parameter}-${String(payload?.analysisId)}`} />;
                const kept = payload[`${p.parameter}:kept`] === true;
                return (
                  <circle
                    key={`${p.parameter}-${String(payload.analysisId)}`}
                    cx={cx}
                    cy={cy}
                    r={kept ? 5 : 4}
                    fill={kept ? color : '#ffffff'}
                    stroke={color}
                    strokeWidth={2}
                    data-kept={kept ? 'kept' : 'dropped'}
                    data-parameter={p.parameter}
                  />
                );
              };
              return (
                <Line
                  key={p.parameter}
                  type="linear"
                  dataKey={p.parameter}
                  name={p.title}
                  stroke={color}
                  strokeWidth={1.75}
                  dot={dot}
                  activeDot={false}
                  connectNulls
                  isAnimationActive={false}
                  className="ui-series"
                />
              );
            })}
          </LineChart>
        </ResponsiveContainer>
      )}
      <p className="ui-muted ui-chart-note">Filled dot: kept by that analysis; hollow: dropped.</p>
    </figure>
  );
}
