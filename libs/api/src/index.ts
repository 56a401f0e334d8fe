export { appRouter, createCaller, type AppRouter } from './root';
export { ANONYMOUS_MEMBER, createContext, INTERNAL_ERROR_MESSAGE, type ApiContext, type Caller, type CreateContextOptions, type DashboardDatabase } from './trpc';
export { ARTIFACT_ROUTE, artifactDownloadPath, downloadArtifact, type ArtifactDownload } from './artifact-download';
export { seriesGroup, type SeriesGroup } from './router/metrics';
export type { BackboneRow } from './analysis/backbone-table';
export type { PairedComparison } from './analysis/paired-tests';
export type { ConfigDifference } from './analysis/config-diff';
