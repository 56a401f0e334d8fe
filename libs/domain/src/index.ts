export * from './tasks';
export * from './paper';
export * from './did-you-mean';
export * from './clinical-wording';
export * from './shared-view';
