// Loads Prisma's WebAssembly schema engine by hand. `prisma migrate` wants a native engine binary
// that cannot be downloaded on these machines; the wasm engine does the same work, but its package
// entry does `import * as wasm from "./x.wasm"`, which Node 20 cannot import. So we compile the
// .wasm ourselves and hand it to the package's JS glue, which is what that import would have done.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

export type { SchemaEngine };

/** No table or enum is managed outside the schema. */
export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

interface WasmGlue {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: typeof SchemaEngine;
}

let initialised: Promise<WasmGlue> | undefined;
let lastPanic: string | undefined;

/** The message of the engine's last Rust panic, if any (the glue reports it through a global). */
export function lastEnginePanic(): string | undefined {
  return lastPanic;
}

function initialiseWasm(): Promise<WasmGlue> {
  initialised ??= (async () => {
    const registry = { set_message: (message: string) => void (lastPanic = message) };
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof registry }).PRISMA_WASM_PANIC_REGISTRY ??= registry;
    const require = createRequire(import.meta.url);
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const bytes = await readFile(wasmPath);
    const imports = { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports };
    const { instance } = await WebAssembly.instantiate(bytes, imports);
    const wasmGlue = glue as unknown as WasmGlue;
    wasmGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return wasmGlue;
  })();
  return initialised;
}

export interface OpenedSchemaEngine {
  engine: SchemaEngine;
  /** The engine's JSON log lines, for error reports. */
  logs: readonly string[];
  /** Frees the engine and closes its connection pool. */
  close(): Promise<void>;
}

/** Opens a schema engine bound to the database at `url` (through node-postgres, like the client). */
export async function openSchemaEngine(url: string): Promise<OpenedSchemaEngine> {
  const wasmGlue = await initialiseWasm();
  const logs: string[] = [];
  // Our own pool, so close() can end it: the engine does not release connections when freed.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined); // a dropped idle connection is not fatal here
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const engine = await wasmGlue.SchemaEngine.new(
    { datamodels: undefined },
    // The engine logs JSON lines; keep them only to explain a failure.
    (line: string) => void logs.push(line),
    factory,
  );
  return {
    engine,
    logs,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}

