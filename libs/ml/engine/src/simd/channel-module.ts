// SIMD passes over channels-last activations viewed as [rows, channels] (rows = batch·height·
// width): per-channel centre-scale-shift (batch norm's forward) and per-channel sums of dy and of
// dy·(x − mean) (its backward). Channels are processed four at a time; a remainder of
// channels % 4 runs scalar.
import { assembleModule, FunctionBody, type ValueType } from './wasm-assembler';

type Emit = (f: FunctionBody, vector: boolean) => void;

/**
 * for (row = 0; row < rows; row++) for (c = 0; c < channels; c++) body — body reads the byte
 * offsets `rowByte` (row · channels · 4) and `channelByte` (c · 4) through the returned locals.
 */
function rowsByChannels(f: FunctionBody, rows: number, channels: number, body: (rowByte: number, channelByte: number) => Emit): void {
  const row = f.local('i32');
  const rowByte = f.local('i32');
  const channelByte = f.local('i32');
  const rowEnd = f.local('i32');
  const vectorEnd = f.local('i32');
  const channelEnd = f.local('i32');
  const emit = body(rowByte, channelByte);
  f.get(channels).i32(-4).i32And().i32(2).i32Shl().set(vectorEnd);
  f.get(channels).i32(2).i32Shl().set(channelEnd);
  f.get(rows).set(rowEnd);
  f.i32(0).set(row);
  f.forLoop(row, rowEnd, 1, () => {
    f.get(row).get(channels).i32Mul().i32(2).i32Shl().set(rowByte);
    f.i32(0).set(channelByte);
    f.forLoop(channelByte, vectorEnd, 16, () => emit(f, true));
    f.forLoop(channelByte, channelEnd, 4, () => emit(f, false));
  });
}

const SCALE_SHIFT_PARAMS: ValueType[] = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']; // x, center, scale, shift, out, rows, channels

/** out[r, c] = (x[r, c] − center[c]) · scale[c] + shift[c] (batch norm's forward in this order) */
function scaleShiftBody(): FunctionBody {
  const [x, center, scale, shift, out, rows, channels] = [0, 1, 2, 3, 4, 5, 6];
  const f = new FunctionBody(SCALE_SHIFT_PARAMS.length);
  rowsByChannels(f, rows, channels, (rowByte, channelByte) => (g, vector) => {
    const load = () => (vector ? g.v128Load() : g.f32Load());
    const op = (name: 'mul' | 'add' | 'sub') => (vector ? g.f32x4(name) : g.f32(name));
    g.get(out).get(rowByte).i32Add().get(channelByte).i32Add();
    g.get(x).get(rowByte).i32Add().get(channelByte).i32Add();
    load();
    g.get(center).get(channelByte).i32Add();
    load();
    op('sub');
    g.get(scale).get(channelByte).i32Add();
    load();
    op('mul');
    g.get(shift).get(channelByte).i32Add();
    load();
    op('add');
    if (vector) g.v128Store();
    else g.f32Store();
  });
  return f;
}

const GRAD_SUMS_PARAMS: ValueType[] = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']; // dy, x, mean, sumDy, sumDyXc, rows, channels

/** sumDy[c] += dy[r, c]; sumDyXc[c] += dy[r, c] · (x[r, c] − mean[c]) (sums zeroed by the caller) */
function gradSumsBody(): FunctionBody {
  const [dy, x, mean, sumDy, sumDyXc, rows, channels] = [0, 1, 2, 3, 4, 5, 6];
  const f = new FunctionBody(GRAD_SUMS_PARAMS.length);
  rowsByChannels(f, rows, channels, (rowByte, channelByte) => (g, vector) => {
    const load = () => (vector ? g.v128Load() : g.f32Load());
    const store = () => (vector ? g.v128Store() : g.f32Store());
    const op = (name: 'mul' | 'add' | 'sub') => (vector ? g.f32x4(name) : g.f32(name));
    const at = (base: number, row: boolean) => {
      g.get(base);
      if (row) g.get(rowByte).i32Add();
      g.get(channelByte).i32Add();
    };
    // sumDy[c] += dy
    at(sumDy, false);
    at(sumDy, false);
    load();
    at(dy, true);
    load();
    op('add');
    store();
    // sumDyXc[c] += dy · (x − mean)
    at(sumDyXc, false);
    at(sumDyXc, false);
    load();
    at(dy, true);
    load();
    at(x, true);
    load();
    at(mean, false);
    load();
    op('sub');
    op('mul');
    op('add');
    store();
  });
  return f;
}

const PRODUCT_SUMS_PARAMS: ValueType[] = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']; // x, dy, sums, rows, channels, xRowBytes, dyRowBytes

/**
 * sums[c] += Σ_r x[r·xRow + c] · dy[r·dyRow + c]: one depthwise filter tap's gradient over one
 * output row (x rows are strided pixels of the input, dy rows consecutive output pixels).
 */
function productSumsBody(): FunctionBody {
  const [x, dy, sums, rows, channels, xRowBytes, dyRowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const f = new FunctionBody(PRODUCT_SUMS_PARAMS.length);
  const row = f.local('i32');
  const xRow = f.local('i32');
  const dyRow = f.local('i32');
  const channelByte = f.local('i32');
  const vectorEnd = f.local('i32');
  const channelEnd = f.local('i32');
  f.get(channels).i32(-4).i32And().i32(2).i32Shl().set(vectorEnd);
  f.get(channels).i32(2).i32Shl().set(channelEnd);
  f.get(x).set(xRow);
  f.get(dy).set(dyRow);
  f.i32(0).set(row);
  const accumulate = (vector: boolean) => {
    f.get(sums).get(channelByte).i32Add();
    f.get(sums).get(channelByte).i32Add();
    if (vector) f.v128Load();
    else f.f32Load();
    f.get(xRow).get(channelByte).i32Add();
    if (vector) f.v128Load();
    else f.f32Load();
    f.get(dyRow).get(channelByte).i32Add();
    if (vector) f.v128Load().f32x4('mul').f32x4('add').v128Store();
    else f.f32Load().f32('mul').f32('add').f32Store();
  };
  f.forLoop(row, rows, 1, () => {
    f.i32(0).set(channelByte);
    f.forLoop(channelByte, vectorEnd, 16, () => accumulate(true));
    f.forLoop(channelByte, channelEnd, 4, () => accumulate(false));
    f.get(xRow).get(xRowBytes).i32Add().set(xRow);
    f.get(dyRow).get(dyRowBytes).i32Add().set(dyRow);
  });
  return f;
}

export interface ChannelFunctions {
  scaleShift(x: number, center: number, scale: number, shift: number, out: number, rows: number, channels: number): void;
  gradSums(dy: number, x: number, mean: number, sumDy: number, sumDyXc: number, rows: number, channels: number): void;
  productSums(x: number, dy: number, sums: number, rows: number, channels: number, xRowBytes: number, dyRowBytes: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, ChannelFunctions>();

export function channelFunctionsFor(memory: WebAssembly.Memory): ChannelFunctions {
  let functions = instances.get(memory);
  if (!functions) {
    const module = new WebAssembly.Module(
      assembleModule([
        { name: 'scaleShift', params: SCALE_SHIFT_PARAMS, body: scaleShiftBody() },
        { name: 'gradSums', params: GRAD_SUMS_PARAMS, body: gradSumsBody() },
        { name: 'productSums', params: PRODUCT_SUMS_PARAMS, body: productSumsBody() },
      ]),
    );
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    functions = {
      scaleShift: exports.scaleShift as ChannelFunctions['scaleShift'],
      gradSums: exports.gradSums as ChannelFunctions['gradSums'],
      productSums: exports.productSums as ChannelFunctions['productSums'],
    };
    instances.set(memory, functions);
  }
  return functions;
}
