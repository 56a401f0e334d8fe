// The uploaded images and, per head, the saliency overlay of each image beside them: what the
// model looked at for the class it predicted. Pictures come in as URLs (data: or blob:).
export interface Picture {
  src: string;
  width: number;
  height: number;
}

export interface SaliencyRow {
  task: string;
  title: string;
  /** The class the map explains (the head's prediction). */
  explains: string;
  bmus: Picture | null;
  ceus: Picture | null;
}

export interface SaliencyGridProps {
  /** E.g. 'Grad-CAM on block5 (…)'. */
  method: string;
  inputs: { bmus: Picture & { name: string }; ceus: Picture & { name: string } };
  rows: readonly SaliencyRow[];
  /** Longest side of each picture on the page, in CSS pixels. Default 200. */
  displaySide?: number;
}

function Figure({ picture, caption, alt, side, testId }: { picture: Picture; caption: string; alt: string; side: number; testId?: string }) {
  const scale = side / Math.max(picture.width, picture.height);
  return (
    <figure className="ui-picture" data-testid={testId}>
      {/* Pictures are data produced for this page: next/image would only add a loader. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={picture.src} alt={alt} width={Math.round(picture.width * scale)} height={Math.round(picture.height * scale)} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

export function SaliencyGrid({ method, inputs, rows, displaySide = 200 }: SaliencyGridProps) {
  return (
    <div className="ui-saliency">
      <p className="ui-muted">
        Method: {method}. Warm colours mark where the class score rose most with the image; the map is normalised per image, so it says where, not how much.
      </p>
      <div className="ui-saliency-row">
        <h3>Uploaded images</h3>
        <div className="ui-saliency-pictures">
          <Figure picture={inputs.bmus} caption={`BMUS: ${inputs.bmus.name}`} alt={`Uploaded B-mode image ${inputs.bmus.name}`} side={displaySide} testId="input-bmus" />
          <Figure picture={inputs.ceus} caption={`CEUS: ${inputs.ceus.name}`} alt={`Uploaded contrast-enhanced image ${inputs.ceus.name}`} side={displaySide} testId="input-ceus" />
        </div>
      </div>
      {rows.map((row) => (
        <div key={row.task} className="ui-saliency-row" data-testid="saliency-row" data-task={row.task}>
          <h3>
            {row.title}: where the model saw “{row.explains}”
          </h3>
          <div className="ui-saliency-pictures">
            {(['bmus', 'ceus'] as const).map((m) => {
              const picture = row[m];
              return picture ? (
                <Figure
                  key={m}
                  picture={picture}
                  caption={`${m.toUpperCase()} overlay`}
                  alt={`${m === 'bmus' ? 'B-mode' : 'Contrast-enhanced'} image with the saliency map for ${row.title.toLowerCase()} = ${row.explains.toLowerCase()}`}
                  side={displaySide}
                  testId={`overlay-${m}`}
                />
              ) : null;
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
