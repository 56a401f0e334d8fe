// A minimal WebAssembly encoder for a few SIMD kernels that run directly on the tfjs-backend-wasm
// heap. Hand-written because the machines this runs on have no wasm toolchain (no clang/wat2wasm
// package is installed), and the kernels need only loops, loads/stores and f32x4 arithmetic.
// Encoding: https://webassembly.github.io/spec/core/binary/ (SIMD: the fixed-width SIMD proposal,
// standard since 2021 and on in Node ≥ 16).

export type ValueType = 'i32' | 'f32' | 'v128';

const VALUE_TYPE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

function section(id: number, contents: number[]): number[] {
  return [id, ...unsignedLeb(contents.length), ...contents];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/** Emits one function body; locals are numbered after the parameters, in declaration order. */
export class FunctionBody {
  readonly code: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(private readonly paramCount: number) {}

  local(type: ValueType): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  get(index: number): this {
    return this.emit(0x20, ...unsignedLeb(index));
  }
  set(index: number): this {
    return this.emit(0x21, ...unsignedLeb(index));
  }
  i32(value: number): this {
    return this.emit(0x41, ...signedLeb(value));
  }
  i32Add(): this {
    return this.emit(0x6a);
  }
  i32And(): this {
    return this.emit(0x71);
  }
  i32Shl(): this {
    return this.emit(0x74);
  }
  i32Mul(): this {
    return this.emit(0x6c);
  }
  i32GeU(): this {
    return this.emit(0x4f);
  }
  f32Load(): this {
    return this.emit(0x2a, 2, 0);
  }
  f32Store(): this {
    return this.emit(0x38, 2, 0);
  }
  f32(op: 'add' | 'sub' | 'mul' | 'div' | 'sqrt'): this {
    return this.emit({ sqrt: 0x91, add: 0x92, sub: 0x93, mul: 0x94, div: 0x95 }[op]);
  }
  v128Load(): this {
    return this.simd(0x00, 2, 0);
  }
  v128Store(): this {
    return this.simd(0x0b, 2, 0);
  }
  /** i8x16.shuffle: byte lanes 0-15 from the first operand, 16-31 from the second. */
  shuffle(lanes: number[]): this {
    if (lanes.length !== 16) throw new Error('i8x16.shuffle takes 16 lane indices');
    return this.simd(0x0d, ...lanes);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4(op: 'add' | 'sub' | 'mul' | 'div' | 'sqrt'): this {
    return this.simd({ sqrt: 0xe3, add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7 }[op]);
  }

  /**
   * for (counter = start; counter < end; counter += step) body — `end` a local holding the bound.
   */
  forLoop(counter: number, end: number, step: number, body: () => void): this {
    this.emit(0x02, 0x40, 0x03, 0x40); // block, loop
    this.get(counter).get(end).i32GeU().emit(0x0d, 1); // br_if to the block's end
    body();
    this.get(counter).i32(step).i32Add().set(counter);
    return this.emit(0x0c, 0, 0x0b, 0x0b); // br loop; end loop; end block
  }

  encode(): number[] {
    const groups = this.localTypes.map((type) => [1, VALUE_TYPE[type]]);
    const body = [...vector(groups), ...this.code, 0x0b];
    return [...unsignedLeb(body.length), ...body];
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.emit(0xfd, ...unsignedLeb(opcode), ...immediates);
  }

  private emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
}

export interface FunctionDefinition {
  name: string;
  params: ValueType[];
  body: FunctionBody;
}

/** A module that imports its memory as env.memory and exports every function by name. */
export function assembleModule(functions: FunctionDefinition[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [VALUE_TYPE[p]])), 0]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x00]; // memory, min 0 pages, no max
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(functions.map((f) => f.body.encode()))),
  ];
  return new Uint8Array(bytes);
}
