'use client';
// The predict page's form: pick a run, choose a BMUS and a CEUS image, predict. The files are
// checked here before anything is sent (both there, not too large) and again on the server;
// refusals are shown in the form, in the words the API gives them.
import { useActionState, useEffect, useRef, useState } from 'react';
import type { PredictState } from '../../app/predict/actions';
import { ACCEPT, MAX_IMAGE_BYTES, uploadProblem } from '../../app/predict/upload-limits';
import { PredictionView, type Previews } from './prediction-view';

export interface RunOption {
  id: string;
  label: string;
}

const fileOf = (value: FormDataEntryValue | null): File | null => (value instanceof File && value.name !== '' ? value : null);

export function PredictForm({
  action,
  runs,
  runId,
}: {
  action: (previous: PredictState, form: FormData) => Promise<PredictState>;
  runs: readonly RunOption[];
  runId: string;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [previews, setPreviews] = useState<Previews>({ bmus: null, ceus: null });
  const [selected, setSelected] = useState(runId || runs[0]?.id || '');
  const shown = useRef<Previews>(previews);
  shown.current = previews;
  useEffect(() => () => Object.values(shown.current).forEach((url) => url && URL.revokeObjectURL(url)), []);

  const submit = (form: FormData) => {
    const bmus = fileOf(form.get('bmus'));
    const ceus = fileOf(form.get('ceus'));
    const problem = uploadProblem({ bmus, ceus });
    if (problem) {
      setLocalError(problem);
      return;
    }
    setLocalError(null);
    Object.values(previews).forEach((url) => url && URL.revokeObjectURL(url));
    setPreviews({ bmus: bmus ? URL.createObjectURL(bmus) : null, ceus: ceus ? URL.createObjectURL(ceus) : null });
    dispatch(form);
  };
  const error = localError ?? (pending ? null : state?.error);
  return (
    <>
      <form action={submit} className="card link-form" data-testid="predict-form">
        <h2>Predict one BMUS/CEUS pair</h2>
        <div className="form-row">
          <label>
            Run (its selected model)
            <select name="runId" value={selected} onChange={(e) => setSelected(e.target.value)} required>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            B-mode image (BMUS)
            <input type="file" name="bmus" accept={ACCEPT} />
          </label>
          <label>
            Contrast-enhanced image (CEUS)
            <input type="file" name="ceus" accept={ACCEPT} />
          </label>
        </div>
        <p className="ui-muted">
          PNG, JPEG or DICOM, at most {MAX_IMAGE_BYTES / 1024 / 1024} MiB each, of the same tumour. The images are read for this prediction only and not stored.
        </p>
        <button type="submit" className="ui-button ui-button-primary" disabled={pending || runs.length === 0}>
          {pending ? 'Predicting…' : 'Predict'}
        </button>
        {pending ? (
          <p role="status" className="ui-muted">
            Running the model and the saliency maps…
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="form-error" data-testid="predict-error">
            {error}
          </p>
        ) : null}
      </form>
      {state?.result && !pending ? <PredictionView result={state.result} previews={previews} /> : null}
    </>
  );
}
