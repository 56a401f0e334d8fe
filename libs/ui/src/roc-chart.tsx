'use client';
// ROC curves (one-vs-rest per class, or one per run when comparing) with the AUC in the legend
// and the chance diagonal.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatScore } from './format';
import { seriesColor } from './palette';

export interface RocSeries {
  name: string;
  auc: number | null;
  points: readonly { fpr: number; tpr: number }[];
}

export function RocChart({ title, series, height = 260, chartId, initialWidth = 320 }: { title: string; series: readonly RocSeries[]; height?: number; chartId?: string; initialWidth?: number }) {
  return (
    <figure className="ui-chart ui-chart-square" data-chart={chartId} data-series={series.map((s) => s.name).join('|')}>
      <figcaption className="ui-chart-title">{title}</figcaption>
      {series.length === 0 ? (
        <div className="ui-chart-empty" style={{ height }}>
          No ROC points stored
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: initialWidth, height }}>
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e6e8eb" strokeDasharray="3 3" />
            <XAxis dataKey="fpr" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={{ fontSize: 11, fill: '#5b6470' }} label={{ value: 'false positive rate', position: 'insideBottom', offset: -2, fontSize: 11, fill: '#5b6470' }} height={36} />
            <YAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={{ fontSize: 11, fill: '#5b6470' }} width={40} />
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#9aa3ad" strokeDasharray="4 4" />
            <Tooltip formatter={(v) => formatScore(Number(v))} labelFormatter={(l) => `FPR ${formatScore(Number(l))}`} contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {series.map((s, i) => (
              <Line
                key={s.name}
                data={[...s.points]}
                dataKey="tpr"
                name={`${s.name} (AUC ${formatScore(s.auc)})`}
                stroke={seriesColor(i)}
                strokeWidth={1.75}
                dot={false}
                type="stepAfter"
                isAnimationActive={false}
                className="ui-series"
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
