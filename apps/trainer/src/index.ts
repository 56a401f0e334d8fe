// What other code (tests, tools) may use from the trainer app: configs and progress reporting.
export * from './config';
export * from './progress';
export { runCli } from './cli/run-cli';
