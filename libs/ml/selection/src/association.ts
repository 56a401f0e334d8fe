// Association of each clinical parameter with malignancy in the labels: counts, chi-square,
// an exact test where expected counts are small, Cramér's V, mutual information, and Holm's
// correction across the parameters analysed together.
import type { ClinicalParameter } from '@ovus/domain';
import { chiSquareTest, type ChiSquareResult } from './chi-square';
import type { ContingencyTable } from './contingency';
import { cramersV, mutualInformationBits } from './effect-size';
import { exactTest, type ExactTestResult } from './exact-test';
import { holmAdjust } from './holm';
import { tableTotal } from './contingency';

export interface AssociationOptions {
  /** Yates' correction on 2 × 2 tables (default true, as SciPy and R). */
  readonly continuityCorrection?: boolean;
  /** The exact test gives the p-value when any expected count is below this (Cochran's rule; default 5). */
  readonly exactBelowExpected?: number;
}

export type PrimaryTest = 'chi-square' | 'chi-square (Yates)' | 'Fisher exact' | 'Freeman-Halton exact';

export interface ParameterAssociation {
  readonly parameter: ClinicalParameter;
  readonly table: ContingencyTable;
  /** Cases in the table (labelled parameter and malignancy). */
  readonly n: number;
  readonly chiSquare: ChiSquareResult;
  readonly exact: ExactTestResult;
  /** Which test's p-value is `p` and why. */
  readonly test: PrimaryTest | null;
  readonly p: number | null;
  /** `p` after Holm's correction over the parameters analysed together. */
  readonly pHolm: number | null;
  readonly cramersV: number | null;
  readonly mutualInformationBits: number;
  /** Share of the table's cases in its rarest non-empty code (predicting a rare class is hard). */
  readonly minClassShare: number | null;
  /** Why nothing could be tested, when nothing could. */
  readonly note: string | null;
}

export const DEFAULT_EXACT_BELOW_EXPECTED = 5;

export function analyzeAssociation(tables: readonly ContingencyTable[], options: AssociationOptions = {}): ParameterAssociation[] {
  const { continuityCorrection = true, exactBelowExpected = DEFAULT_EXACT_BELOW_EXPECTED } = options;
  const rows = tables.map((table) => {
    const counts = table.counts.map((r) => [...r]);
    const chiSquare = chiSquareTest(counts, { continuityCorrection });
    const exact = exactTest(counts);
    const n = tableTotal(table);
    const small = chiSquare.minExpected !== null && chiSquare.minExpected < exactBelowExpected;
    let test: PrimaryTest | null = null;
    let p: number | null = null;
    if (chiSquare.testable) {
      if (small && exact.p !== null) {
        test = counts.length - chiSquare.droppedRows.length === 2 ? 'Fisher exact' : 'Freeman-Halton exact';
        p = exact.p;
      } else {
        test = chiSquare.correctionApplied ? 'chi-square (Yates)' : 'chi-square';
        p = chiSquare.p;
      }
    }
    const rowTotals = table.counts.map(([b, m]) => b + m).filter((t) => t > 0);
    return {
      parameter: table.parameter,
      table,
      n,
      chiSquare,
      exact,
      test,
      p,
      pHolm: null as number | null,
      cramersV: cramersV(chiSquare.uncorrectedStatistic, counts),
      mutualInformationBits: mutualInformationBits(counts),
      minClassShare: n > 0 ? Math.min(...rowTotals) / n : null,
      note: chiSquare.testable ? null : untestableReason(table),
    };
  });
  const adjusted = holmAdjust(rows.map((r) => r.p));
  return rows.map((r, i) => ({ ...r, pHolm: adjusted[i] }));
}

function untestableReason(table: ContingencyTable): string {
  const benign = table.counts.reduce((s, [b]) => s + b, 0);
  const malignant = table.counts.reduce((s, [, m]) => s + m, 0);
  if (benign + malignant === 0) return 'no case has both this parameter and malignancy labelled';
  if (benign === 0 || malignant === 0) return `every labelled case is ${benign === 0 ? 'malignant' : 'benign'}: association cannot be tested`;
  return 'every labelled case has the same code: association cannot be tested';
}
