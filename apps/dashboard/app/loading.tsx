import { LoadingState, Skeleton } from '@ovus/ui';

export default function Loading() {
  return (
    <>
      <LoadingState />
      <Skeleton height={48} />
      <Skeleton height={320} />
    </>
  );
}
