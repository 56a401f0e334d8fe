// Copies of many equally spaced runs of floats (the rows of an im2col matrix) in one wasm call:
// the JS caller decides geometry and zero borders, this moves the bulk at SIMD speed.
import { assembleModule, FunctionBody, type ValueType } from './wasm-assembler';

// src, dst (bytes), run length (floats), runs, src run stride, dst run stride (bytes), src element step (bytes)
const COPY_PARAMS: ValueType[] = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'];

function copyRunsBody(contiguous: boolean): FunctionBody {
  const [src, dst, runLength, runs, srcStride, dstStride, srcStep] = [0, 1, 2, 3, 4, 5, 6];
  const f = new FunctionBody(COPY_PARAMS.length);
  const run = f.local('i32');
  const i = f.local('i32');
  const j = f.local('i32');
  const vectorEnd = f.local('i32');
  const end = f.local('i32');
  f.get(runLength).i32(-4).i32And().i32(2).i32Shl().set(vectorEnd);
  f.get(runLength).i32(2).i32Shl().set(end);
  f.i32(0).set(run);
  f.forLoop(run, runs, 1, () => {
    f.i32(0).set(i);
    if (contiguous) {
      f.forLoop(i, vectorEnd, 16, () => {
        f.get(dst).get(i).i32Add();
        f.get(src).get(i).i32Add().v128Load();
        f.v128Store();
      });
      f.forLoop(i, end, 4, () => {
        f.get(dst).get(i).i32Add();
        f.get(src).get(i).i32Add().f32Load();
        f.f32Store();
      });
    } else {
      f.i32(0).set(j);
      f.forLoop(i, end, 4, () => {
        f.get(dst).get(i).i32Add();
        f.get(src).get(j).i32Add().f32Load();
        f.f32Store();
        f.get(j).get(srcStep).i32Add().set(j);
      });
    }
    f.get(src).get(srcStride).i32Add().set(src);
    f.get(dst).get(dstStride).i32Add().set(dst);
  });
  return f;
}

export type CopyRuns = (src: number, dst: number, runLength: number, runs: number, srcStride: number, dstStride: number, srcStep: number) => void;

export interface CopyFunctions {
  /** Runs of consecutive floats. */
  contiguous: CopyRuns;
  /** Runs whose source floats are srcStep bytes apart. */
  strided: CopyRuns;
}

const instances = new WeakMap<WebAssembly.Memory, CopyFunctions>();

export function copyFunctionsFor(memory: WebAssembly.Memory): CopyFunctions {
  let functions = instances.get(memory);
  if (!functions) {
    const module = new WebAssembly.Module(
      assembleModule([
        { name: 'contiguous', params: COPY_PARAMS, body: copyRunsBody(true) },
        { name: 'strided', params: COPY_PARAMS, body: copyRunsBody(false) },
      ]),
    );
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    functions = { contiguous: exports.contiguous as CopyRuns, strided: exports.strided as CopyRuns };
    instances.set(memory, functions);
  }
  return functions;
}
