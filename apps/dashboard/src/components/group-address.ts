// A group of runs (the runs of a sweep that differ only in seed or fold) as the compare page's URL
// names it: `groups=<sweepId>:<groupKey>,…`.
import { hrefWith, type SearchParams } from '../url';

export interface GroupAddress {
  sweepId: string;
  groupKey: string;
}

/** `<sweepId>:<groupKey>`: the sweep id is a UUID (no colon), the group key is the rest. */
export function parseGroupAddress(text: string): GroupAddress | null {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) return null;
  return { sweepId: text.slice(0, at), groupKey: text.slice(at + 1) };
}

export function groupAddress(sweepId: string, groupKey: string): string {
  return `${sweepId}:${groupKey}`;
}

/** The compare page for these groups, keeping the other parameters given (task, split, …). */
export function compareGroupsHref(groups: readonly GroupAddress[], params: SearchParams = {}): string {
  return hrefWith('/compare', params, { groups: groups.map((g) => groupAddress(g.sweepId, g.groupKey)).join(','), runs: undefined });
}
