'use client';
// A set of curve charts sharing one set of view controls (smoothing, log scale, x-axis). The
// choices are mirrored into the query string so a view of a run can be bookmarked.
import { useEffect, useState } from 'react';
import { CurveChart, type CurveSeries, type CurveXAxis } from './curve-chart';

export interface CurvePanelChart {
  id: string;
  title: string;
  series: readonly CurveSeries[];
  /** Log scale makes sense for losses and learning rates, not for bounded scores. */
  allowLog?: boolean;
}

export interface CurveViewSettings {
  smoothing: number;
  logScale: boolean;
  xAxis: CurveXAxis;
}

export function CurvePanel({ charts, initial }: { charts: readonly CurvePanelChart[]; initial: CurveViewSettings }) {
  const [settings, setSettings] = useState(initial);
  useEffect(() => {
    const url = new URL(window.location.href);
    const set = (k: string, v: string | null) => (v === null ? url.searchParams.delete(k) : url.searchParams.set(k, v));
    set('smooth', settings.smoothing > 0 ? String(settings.smoothing) : null);
    set('log', settings.logScale ? '1' : null);
    set('x', settings.xAxis === 'time' ? 'time' : null);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url.href);
  }, [settings]);
  return (
    <div className="ui-curve-panel">
      <div className="ui-toolbar" role="group" aria-label="Chart settings">
        <label className="ui-field ui-field-inline">
          <span className="ui-field-label">Smoothing {settings.smoothing.toFixed(2)}</span>
          <input
            type="range"
            min={0}
            max={0.95}
            step={0.05}
            value={settings.smoothing}
            onChange={(e) => setSettings({ ...settings, smoothing: Number(e.target.value) })}
            data-control="smoothing"
          />
        </label>
        <label className="ui-check">
          <input type="checkbox" checked={settings.logScale} onChange={(e) => setSettings({ ...settings, logScale: e.target.checked })} data-control="log" />
          Log scale (losses)
        </label>
        <label className="ui-field ui-field-inline">
          <span className="ui-field-label">x-axis</span>
          <select value={settings.xAxis} onChange={(e) => setSettings({ ...settings, xAxis: e.target.value === 'time' ? 'time' : 'step' })} data-control="x-axis">
            <option value="step">step</option>
            <option value="time">wall time</option>
          </select>
        </label>
      </div>
      <div className="ui-chart-grid">
        {charts.map((chart) => (
          <CurveChart
            key={chart.id}
            chartId={chart.id}
            title={chart.title}
            series={chart.series}
            smoothing={settings.smoothing}
            logScale={settings.logScale && chart.allowLog !== false}
            xAxis={settings.xAxis}
          />
        ))}
      </div>
    </div>
  );
}
