// The read side's public types and limits (what the API layer validates against).
export { encodeCursor, decodeCursor } from './cursor';
export { splitComposition, type SplitComposition, type SplitPartComposition } from './datasets';
export { MAX_CHART_POINTS, MAX_SERIES_PER_REQUEST, type ChartSeries, type SeriesInfo } from './metric-series';
export { ROLLUP_LEVELS } from '../store/metric-rollup';
export { MAX_LIST_PAGE, sweepProgress, type Page, type ProjectSummary, type SweepDetail, type SweepProgress, type SweepStatusName, type SweepSummary } from './projects-sweeps';
export type { RocCurveRecord, RunBrief } from './run-results';
export { MAX_METRIC_COLUMNS, MAX_RUN_PAGE, RUN_SORT_COLUMNS, type RunListItem, type RunPage, type RunQuery, type RunSort, type RunSortColumn } from './runs-query';
export {
  MAX_SELECTION_PAGE,
  MAX_SELECTION_TIMELINE,
  type SelectionDetail,
  type SelectionFindingRecord,
  type SelectionScorePoint,
  type SelectionSummary,
} from './selections';
export type { StoredAssociation, StoredCriterion, StoredDelta, StoredFindingDetails, StoredGreedyPath, StoredInterval, StoredPredictability } from './selection-details';
export { MAX_FACET_VALUES, type FacetCount, type RunFacets } from './run-facets';
