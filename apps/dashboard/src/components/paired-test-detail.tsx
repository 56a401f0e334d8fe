// The numbers under a paired-test sentence on both compare pages (runs and groups): how many cases
// were compared, McNemar's p with its discordant counts, DeLong's p with the two AUCs, or why a
// test is missing.
import { formatScore } from '@ovus/ui';
import type { ReactNode } from 'react';

export interface PairedTestNumbers {
  cases: number;
  decided: { of: number | null } | null;
  mcnemar: { pValue: number; b: number; c: number } | null;
  delong: { pValue: number; aucA: number; aucB: number } | null;
}

/** `lead` says what was compared on how many cases, e.g. "A vs B on 78 cases". */
export function PairedTestDetail({ test, lead }: { test: PairedTestNumbers; lead: ReactNode }) {
  return (
    <p className="ui-muted">
      {lead}
      {test.decided?.of ? ` (of ${test.decided.of}: those the rules decided)` : ''}:{' '}
      {test.mcnemar ? (
        <span data-test="mcnemar">
          McNemar p = {formatScore(test.mcnemar.pValue)} ({test.mcnemar.b} vs {test.mcnemar.c} discordant)
        </span>
      ) : (
        'no McNemar test'
      )}
      {' · '}
      {test.delong ? (
        <span data-test="delong">
          DeLong p = {formatScore(test.delong.pValue)} (AUC {formatScore(test.delong.aucA)} vs {formatScore(test.delong.aucB)})
        </span>
      ) : (
        `no DeLong test (${test.decided ? 'a rule baseline gives hard verdicts, not a ranking' : 'multi-class task or one class only'})`
      )}
    </p>
  );
}
