// A confusion matrix as a heat map: shade by the share of each true class (row), count in the
// cell, so small classes are as readable as large ones. Text colour flips on dark cells for contrast.
export interface ConfusionHeatmapProps {
  title: string;
  classNames: readonly string[];
  /** counts[true][predicted] */
  counts: readonly (readonly number[])[];
}

export function ConfusionHeatmap({ title, classNames, counts }: ConfusionHeatmapProps) {
  return (
    <figure className="ui-heatmap" data-chart="confusion">
      <figcaption className="ui-chart-title">{title}</figcaption>
      <table className="ui-heatmap-table">
        <thead>
          <tr>
            <th scope="col" className="ui-heatmap-corner">
              true ↓ / predicted →
            </th>
            {classNames.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((row, r) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={classNames[r] ?? r}>
                <th scope="row">{classNames[r] ?? `class ${r}`}</th>
                {row.map((count, c) => {
                  const share = total > 0 ? count / total : 0;
                  const dark = share > 0.55;
                  return (
                    <td
                      key={c}
                      className={r === c ? 'ui-heatmap-diagonal' : undefined}
                      style={{ background: heat(share), color: dark ? '#ffffff' : '#1f2328' }}
                      title={`${count} of ${total} (${Math.round(share * 100)}%)`}
                    >
                      {count}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

/** White → deep blue in perceptually even-ish steps. */
function heat(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  const from = [246, 248, 250];
  const to = [12, 74, 150];
  const mix = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}
