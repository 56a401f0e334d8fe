export * from './iota-simple-rules';
export * from './rule-baseline';
