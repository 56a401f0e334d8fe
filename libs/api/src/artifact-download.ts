// Artifact bytes for the dashboard's download route (a plain HTTP route: tRPC carries JSON, not
// files). The route handler calls downloadArtifact and streams what it returns.
import type { DashboardDatabase } from './trpc';
import { isUuid } from './schemas';

export const ARTIFACT_ROUTE = '/api/artifacts';

/** Where the dashboard serves an artifact: /api/artifacts/<runId>?path=<path>. */
export function artifactDownloadPath(runId: string, path: string): string {
  return `${ARTIFACT_ROUTE}/${runId}?path=${encodeURIComponent(path)}`;
}

export interface ArtifactDownload {
  /** The last part of the path, safe for Content-Disposition. */
  filename: string;
  data: Buffer;
  sha256: string;
  bytes: number;
}

/** The bytes (sha256-checked by the store), or null when the run or the artifact does not exist. */
export async function downloadArtifact(db: DashboardDatabase, runId: string, path: string): Promise<ArtifactDownload | null> {
  if (!isUuid(runId) || path.length === 0 || path.length > 1000) return null;
  if (!(await db.runs.get(runId))) return null;
  const artifact = await db.artifacts.fetch(runId, path);
  if (!artifact) return null;
  const filename = (path.split('/').at(-1) ?? 'artifact').replace(/[^A-Za-z0-9._-]+/g, '_') || 'artifact';
  return { filename, data: artifact.data, sha256: artifact.sha256, bytes: artifact.data.length };
}
