import type { Metadata } from 'next';
import { SignInForm } from '../../src/components/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <p className="ui-muted">The dashboard is for members of the team. Ask an admin for an account (<code>npx ovus user add</code>).</p>
      <SignInForm next={next ?? null} />
    </div>
  );
}
