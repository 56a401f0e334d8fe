/** A class code as stored in the data (e.g. echogenicity uses 0, 1, 3, 4; not an index). */
export type ClassCode = number;

/** One class code per case. Plain arrays and typed arrays both work. */
export type Labels = ArrayLike<ClassCode>;

/** One score per case (a probability, logit or any value where larger means "more positive"). */
export type Scores = ArrayLike<number>;

/** n rows (cases) by k columns (classes, in the order of the `classes` argument). */
export type ProbabilityMatrix = ReadonlyArray<ArrayLike<number>>;

/**
 * How per-class precision/recall/F1 are combined (sklearn's `average`):
 * - `binary`: the scores of the `positive` class alone;
 * - `macro`: unweighted mean over every class in `classes` (the paper's tables, see README);
 * - `weighted`: mean weighted by each class's support (number of true cases).
 */
export type Averaging = 'binary' | 'macro' | 'weighted';

/** Value used when a ratio's denominator is 0 (sklearn's `zero_division`). The default is 0. */
export type ZeroDivision = 0 | 1;
