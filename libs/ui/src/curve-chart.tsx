'use client';
// Metric curves over steps or wall time, with optional smoothing (raw points stay visible, faint)
// and a log y-axis. The series arrive downsampled by the server; this only draws them.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatValue } from './format';
import { seriesColor } from './palette';
import { smoothValues } from './smoothing';

/**
 * One line, as columns (the shape the API sends: point i is steps[i], values[i], times[i]) —
 * columns keep the page's payload small, and they are turned into recharts' points only here.
 */
export interface CurveSeries {
  name: string;
  steps: readonly number[];
  values: readonly number[];
  /** Wall time of each point in ms since the epoch (the x-axis in time). */
  times?: readonly number[];
  color?: string;
  dashed?: boolean;
}

export type CurveXAxis = 'step' | 'time';

export interface CurveChartProps {
  title: string;
  series: readonly CurveSeries[];
  smoothing?: number;
  logScale?: boolean;
  xAxis?: CurveXAxis;
  height?: number;
  /** Identifies the chart in the page (data-chart) for tests and links. */
  chartId?: string;
  /** Width used before the browser has measured the container (server rendering, tests). */
  initialWidth?: number;
}

interface XY {
  x: number;
  y: number | null;
}

export function toChartPoints(series: Pick<CurveSeries, 'steps' | 'values' | 'times'>, xAxis: CurveXAxis, logScale: boolean, smoothing: number): { raw: XY[]; smooth: XY[] } {
  const { steps, values, times } = series;
  const byTime = xAxis === 'time' && times !== undefined && times.length === steps.length;
  const origin = byTime ? (times[0] ?? 0) : 0;
  const x = (i: number) => (byTime ? ((times[i] as number) - origin) / 1000 : (steps[i] as number));
  const usable = (v: number) => Number.isFinite(v) && (!logScale || v > 0);
  const raw = steps.map((_, i) => ({ x: x(i), y: usable(values[i] as number) ? (values[i] as number) : null }));
  const smoothed = smoothValues(
    values.map((v) => (usable(v) ? v : Number.NaN)),
    smoothing,
  );
  const smooth = steps.map((_, i) => ({ x: x(i), y: Number.isFinite(smoothed[i]) ? (smoothed[i] as number) : null }));
  return { raw, smooth };
}

export function CurveChart({ title, series, smoothing = 0, logScale = false, xAxis = 'step', height = 260, chartId, initialWidth = 640 }: CurveChartProps) {
  const drawn = series.map((s, i) => ({ ...s, color: s.color ?? seriesColor(i), ...toChartPoints(s, xAxis, logScale, smoothing) }));
  const empty = drawn.every((s) => s.raw.length === 0);
  return (
    <figure className="ui-chart" data-chart={chartId} data-series={series.map((s) => s.name).join('|')}>
      <figcaption className="ui-chart-title">{title}</figcaption>
      {empty ? (
        <div className="ui-chart-empty" style={{ height }}>
          No points logged yet
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: initialWidth, height }}>
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e6e8eb" strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDuplicatedCategory={false}
              allowDecimals={xAxis === 'time'}
              tick={{ fontSize: 11, fill: '#5b6470' }}
              tickFormatter={(v: number) => (xAxis === 'time' ? `${Math.round(v)} s` : String(v))}
              label={{ value: xAxis === 'time' ? 'seconds' : 'step', position: 'insideBottomRight', offset: -2, fontSize: 11, fill: '#5b6470' }}
            />
            <YAxis
              scale={logScale ? 'log' : 'linear'}
              domain={['auto', 'auto']}
              allowDataOverflow={logScale}
              tick={{ fontSize: 11, fill: '#5b6470' }}
              tickFormatter={(v: number) => formatValue(v)}
              width={56}
            />
            <Tooltip
              formatter={(value) => formatValue(typeof value === 'number' ? value : Number(value))}
              labelFormatter={(label) => `${xAxis === 'time' ? 'time' : 'step'} ${String(label)}`}
              contentStyle={{ fontSize: 12 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {smoothing > 0
              ? drawn.map((s) => (
                  <Line
                    key={`${s.name}-raw`}
                    data={s.raw}
                    dataKey="y"
                    name={`${s.name} (raw)`}
                    legendType="none"
                    stroke={s.color}
                    strokeOpacity={0.25}
                    dot={false}
                    isAnimationActive={false}
                    className="ui-series-raw"
                    tooltipType="none"
                  />
                ))
              : null}
            {drawn.map((s) => (
              <Line
                key={s.name}
                data={smoothing > 0 ? s.smooth : s.raw}
                dataKey="y"
                name={s.name}
                stroke={s.color}
                strokeWidth={1.75}
                strokeDasharray={s.dashed ? '5 3' : undefined}
                dot={s.raw.length === 1}
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
