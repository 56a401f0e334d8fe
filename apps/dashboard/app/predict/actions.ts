'use server';
// The predict page's upload: a server action (Next checks it is posted from this site), which
// calls inference.predictPair as the signed-in member. Nothing is stored; the result goes back to
// the page and nowhere else.
import { redirect } from 'next/navigation';
import { predictPair, type PredictPairResult } from '../../src/server/api';
import { uploadProblem } from './upload-limits';

export type PredictState = { result: PredictPairResult; error?: undefined } | { error: string; result?: undefined } | null;

const fileOf = (value: FormDataEntryValue | null): File | null => (value instanceof File && value.name !== '' ? value : null);

export async function predictAction(_previous: PredictState, form: FormData): Promise<PredictState> {
  const runId = String(form.get('runId') ?? '').trim();
  if (!runId) return { error: 'Choose a run whose model should predict.' };
  const bmus = fileOf(form.get('bmus'));
  const ceus = fileOf(form.get('ceus'));
  const problem = uploadProblem({ bmus, ceus });
  if (problem || !bmus || !ceus) return { error: problem ?? 'Choose both images.' };
  const encode = async (file: File) => ({ name: file.name, base64: Buffer.from(await file.arrayBuffer()).toString('base64') });
  const outcome = await predictPair({ runId, bmus: await encode(bmus), ceus: await encode(ceus), saliency: true, report: true });
  if (outcome.state === 'sign-in') redirect(`/sign-in?next=${encodeURIComponent(`/predict?run=${runId}`)}`);
  if (outcome.state === 'refused') return { error: outcome.message };
  return { result: outcome.result };
}
