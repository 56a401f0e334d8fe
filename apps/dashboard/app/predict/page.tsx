// Predict one BMUS/CEUS pair with a run's selected model: pick the run (or arrive from its page),
// upload the two images, and read every head's probabilities, the saliency overlays, the IOTA
// Simple Rules verdict and the structured report, with its downloads. Team members only.
import { ErrorState } from '@ovus/ui';
import type { Metadata } from 'next';
import { PageHead } from '../../src/components/page-head';
import { PredictForm, type RunOption } from '../../src/components/predict-form';
import { api } from '../../src/server/api';
import { orNotFound } from '../../src/server/not-found';
import { one, type SearchParams } from '../../src/url';
import { predictAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Predict a pair' };

export default async function PredictPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const runId = one(await searchParams, 'run');
  const caller = await api();
  const [runs, chosen] = await Promise.all([caller.inference.predictableRuns({ limit: 50 }), runId ? orNotFound(caller.inference.model({ runId })) : Promise.resolve(null)]);
  const options: RunOption[] = runs.map((r) => ({ id: r.id, label: `${r.name} · ${r.backbone} · ${r.tasks.length} heads${r.status === 'finished' ? '' : ` (${r.status})`}` }));
  // A run reached by its link but older than the list's newest: offered all the same.
  if (runId && chosen?.ok && !options.some((o) => o.id === runId)) options.unshift({ id: runId, label: runId });
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Runs', href: '/runs' }, ...(runId ? [{ label: 'Run', href: `/runs/${runId}` }] : [])]}
        title="Predict a pair"
        sub="Decision support for reading, not a diagnosis: the model’s findings in O-RADS US wording, where it looked, and how the IOTA Simple Rules decide on them."
      />
      {chosen && !chosen.ok ? (
        <div data-testid="run-without-model">
          <ErrorState title="This run has no model to predict with" message={chosen.reason} hint={<p>Pick another run below.</p>} />
        </div>
      ) : null}
      {options.length === 0 ? (
        <ErrorState title="No run has a model yet" message="Predictions use a run's stored model; none of the newest runs has stored one." hint={<p>Train a run (ovus train …) and come back when it has finished.</p>} />
      ) : (
        <PredictForm action={predictAction} runs={options} runId={chosen?.ok ? runId : ''} />
      )}
    </>
  );
}
