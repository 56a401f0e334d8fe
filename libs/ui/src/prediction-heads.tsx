// Every head's class probabilities for one predicted pair: a table per head with a bar per class,
// the predicted class marked; heads the model does not have are named, not left out silently.
export interface HeadClass {
  code: number;
  name: string;
  probability: number;
}

export interface PredictedHead {
  task: string;
  title: string;
  predicted: number;
  classes: readonly HeadClass[];
}

export interface PredictionHeadsProps {
  heads: readonly PredictedHead[];
  /** Titles of the tasks this model has no head for. */
  absent: readonly string[];
}

const percent = (p: number) => `${(100 * p).toFixed(1)}%`;

export function PredictionHeads({ heads, absent }: PredictionHeadsProps) {
  return (
    <div className="ui-heads">
      <div className="ui-heads-grid">
        {heads.map((head) => (
          <table key={head.task} className="ui-table ui-head-table" data-testid="head-probabilities" data-task={head.task}>
            <caption>{head.title}</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Probability</th>
                <th scope="col" className="num">
                  %
                </th>
              </tr>
            </thead>
            <tbody>
              {head.classes.map((c) => {
                const chosen = c.code === head.predicted;
                return (
                  <tr key={c.code} data-probability={c.probability} className={chosen ? 'ui-head-chosen' : undefined}>
                    <th scope="row">
                      {c.name}
                      {chosen ? <span className="ui-visually-hidden"> (predicted)</span> : null}
                    </th>
                    <td>
                      <span className="ui-prob-track" aria-hidden="true">
                        <span className="ui-prob-bar" style={{ width: `${Math.max(0, Math.min(1, c.probability)) * 100}%` }} />
                      </span>
                    </td>
                    <td className="num">{percent(c.probability)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
      </div>
      {absent.length > 0 ? (
        <p className="ui-muted" data-testid="absent-heads">
          Not predicted — the run did not train these heads: {absent.join(', ')}.
        </p>
      ) : null}
    </div>
  );
}
