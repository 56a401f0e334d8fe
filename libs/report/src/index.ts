export * from './iota-simple-rules';
