// Adam's update for one variable as one SIMD pass over the wasm heap: reads value, gradient and
// both moments, writes the three new tensors. tfjs' AdamOptimizer spends ~13 kernels (and as
// many passes over every parameter) per variable per step; this is one.
import { assembleModule, FunctionBody, type ValueType } from './wasm-assembler';

export const ADAM_PARAMS: ValueType[] = [
  'i32', 'i32', 'i32', 'i32', // value, gradient, m, v (byte offsets)
  'i32', 'i32', 'i32', // new value, new m, new v
  'i32', // element count
  'f32', 'f32', 'f32', 'f32', // beta1, 1 - beta1, beta2, 1 - beta2
  'f32', 'f32', // 1 - beta1^t, 1 - beta2^t
  'f32', 'f32', // epsilon, -learning rate
];

function adamBody(): FunctionBody {
  const [value, gradient, m, v, outValue, outM, outV, count] = [0, 1, 2, 3, 4, 5, 6, 7];
  const scalars = [8, 9, 10, 11, 12, 13, 14, 15];
  const f = new FunctionBody(ADAM_PARAMS.length);
  const i = f.local('i32');
  const vectorEnd = f.local('i32');
  const end = f.local('i32');
  const splats = scalars.map(() => f.local('v128'));
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1, correction2, epsilon, negLearningRate] = splats;
  const g = f.local('v128');
  const newM = f.local('v128');
  const newV = f.local('v128');
  scalars.forEach((param, k) => f.get(param).f32x4Splat().set(splats[k]));
  f.get(count).i32(-4).i32And().i32(2).i32Shl().set(vectorEnd);
  f.get(count).i32(2).i32Shl().set(end);
  f.i32(0).set(i);
  const at = (base: number) => f.get(base).get(i).i32Add();
  f.forLoop(i, vectorEnd, 16, () => {
    at(gradient).v128Load().set(g);
    // m' = beta1 m + (1 - beta1) g
    at(outM);
    at(m).v128Load().get(beta1).f32x4('mul').get(g).get(oneMinusBeta1).f32x4('mul').f32x4('add').set(newM);
    f.get(newM).v128Store();
    // v' = beta2 v + (1 - beta2) g²
    at(outV);
    at(v).v128Load().get(beta2).f32x4('mul').get(g).get(g).f32x4('mul').get(oneMinusBeta2).f32x4('mul').f32x4('add').set(newV);
    f.get(newV).v128Store();
    // value' = value - lr · (m' / c1) / (sqrt(v' / c2) + epsilon)
    at(outValue);
    at(value).v128Load();
    f.get(newM).get(correction1).f32x4('div');
    f.get(newV).get(correction2).f32x4('div').f32x4('sqrt').get(epsilon).f32x4('add');
    f.f32x4('div').get(negLearningRate).f32x4('mul').f32x4('add').v128Store();
  });
  // The last count % 4 elements, one at a time, with the same arithmetic.
  const [b1, nb1, b2, nb2, c1, c2, eps, negLr] = scalars;
  const gs = f.local('f32');
  const ms = f.local('f32');
  const vs = f.local('f32');
  f.forLoop(i, end, 4, () => {
    at(gradient).f32Load().set(gs);
    at(outM);
    at(m).f32Load().get(b1).f32('mul').get(gs).get(nb1).f32('mul').f32('add').set(ms);
    f.get(ms).f32Store();
    at(outV);
    at(v).f32Load().get(b2).f32('mul').get(gs).get(gs).f32('mul').get(nb2).f32('mul').f32('add').set(vs);
    f.get(vs).f32Store();
    at(outValue);
    at(value).f32Load();
    f.get(ms).get(c1).f32('div');
    f.get(vs).get(c2).f32('div').f32('sqrt').get(eps).f32('add');
    f.f32('div').get(negLr).f32('mul').f32('add').f32Store();
  });
  return f;
}

export type AdamUpdateFunction = (
  value: number, gradient: number, m: number, v: number, outValue: number, outM: number, outV: number, count: number,
  beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
  oneMinusAccBeta1: number, oneMinusAccBeta2: number, epsilon: number, negLearningRate: number,
) => void;

const instances = new WeakMap<WebAssembly.Memory, AdamUpdateFunction>();

/** The update function bound to a heap (instantiated once per wasm memory). */
export function adamUpdateFor(memory: WebAssembly.Memory): AdamUpdateFunction {
  let update = instances.get(memory);
  if (!update) {
    const module = new WebAssembly.Module(assembleModule([{ name: 'adam', params: ADAM_PARAMS, body: adamBody() }]));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    update = instance.exports.adam as AdamUpdateFunction;
    instances.set(memory, update);
  }
  return update;
}
