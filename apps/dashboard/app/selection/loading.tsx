import { LoadingState, Skeleton } from '@ovus/ui';

export default function Loading() {
  return (
    <>
      <LoadingState label="Loading the selection analysis…" />
      <Skeleton height={120} />
      <Skeleton height={360} />
    </>
  );
}
