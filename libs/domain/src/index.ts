export * from './tasks';
export * from './paper';
