// Filters as a plain GET form: submitting writes every choice into the query string, so a view
// is a URL that can be bookmarked or pasted, and it works before any script has loaded.
export interface FilterOption {
  value: string;
  label: string;
}

export type FilterField =
  | { kind: 'select'; name: string; label: string; value: string; options: readonly FilterOption[]; anyLabel?: string }
  | { kind: 'text'; name: string; label: string; value: string; placeholder?: string };

export interface FilterFormProps {
  fields: readonly FilterField[];
  /** Query parameters the form must keep (columns, sort) but does not show. */
  keep?: Readonly<Record<string, string | readonly string[]>>;
  action?: string;
  resetHref?: string;
  label?: string;
}

export function FilterForm({ fields, keep = {}, action, resetHref, label = 'Filters' }: FilterFormProps) {
  return (
    <form className="ui-filters" method="get" action={action} aria-label={label} role="search">
      {fields.map((field) => (
        <label key={field.name} className="ui-field">
          <span className="ui-field-label">{field.label}</span>
          {field.kind === 'select' ? (
            <select name={field.name} defaultValue={field.value} data-filter={field.name}>
              <option value="">{field.anyLabel ?? 'Any'}</option>
              {field.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input type="search" name={field.name} defaultValue={field.value} placeholder={field.placeholder} data-filter={field.name} />
          )}
        </label>
      ))}
      <HiddenInputs values={keep} />
      <div className="ui-filter-actions">
        <button type="submit" className="ui-button ui-button-primary">
          Apply
        </button>
        {resetHref ? (
          <a href={resetHref} className="ui-button">
            Reset
          </a>
        ) : null}
      </div>
    </form>
  );
}

export function HiddenInputs({ values }: { values: Readonly<Record<string, string | readonly string[]>> }) {
  return (
    <>
      {Object.entries(values).flatMap(([name, value]) =>
        (typeof value === 'string' ? [value] : value).map((v, i) => <input key={`${name}-${i}`} type="hidden" name={name} value={v} />),
      )}
    </>
  );
}

export interface ColumnChooserProps {
  columns: readonly { id: string; label: string }[];
  visible: readonly string[];
  keep?: Readonly<Record<string, string | readonly string[]>>;
}

/** A disclosure with one checkbox per column; the chosen columns go into the URL as `col`. */
export function ColumnChooser({ columns, visible, keep = {} }: ColumnChooserProps) {
  return (
    <details className="ui-columns">
      <summary className="ui-button">Columns ({visible.length})</summary>
      <form method="get" className="ui-columns-form" aria-label="Choose columns">
        <fieldset>
          <legend>Show columns</legend>
          {columns.map((c) => (
            <label key={c.id} className="ui-check">
              <input type="checkbox" name="col" value={c.id} defaultChecked={visible.includes(c.id)} />
              {c.label}
            </label>
          ))}
        </fieldset>
        <HiddenInputs values={keep} />
        <button type="submit" className="ui-button ui-button-primary">
          Show
        </button>
      </form>
    </details>
  );
}

export interface PagerProps {
  from: number;
  to: number;
  total?: number | null;
  previousHref?: string | null;
  previousLabel?: string;
  nextHref?: string | null;
}

export function Pager({ from, to, total, previousHref, previousLabel = '← Previous', nextHref }: PagerProps) {
  return (
    <nav className="ui-pager" aria-label="Pages">
      <span className="ui-muted" data-testid="pager-range">
        {to === 0 ? 'No rows' : `Rows ${from}–${to}${total !== null && total !== undefined ? ` of ${total}` : ''}`}
      </span>
      <span className="ui-pager-links">
        {previousHref ? (
          <a className="ui-button" href={previousHref} rel="prev">
            {previousLabel}
          </a>
        ) : (
          <span className="ui-button ui-button-disabled" aria-disabled="true">
            {previousLabel}
          </span>
        )}
        {nextHref ? (
          <a className="ui-button" href={nextHref} rel="next">
            Next →
          </a>
        ) : (
          <span className="ui-button ui-button-disabled" aria-disabled="true">
            Next →
          </span>
        )}
      </span>
    </nav>
  );
}
