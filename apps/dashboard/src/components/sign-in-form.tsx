'use client';
// Posts email and password to better-auth's sign-in endpoint (same origin, JSON), which sets the
// httpOnly session cookie; then goes where the person was headed. Messages never say whether the
// email has an account.
import { useState, type FormEvent } from 'react';

function safeNext(next: string | null): string {
  // Only paths on this site: an open redirect would make the sign-in page a phishing aid.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInForm({ next }: { next: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (response.ok) {
        window.location.assign(safeNext(next));
        return;
      }
      if (response.status === 429) {
        const wait = response.headers.get('x-retry-after');
        setError(`Too many sign-in attempts. Wait ${wait ? `${wait} seconds` : 'a while'} and try again, or ask an admin.`);
      } else if (response.status === 401) {
        setError('That email and password do not match an account.');
      } else {
        setError('Signing in failed. Try again; if it keeps failing, tell an admin.');
      }
    } catch {
      setError('The server could not be reached. Check the connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card sign-in" onSubmit={(event) => void submit(event)} aria-describedby={error ? 'sign-in-error' : undefined}>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? (
        <p id="sign-in-error" role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="ui-button ui-button-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
