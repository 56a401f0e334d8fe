export * from './iota-simple-rules';
export * from './rule-baseline';
export * from './orads-wording';
export * from './structured-report';
export * from './render-pdf';
