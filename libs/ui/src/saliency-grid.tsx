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
  /** The uploads as the browser shows them; src null where it cannot (DICOM). */
  inputs: Record<'bmus' | 'ceus', { name: string; src: string | null; width: number; height: number }>;
  rows: readonly SaliencyRow[];
  /** The map's resolution before it was enlarged to the picture (feature-map cells). */
  grid?: readonly [number, number];
  /** Longest side of each picture on the page, in CSS pixels. Default 200. */
  displaySide?: number;
}

function Figure({ picture, caption, alt, side, testId }: { picture: Picture; caption: string; alt: string; side: number; testId?: string }) {
  const scale = side / Math.max(picture.width, picture.height);
  return (
    <figure className="ui-picture" data-testid={testId}>
      <img src={picture.src} alt={alt} width={Math.round(picture.width * scale)} height={Math.round(picture.height * scale)} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

export function SaliencyGrid({ method, inputs, rows, grid, displaySide = 200 }: SaliencyGridProps) {
  const coarse = grid !== undefined && Math.min(grid[0], grid[1]) < 4;
  return (
    <div className="ui-saliency">
      <p className="ui-muted">
        Method: {method}. Warm colours mark where the class score rose most with the image; the map is normalised per image, so it says where, not how much.
      </p>
      {coarse && grid ? (
        <p className="caveat" data-testid="saliency-coarse">
          The map has only {grid[0]}×{grid[1]} cells at this model’s input size, so it can say little or nothing about where in the image the model looked: a model trained at a
          larger input size gives finer maps.
        </p>
      ) : null}
      <div className="ui-saliency-row">
        <h3>Uploaded images</h3>
        <div className="ui-saliency-pictures">
          {(['bmus', 'ceus'] as const).map((m) => {
            const input = inputs[m];
            const caption = `${m.toUpperCase()}: ${input.name} (${input.width}×${input.height})`;
            return input.src ? (
              <Figure key={m} picture={{ ...input, src: input.src }} caption={caption} alt={`Uploaded ${m === 'bmus' ? 'B-mode' : 'contrast-enhanced'} image ${input.name}`} side={displaySide} testId={`input-${m}`} />
            ) : (
              <p key={m} className="ui-muted" data-testid={`input-${m}`}>
                {caption}: not shown (the browser cannot display this format); its overlays below are.
              </p>
            );
          })}
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
