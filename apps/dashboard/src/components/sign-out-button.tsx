'use client';
// Signing out is a POST (better-auth checks its origin), then back to the sign-in page.
export function SignOutButton({ email }: { email: string }) {
  async function signOut() {
    await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
    window.location.assign('/sign-in');
  }
  return (
    <button type="button" className="topbar-button" onClick={() => void signOut()} title={`Signed in as ${email}`}>
      Sign out
    </button>
  );
}
