'use client';
// Bars with 95% interval whiskers: the chart beside a score table (one bar per row, or grouped
// bars when several series are compared).
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMeanCi } from './format';
import { seriesColor } from './palette';
import type { MeanCi } from './score-table';

export interface CiBarSeries {
  name: string;
  /** One value per category, in the order of `categories`. */
  values: readonly (MeanCi | null)[];
}

export interface CiBarsProps {
  title: string;
  categories: readonly string[];
  series: readonly CiBarSeries[];
  height?: number;
  chartId?: string;
  domain?: [number, number];
  initialWidth?: number;
}

export function CiBars({ title, categories, series, height = 280, chartId, domain = [0, 1], initialWidth = 640 }: CiBarsProps) {
  const data = categories.map((category, c) => {
    const row: Record<string, string | number | [number, number] | null> = { category };
    series.forEach((s, i) => {
      const v = s.values[c];
      row[`m${i}`] = v ? v.mean : null;
      row[`e${i}`] = v && v.lo !== null && v.hi !== null ? [v.mean - v.lo, v.hi - v.mean] : [0, 0];
      row[`t${i}`] = v ? formatMeanCi(v.mean, v.lo, v.hi) : '—';
    });
    return row;
  });
  return (
    <figure className="ui-chart" data-chart={chartId} data-series={series.map((s) => s.name).join('|')}>
      <figcaption className="ui-chart-title">{title}</figcaption>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: initialWidth, height }}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e6e8eb" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="category" tick={{ fontSize: 11, fill: '#5b6470' }} interval={0} />
          <YAxis domain={domain} tick={{ fontSize: 11, fill: '#5b6470' }} width={40} allowDataOverflow />
          <Tooltip
            formatter={(_v, name, item) => {
              const index = series.findIndex((s) => s.name === name);
              const payload = (item as { payload?: Record<string, unknown> }).payload;
              return [String(payload?.[`t${index}`] ?? ''), String(name)];
            }}
            contentStyle={{ fontSize: 12 }}
          />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} /> : null}
          {series.map((s, i) => (
            <Bar key={s.name} dataKey={`m${i}`} name={s.name} fill={seriesColor(i)} fillOpacity={0.85} isAnimationActive={false} className="ui-series" maxBarSize={48}>
              <ErrorBar dataKey={`e${i}`} width={6} stroke="#1f2328" strokeWidth={1.25} direction="y" />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
