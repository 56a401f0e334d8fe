// What the predict page accepts, checked in the browser before anything is sent and again by the
// server action. The cap keeps both images of a pair under the proxy's 10 MB request buffer
// (Next buffers a request body for proxy.ts) with room for the form's other fields.
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
export const ACCEPT = '.png,.jpg,.jpeg,.dcm,image/png,image/jpeg,application/dicom';

export const MODALITY_NAMES = { bmus: 'B-mode (BMUS)', ceus: 'contrast-enhanced (CEUS)' } as const;

/** The first problem with the chosen files, as a sentence the uploader can act on; null when both are fine. */
export function uploadProblem(files: { bmus: { name: string; size: number } | null; ceus: { name: string; size: number } | null }): string | null {
  const missing = (['bmus', 'ceus'] as const).filter((m) => !files[m] || files[m].size === 0 || files[m].name === '');
  if (missing.length > 0) {
    return `Choose the ${missing.map((m) => MODALITY_NAMES[m]).join(' and ')} image: the model reads a BMUS and a CEUS image of the same tumour together.`;
  }
  for (const m of ['bmus', 'ceus'] as const) {
    const file = files[m];
    if (file && file.size > MAX_IMAGE_BYTES) {
      return `The ${MODALITY_NAMES[m]} image '${file.name}' is ${(file.size / 1024 / 1024).toFixed(1)} MiB; at most ${MAX_IMAGE_BYTES / 1024 / 1024} MiB is accepted. Export it as PNG or JPEG at its native resolution.`;
    }
  }
  return null;
}
