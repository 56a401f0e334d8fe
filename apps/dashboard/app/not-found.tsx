import { EmptyState } from '@ovus/ui';

export default function NotFound() {
  return (
    <EmptyState title="Nothing here">
      <p>No project, sweep, run or dataset has this id. It may have been deleted, or the link was cut short.</p>
      <p>
        <a href="/">Back to the projects</a>
      </p>
    </EmptyState>
  );
}
