export * from './tasks';
export * from './paper';
export * from './did-you-mean';
