// Exponential moving average with bias correction (as TensorBoard's smoothing slider): the first
// points are not dragged towards zero, and weight 0 returns the series unchanged. Non-finite
// values pass through without poisoning the average.
export function smoothValues(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values];
  const w = Math.min(weight, 0.999);
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    last = last * w + (1 - w) * value;
    count++;
    return last / (1 - Math.pow(w, count));
  });
}
