'use client';
// One prediction as the predict page shows it: warnings first, then every head's probabilities,
// the overlays beside the uploads, the IOTA Simple Rules verdict, and the report with its
// downloads (made in the browser from the returned bytes: nothing is stored on the server).
import { useEffect, useState } from 'react';
import { TASKS, isTaskName } from '@ovus/domain';
import { PredictionHeads, ReportText, RuleVerdict, SaliencyGrid, type SaliencyRow } from '@ovus/ui';
import type { PredictPairResult } from '../server/api';

export type Previews = Record<'bmus' | 'ceus', string | null>;

const title = (task: string) => (isTaskName(task) ? TASKS[task].title : task);

function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

interface Downloads {
  markdown: string | null;
  pdf: string | null;
  text: string | null;
}

function useDownloads(result: PredictPairResult): Downloads {
  const [urls, setUrls] = useState<Downloads>({ markdown: null, pdf: null, text: null });
  useEffect(() => {
    const made: Downloads = {
      markdown: result.reportMarkdown ? URL.createObjectURL(new Blob([result.reportMarkdown], { type: 'text/markdown;charset=utf-8' })) : null,
      pdf: result.reportPdfBase64 ? URL.createObjectURL(new Blob([base64Bytes(result.reportPdfBase64)], { type: 'application/pdf' })) : null,
      text: result.reportText ? URL.createObjectURL(new Blob([result.reportText], { type: 'text/plain;charset=utf-8' })) : null,
    };
    setUrls(made);
    return () => Object.values(made).forEach((url) => url && URL.revokeObjectURL(url));
  }, [result]);
  return urls;
}

export function PredictionView({ result, previews }: { result: PredictPairResult; previews: Previews }) {
  const downloads = useDownloads(result);
  const stem = result.inputs.bmus.name.replace(/\.[^.]+$/, '').replace(/[^\w.-]/g, '_') || 'pair';
  const rows: SaliencyRow[] = result.heads.map((head) => {
    const overlay = (m: 'bmus' | 'ceus') => {
      const o = result.saliency?.overlays.find((x) => x.task === head.task && x.modality === m);
      return o ? { src: `data:image/png;base64,${o.pngBase64}`, width: o.width, height: o.height } : null;
    };
    const explains = result.saliency?.overlays.find((x) => x.task === head.task)?.explains ?? head.classes.find((c) => c.code === head.predicted)?.name ?? '';
    return { task: head.task, title: head.title, explains, bmus: overlay('bmus'), ceus: overlay('ceus') };
  });
  const viewable = (m: 'bmus' | 'ceus') => (result.inputs[m].format === 'dicom' ? null : previews[m]);
  return (
    <div data-testid="prediction">
      {result.warnings.length > 0 ? (
        <section className="card caveat" aria-labelledby="prediction-warnings" data-testid="prediction-warnings">
          <h2 id="prediction-warnings">Read these first</h2>
          <ul>
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="ui-muted" data-testid="prediction-model">
        Run <a href={`/runs/${result.runId}`}>{result.runId}</a>: {result.model.backbone} at {result.model.inputSize} px, model <code>{result.model.artifact}</code> (sha256{' '}
        <code title={result.model.sha256}>{result.model.sha256.slice(0, 16)}…</code>), backend {result.backend}.
      </p>
      <section className="card" aria-labelledby="prediction-heads">
        <h2 id="prediction-heads">Class probabilities per head</h2>
        <PredictionHeads heads={result.heads} absent={result.absent.map(title)} />
        <p className="card-note">Softmax outputs of an uncalibrated model: a ranking of the classes for this pair, not a risk.</p>
      </section>
      {result.saliency ? (
        <section className="card" aria-labelledby="prediction-saliency">
          <h2 id="prediction-saliency">Where the model looked</h2>
          <SaliencyGrid
            method={result.saliency.method}
            inputs={{
              bmus: { ...result.inputs.bmus, src: viewable('bmus') },
              ceus: { ...result.inputs.ceus, src: viewable('ceus') },
            }}
            rows={rows}
            grid={result.saliency.overlays[0]?.grid}
          />
        </section>
      ) : null}
      {result.rules ? (
        <section className="card" aria-labelledby="prediction-rules">
          <h2 id="prediction-rules">IOTA Simple Rules from the predicted parameters</h2>
          <RuleVerdict {...result.rules} />
        </section>
      ) : null}
      {result.reportText ? (
        <section className="card" aria-labelledby="prediction-report">
          <h2 id="prediction-report">
            <span>Structured report</span>
            <span className="export-links">
              {downloads.markdown ? (
                <a className="ui-button" href={downloads.markdown} download={`${stem}.report.md`} data-testid="download-markdown">
                  Markdown
                </a>
              ) : null}
              {downloads.pdf ? (
                <a className="ui-button" href={downloads.pdf} download={`${stem}.report.pdf`} data-testid="download-pdf">
                  PDF
                </a>
              ) : null}
              {downloads.text ? (
                <a className="ui-button" href={downloads.text} download={`${stem}.report.txt`} data-testid="download-text">
                  Text
                </a>
              ) : null}
            </span>
          </h2>
          <ReportText text={result.reportText} />
        </section>
      ) : null}
    </div>
  );
}
