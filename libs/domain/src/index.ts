export * from './tasks';
export * from './paper';
export * from './clinical-wording';
export * from './shared-view';
