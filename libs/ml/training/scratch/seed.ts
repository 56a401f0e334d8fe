import { initEngine, tf } from '@ovus/ml-engine';
import { buildMultiTaskModel } from '@ovus/ml-models';
import { createRng } from '@ovus/data';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
await initEngine({ backend: 'wasm' });
function build(seed: number) {
  const rng = createRng(seed);
  const orig = Math.random;
  Math.random = () => uniformFloat64(rng);
  try {
    return buildMultiTaskModel({ backbone: 'mobilenet-v3-small', backboneOptions: { widthMultiplier: 0.5 }, tasks: ['malignancy', 'solid'], inputSize: 64 });
  } finally { Math.random = orig; }
}
const t0 = Date.now();
const a = build(1), b = build(1), c = build(2);
console.log('build ms', (Date.now() - t0) / 3);
const sum = (m: tf.LayersModel) => m.getWeights().map((w) => w.sum().dataSync()[0]).slice(0, 5);
console.log(sum(a), sum(b), sum(c));
console.log(a.countParams());
