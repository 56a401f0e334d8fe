// A page's loading state, shown while its data loads. Pages check that what they show exists
// before this boundary (the id in the path or the query), because the response's status is fixed
// once the fallback streams out: an unknown id must be found out first to answer 404, not a 200
// that later renders "not found". (A route-level loading.tsx would wrap every page below it in
// such a boundary before any check could run, so there is none.)
import { LoadingState, Skeleton } from '@ovus/ui';
import { Suspense, type ReactNode } from 'react';

export function PageLoading() {
  return (
    <>
      <LoadingState />
      <Skeleton height={48} />
      <Skeleton height={320} />
    </>
  );
}

export function Streamed({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}
