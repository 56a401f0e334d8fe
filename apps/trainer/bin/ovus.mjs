#!/usr/bin/env node
// `npx ovus <command>`: the trainer CLI, run from its TypeScript source through tsx, exactly as
// `npm run trainer -- <command>` runs it.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
