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

// The engine races its migration lock against a 10-second `setTimeout` and never cancels it (the
// glue imports no clearTimeout), so every applyMigrations left a timer that kept Node running for
// 10 s after everything was closed. The wasm gets our own setTimeout instead, which remembers those
// timers; once no engine is open nothing can be waiting on them, and close() clears them.
const engineTimers = new Set<NodeJS.Timeout>();
let openEngines = 0;

function engineSetTimeout(callback: () => void, delayMs: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, delayMs >>> 0);
  engineTimers.add(timer);
  return timer;
}

function engineClosed(): void {
  openEngines -= 1;
  if (openEngines > 0) return;
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

/** Timers the engine has started and not yet seen fire (for tests). */
export function pendingEngineTimers(): number {
  return engineTimers.size;
}

/** The glue as wasm imports, with the engine's setTimeout replaced by engineSetTimeout. */
function wasmImports(): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
  // wasm-bindgen names imports with a hash (`__wbg_setTimeout_5d6a1d4fc51ea450`) that changes with
  // the engine's version, so find it by its prefix.
  const names = Object.keys(imports).filter((name) => name.startsWith('__wbg_setTimeout_'));
  if (names.length !== 1) {
    throw new Error(
      `@prisma/schema-engine-wasm exports ${names.length} setTimeout imports (expected 1); libs/db/src/schema-engine.ts must be updated for this engine version.`,
    );
  }
  imports[names[0]] = engineSetTimeout;
  return imports;
}

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
    const imports = { './schema_engine_bg.js': wasmImports() };
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
  openEngines += 1;
  let engine: SchemaEngine;
  try {
    engine = await wasmGlue.SchemaEngine.new(
      { datamodels: undefined },
      // The engine logs JSON lines; keep them only to explain a failure.
      (line: string) => void logs.push(line),
      factory,
    );
  } catch (error) {
    engineClosed();
    await pool.end();
    throw error;
  }
  let closed = false;
  return {
    engine,
    logs,
    close: async () => {
      if (closed) return;
      closed = true;
      engine.free();
      engineClosed();
      await pool.end();
    },
  };
}

