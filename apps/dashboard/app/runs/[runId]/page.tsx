// One run: status, loss curves (total and per head), validation metrics per task, learning rate,
// confusion matrices, ROC curves, config, environment, tags and artifacts. While the run trains
// the page re-renders itself every few seconds; the chart settings survive the refresh.
import { TASKS, isTaskName } from '@ovus/domain';
import {
  ConfusionHeatmap,
  CurvePanel,
  EmptyState,
  KeyValueList,
  RocChart,
  StatusBadge,
  TagChip,
  formatBytes,
  formatDuration,
  formatTime,
  type CurvePanelChart,
  type CurveSeries,
} from '@ovus/ui';
import type { Metadata } from 'next';
import { AutoRefresh } from '../../../src/components/auto-refresh';
import { PageHead, Stat } from '../../../src/components/page-head';
import { api, type Caller } from '../../../src/server/api';
import { orNotFound } from '../../../src/server/not-found';
import { one, type SearchParams } from '../../../src/url';
import { Streamed } from '../../../src/components/streamed';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Run' };

const title = (task: string) => (isTaskName(task) ? TASKS[task].title : task);

type Run = Awaited<ReturnType<Caller['runs']['get']>>;

async function RunBody({ run, searchParams }: { run: Run; searchParams: Promise<SearchParams> }) {
  const runId = run.id;
  const query = await searchParams;
  const split = one(query, 'split') === 'validation' ? 'validation' : 'test';
  const valMetric = ['accuracy', 'auc'].includes(one(query, 'vm')) ? one(query, 'vm') : 'f1';
  const caller = await api();
  const keys = [
    'train/loss',
    ...run.tasks.map((t) => `train/loss/${t}`),
    'epoch/train_loss',
    ...run.tasks.map((t) => `epoch/train_loss/${t}`),
    'val/loss',
    ...run.tasks.map((t) => `val/loss/${t}`),
    ...run.tasks.map((t) => `val/${t}/${valMetric}`),
    'epoch/learning_rate',
  ];
  const [series, results, composition, model] = await Promise.all([
    caller.metrics.series({ runId, keys, maxPoints: 1000 }),
    caller.runs.results({ id: runId }),
    run.splitId ? caller.datasets.splitComposition({ runId }).catch(() => null) : Promise.resolve(null),
    caller.inference.model({ runId }),
  ]);
  const confusions = results.confusionMatrices.filter((c) => c.split === split);
  const roc = results.rocCurves.filter((c) => c.split === split);
  const byKey = new Map(series.map((s) => [s.key, s]));
  // The API's columns go to the chart as they are (no per-point objects in the page's payload).
  const pick = (key: string, name: string): CurveSeries[] => {
    const s = byKey.get(key);
    return s && s.steps.length > 0 ? [{ name, steps: s.steps, values: s.values, times: s.timestamps }] : [];
  };
  const charts: CurvePanelChart[] = [
    { id: 'loss-step', title: 'Training loss per step (total)', series: pick('train/loss', 'train loss') },
    { id: 'loss-epoch', title: 'Loss per epoch', series: [...pick('epoch/train_loss', 'train'), ...pick('val/loss', 'validation')] },
    { id: 'head-loss-train', title: 'Training loss per head (per step)', series: run.tasks.flatMap((t) => pick(`train/loss/${t}`, title(t))) },
    { id: 'head-loss-train-epoch', title: 'Training loss per head (per epoch)', series: run.tasks.flatMap((t) => pick(`epoch/train_loss/${t}`, title(t))) },
    { id: 'head-loss-val', title: 'Validation loss per head (per epoch)', series: run.tasks.flatMap((t) => pick(`val/loss/${t}`, title(t))) },
    { id: 'val-metric', title: `Validation ${valMetric === 'auc' ? 'AUC' : valMetric === 'f1' ? 'F1' : 'accuracy'} per task`, series: run.tasks.flatMap((t) => pick(`val/${t}/${valMetric}`, title(t))), allowLog: false },
    { id: 'learning-rate', title: 'Learning rate', series: pick('epoch/learning_rate', 'learning rate') },
  ];
  const live = run.status === 'running' || run.status === 'queued';
  const lastStep = byKey.get('train/loss')?.steps.at(-1) ?? 0;
  const lastEpoch = byKey.get('val/loss')?.steps.at(-1) ?? 0;
  const epochs = typeof run.config === 'object' && run.config !== null && 'epochs' in run.config ? Number((run.config as { epochs: unknown }).epochs) : null;
  return (
    <>
      <PageHead
        crumbs={[
          { label: 'Projects', href: '/' },
          ...(run.sweepId ? [{ label: 'Sweep', href: `/sweeps/${run.sweepId}` }] : []),
          { label: 'Runs', href: run.sweepId ? `/runs?sweep=${run.sweepId}` : '/runs' },
        ]}
        title={
          <>
            {run.name} <StatusBadge status={run.status} />
          </>
        }
        sub={
          <>
            <code>{run.backbone}</code> · seed {run.seed}
            {run.fold !== null ? ` · fold ${run.fold}` : ''} · {run.tasks.length} tasks · <code>{run.id}</code>
          </>
        }
        actions={
          <>
            <AutoRefresh active={live} />
            <a className="ui-button" href={`/results?run=${run.id}`}>
              Per-task results
            </a>
            <a className="ui-button" href={`/compare?runs=${run.id}`}>
              Compare…
            </a>
            {model.ok ? (
              <a className="ui-button" href={`/predict?run=${run.id}`} data-testid="predict-link">
                Predict a pair
              </a>
            ) : null}
            <a className="ui-button" href={`/links?scope=run&target=${run.id}`} data-share-target={run.id}>
              Share with a clinician
            </a>
          </>
        }
      />
      <div className="stat-row">
        <Stat label="Epoch" value={<span data-testid="epoch">{epochs ? `${lastEpoch} / ${epochs}` : lastEpoch}</span>} />
        <Stat label="Step" value={<span data-testid="last-step">{lastStep}</span>} />
        <Stat label="Duration" value={formatDuration(run.durationMs ?? (run.startedAt ? Date.now() - new Date(run.startedAt).getTime() : null))} />
        <Stat label="Attempt" value={run.environment.attempt} />
      </div>
      {run.errorText ? (
        <section className="card" aria-labelledby="run-error">
          <h2 id="run-error">What went wrong</h2>
          <pre className="error-text">{run.errorText}</pre>
        </section>
      ) : null}
      {run.resume && run.status !== 'finished' ? (
        <div className="hint-box card" data-testid="resume-hint">
          <strong>How to continue this run</strong>
          <pre>{run.resume.command}</pre>
          <p className="ui-muted">{run.resume.explanation}</p>
        </div>
      ) : null}
      <section className="card" aria-labelledby="curves">
        <h2 id="curves">Curves</h2>
        {series.every((s) => s.steps.length === 0) ? (
          <EmptyState title="No metrics logged yet">{live ? <p>The curves appear with the first batch; this page updates by itself.</p> : null}</EmptyState>
        ) : (
          <CurvePanel
            charts={charts}
            initial={{ smoothing: Number(one(query, 'smooth')) || 0, logScale: one(query, 'log') === '1', xAxis: one(query, 'x') === 'time' ? 'time' : 'step' }}
          />
        )}
      </section>
      <section className="card" aria-labelledby="evaluation">
        <h2 id="evaluation">
          <span>Evaluation on the {split} split</span>
          <span className="export-links">
            <a className="ui-button" href={`?split=${split === 'test' ? 'validation' : 'test'}`}>
              Show the {split === 'test' ? 'validation' : 'test'} split
            </a>
          </span>
        </h2>
        {confusions.length === 0 ? (
          <EmptyState title="No evaluation stored yet">
            <p>Confusion matrices and ROC curves are stored when the run finishes.</p>
          </EmptyState>
        ) : (
          <>
            <h3>Confusion matrices</h3>
            <div className="grid-3">
              {confusions.map((c) => (
                <ConfusionHeatmap
                  key={c.task}
                  title={title(c.task)}
                  classNames={c.classNames}
                  counts={c.counts}
                />
              ))}
            </div>
            <h3 style={{ marginTop: 20 }}>ROC curves</h3>
            <div className="grid-3">
              {groupRoc(roc).map(([task, curves]) => (
                <RocChart
                  key={task}
                  chartId={`roc-${task}`}
                  title={title(task)}
                  series={curves.map((c) => ({
                    name: isTaskName(task) && TASKS[task].positiveCode === null ? `${TASKS[task].classNames[TASKS[task].codes.indexOf(c.classCode)] ?? c.classCode} vs rest` : title(task),
                    auc: c.auc?.value ?? null,
                    points: c.fpr.map((fpr, i) => ({ fpr, tpr: c.tpr[i] })),
                  }))}
                />
              ))}
            </div>
          </>
        )}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="environment">
          <h2 id="environment">Environment</h2>
          <KeyValueList
            label="Environment"
            items={[
              { label: 'Backend', value: run.environment.tfjsBackend ?? '—' },
              { label: 'Host', value: run.environment.host ?? '—' },
              { label: 'Hardware', value: run.environment.hardware ? <code>{JSON.stringify(run.environment.hardware)}</code> : '—' },
              { label: 'Git commit', value: run.environment.gitCommit ? <code>{run.environment.gitCommit}</code> : '—' },
              { label: 'Dataset version', value: run.datasetVersionId ? <a href={`/datasets/${run.datasetVersionId}`}>open</a> : '—' },
              { label: 'Image size', value: `${run.imageSize} px` },
              { label: 'Created', value: formatTime(new Date(run.createdAt)) },
              { label: 'Started', value: run.startedAt ? formatTime(new Date(run.startedAt)) : '—' },
              { label: 'Ended', value: run.endedAt ? formatTime(new Date(run.endedAt)) : '—' },
              { label: 'Last heartbeat', value: run.heartbeatAt ? formatTime(new Date(run.heartbeatAt)) : '—' },
            ]}
          />
          <h3 style={{ marginTop: 16 }}>Tags</h3>
          {Object.keys(run.tags).length === 0 ? (
            <p className="ui-muted">No tags.</p>
          ) : (
            <span className="ui-chips">
              {Object.entries(run.tags).map(([k, v]) => (
                <TagChip key={k} name={k} value={v} />
              ))}
            </span>
          )}
        </section>
        <section className="card" aria-labelledby="config">
          <h2 id="config">Config</h2>
          <pre className="config-json" tabIndex={0} aria-label="Run config (JSON)">{JSON.stringify(run.config, null, 2)}</pre>
        </section>
      </div>
      {composition ? (
        <section className="card" aria-labelledby="split">
          <h2 id="split">
            Split: {composition.kind}, seed {composition.seed}
            {composition.fold !== null ? `, fold ${composition.fold + 1} of ${composition.folds}` : ''}
          </h2>
          <div className="ui-table-wrap">
            <table className="ui-table" data-testid="split-composition">
              <caption className="ui-visually-hidden">How the split divides the dataset version</caption>
              <thead>
                <tr>
                  <th scope="col">Part</th>
                  <th scope="col" className="num">Cases</th>
                  <th scope="col" className="num">Patients</th>
                  <th scope="col" className="num">Benign</th>
                  <th scope="col" className="num">Malignant</th>
                </tr>
              </thead>
              <tbody>
                {composition.parts.map((p) => (
                  <tr key={p.part}>
                    <th scope="row">{p.part}</th>
                    <td className="num">{p.cases}</td>
                    <td className="num">{p.patients}</td>
                    <td className="num">{p.benign}</td>
                    <td className="num">{p.malignant}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section className="card" aria-labelledby="artifacts">
        <h2 id="artifacts">Artifacts</h2>
        {run.artifacts.length === 0 ? (
          <p className="ui-muted">No artifacts stored.</p>
        ) : (
          <div className="ui-table-wrap">
            <table className="ui-table" data-testid="artifacts">
              <caption className="ui-visually-hidden">Artifacts</caption>
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">sha256</th>
                  <th scope="col">Download</th>
                </tr>
              </thead>
              <tbody>
                {run.artifacts.map((a) => (
                  <tr key={a.path}>
                    <th scope="row">
                      <code>{a.path}</code>
                    </th>
                    <td>{a.kind}</td>
                    <td className="num">{formatBytes(a.bytes)}</td>
                    <td>
                      <code title={a.sha256}>{a.sha256.slice(0, 16)}…</code>
                    </td>
                    <td>
                      <a href={a.downloadPath} download>
                        Download<span className="ui-visually-hidden"> {a.path}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function groupRoc<T extends { task: string }>(curves: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const c of curves) groups.set(c.task, [...(groups.get(c.task) ?? []), c]);
  return [...groups];
}

type RunPageProps = { params: Promise<{ runId: string }>; searchParams: Promise<SearchParams> };

/** The run must exist before the page streams, so that an unknown id answers 404. */
export default async function RunPage(props: RunPageProps) {
  const { runId } = await props.params;
  const run = await orNotFound((await api()).runs.get({ id: runId }));
  return (
    <Streamed>
      <RunBody run={run} searchParams={props.searchParams} />
    </Streamed>
  );
}
