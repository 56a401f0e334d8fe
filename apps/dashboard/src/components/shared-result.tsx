// The clinician's page: the shared result in plain clinical words, each number with what it means
// and how uncertain it is, and the research caveat first. Props in, markup out.
import type { SharedView } from '@ovus/domain';

function Caveat({ text }: { text: string }) {
  return (
    <div className="caveat" role="note" data-testid="research-caveat">
      <strong>Research software — not for clinical decisions.</strong> {text}
    </div>
  );
}

export function SharedResult({ view, caveat }: { view: SharedView | null; caveat: string }) {
  if (!view) {
    return (
      <>
        <Caveat text={caveat} />
        <p>This kind of result cannot be shown through a link yet. Ask the person who shared it for a summary.</p>
      </>
    );
  }
  return (
    <>
      <Caveat text={view.caveat} />
      {view.notice ? <p className="sentence">{view.notice}</p> : null}
      {view.kind === 'run' ? (
        <section aria-labelledby="findings" data-testid="shared-findings">
          <h2 id="findings">What the model ({view.model}) was asked, and how often it was right</h2>
          <p className="ui-muted">
            The model looks at a B-mode and a contrast-enhanced ultrasound image of the same tumour. For each feature below it was
            tested on images it had not seen during training. &quot;95% CI&quot; is the range that, with 95% confidence, contains the
            true rate; a wide range means the figure is uncertain.
          </p>
          <ul className="findings">
            {view.findings.map((f) => (
              <li key={f.task} data-task={f.task}>
                <h3>{f.title}</h3>
                <p>
                  Telling <em>{f.question}</em>: {f.accuracy.text}.
                </p>
                {f.auc ? <p className="ui-muted">How well it ranks the two: {f.auc.text}.</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {view.kind === 'sweep' ? (
        <section aria-labelledby="models" data-testid="shared-models">
          <h2 id="models">Models compared</h2>
          <p className="ui-muted">{view.question}</p>
          <ul className="findings">
            {view.models.map((m, i) => (
              <li key={`${m.model}-${i}`}>
                <h3>{m.model}</h3>
                <p>Benign or malignant: {m.text}.</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {view.kind === 'selection' ? (
        <section aria-labelledby="parameters" data-testid="shared-parameters">
          <h2 id="parameters">Which ultrasound features matter for telling benign from malignant</h2>
          <ul className="findings">
            {view.parameters.map((p) => (
              <li key={p.parameter}>
                <h3>{p.title}</h3>
                {p.sentences.map((s) => (
                  <p key={s}>{s}</p>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
