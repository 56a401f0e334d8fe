// A two-column list of facts (environment, run info); values may be any markup.
import type { ReactNode } from 'react';

export interface KeyValue {
  label: string;
  value: ReactNode;
}

export function KeyValueList({ items, label }: { items: readonly KeyValue[]; label?: string }) {
  return (
    <dl className="ui-kv" aria-label={label}>
      {items.map((item) => (
        <div key={item.label} className="ui-kv-row">
          <dt>{item.label}</dt>
          <dd>{item.value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
