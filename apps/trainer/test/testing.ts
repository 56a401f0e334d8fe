// What other projects' tests may reuse to get real trained data (the dashboard's browser tests):
// the e2e environment, the phantom import, the CLI in-process and as child processes.
export * from './cli-harness';
export * from './e2e-harness';
