'use client';
// The form that makes a share link; the link is shown once, here, and never stored in clear.
import { useActionState } from 'react';
import type { CreateLinkState } from '../../app/links/actions';

export function CreateLinkForm({
  action,
  scope,
  targetId,
}: {
  action: (previous: CreateLinkState, form: FormData) => Promise<CreateLinkState>;
  scope: string;
  targetId: string;
}) {
  const [state, submit, pending] = useActionState(action, null);
  return (
    <form action={submit} className="card link-form" data-testid="create-link">
      <h2>Share one result with a clinician</h2>
      <div className="form-row">
        <label>
          What
          <select name="scope" defaultValue={scope || 'run'}>
            <option value="run">a run</option>
            <option value="sweep">a sweep</option>
            <option value="selection">a selection analysis</option>
          </select>
        </label>
        <label>
          Its id
          <input name="targetId" defaultValue={targetId} required size={38} pattern="[0-9a-fA-F-]{36}" title="The run's, sweep's or analysis' id (a UUID)" />
        </label>
        <label>
          Label (optional, shown to the clinician)
          <input name="label" maxLength={200} placeholder="e.g. For Dr. Lee, tumour board 12 Dec" />
        </label>
        <label>
          Expires after (days, optional)
          <input name="expiresInDays" type="number" min="0.00001" max="365" step="any" defaultValue="30" />
        </label>
      </div>
      <p className="ui-muted">The link opens only this result, read-only, in plain clinical words — no case ids, images or configs. You can revoke it at any time.</p>
      <button type="submit" className="ui-button ui-button-primary" disabled={pending}>
        {pending ? 'Making the link…' : 'Make link'}
      </button>
      {state && 'error' in state ? (
        <p role="alert" className="form-error">
          {state.error}
        </p>
      ) : null}
      {state && 'url' in state ? (
        <div className="hint-box" role="status" data-testid="new-link">
          <p>
            Copy this link now — it is shown only once{state.expiresAt ? ` and works until ${state.expiresAt.slice(0, 16).replace('T', ' ')} UTC` : ''}:
          </p>
          <pre data-testid="new-link-url">{state.url}</pre>
        </div>
      ) : null}
    </form>
  );
}
