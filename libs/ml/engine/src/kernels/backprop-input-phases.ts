// Geometry for an input gradient computed as forward convolutions of dy.
//
// For stride s > 1 the textbook method dilates dy with s-1 zeros between pixels and runs a
// stride-1 convolution, which wastes (s^2-1)/s^2 of the multiply-adds on zeros. Instead the
// input rows are split by phase r = (ih + padTop) mod s: each phase only ever meets the filter
// taps kh ≡ r (mod s), so it is a dense stride-1 convolution of dy with that sub-filter, flipped.
// The phase results are then interleaved back into dx. With s = 1 there is one phase holding
// every tap (at the forward dilation d), i.e. the usual "convolve with the flipped filter".
// As in TensorFlow, stride and dilation are never both above 1.

export interface AxisPhase {
  /** Residue of (input index + padBefore) modulo the stride. */
  residue: number;
  /** Forward filter taps used by this phase, in the order the flipped sub-filter holds them. */
  taps: number[];
  /** Dilation of the sub-filter over dy. */
  dilation: number;
  /** dy rows to keep: [begin, end). Negative virtual padding becomes a crop. */
  cropBegin: number;
  cropEnd: number;
  /** Zero padding to add around the cropped dy before the stride-1 convolution. */
  padBefore: number;
  padAfter: number;
  /** Number of input positions this phase produces. */
  count: number;
  /** First input position produced; the next ones follow at `step` apart. */
  firstInput: number;
  step: number;
}

export interface AxisGeometry {
  inSize: number;
  outSize: number;
  filterSize: number;
  stride: number;
  dilation: number;
  padBefore: number;
}

export function backpropInputPhases(axis: AxisGeometry): AxisPhase[] {
  const { inSize, outSize, filterSize, stride, dilation, padBefore } = axis;
  if (stride > 1 && dilation > 1) {
    throw new Error(`input gradient with stride ${stride} and dilation ${dilation}: one of them must be 1 (as in TensorFlow).`);
  }
  const phases: AxisPhase[] = [];
  for (let residue = 0; residue < stride; residue++) {
    const tapCount = Math.ceil((filterSize - residue) / stride);
    const mMin = Math.ceil((padBefore - residue) / stride);
    const mMax = Math.floor((inSize - 1 + padBefore - residue) / stride);
    const count = mMax - mMin + 1;
    if (count <= 0) continue;
    const taps: number[] = [];
    for (let j = tapCount - 1; j >= 0; j--) taps.push(residue + stride * j);
    const span = Math.max(tapCount - 1, 0) * dilation;
    const virtualBefore = span - mMin;
    const virtualAfter = count + span - virtualBefore - outSize;
    phases.push({
      residue,
      taps,
      dilation,
      cropBegin: Math.max(0, -virtualBefore),
      cropEnd: outSize - Math.max(0, -virtualAfter),
      padBefore: Math.max(0, virtualBefore),
      padAfter: Math.max(0, virtualAfter),
      count,
      firstInput: stride * mMin + residue - padBefore,
      step: stride,
    });
  }
  return phases;
}
