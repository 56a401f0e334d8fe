// The size of the images a run was trained from (its dataset version's first BMUS image, when the
// file is reachable from here): inputs far from it are warned about before a prediction.
import { DEFAULT_VALIDATION_LIMITS, inspectImage, resolveCasePath } from '@ovus/data';
import type { TrackingRepositories } from '../bound-repositories';

export async function trainingImageSize(repositories: Pick<TrackingRepositories, 'datasets'>, versionId: string | null): Promise<{ width: number; height: number } | null> {
  if (!versionId) return null;
  const version = await repositories.datasets.get(versionId);
  const first = version ? (await repositories.datasets.cases(versionId))[0] : undefined;
  if (!version || !first) return null;
  const inspected = await inspectImage(resolveCasePath(version.rootDir, first.bmusPath), DEFAULT_VALIDATION_LIMITS);
  return inspected.ok ? { width: inspected.image.width, height: inspected.image.height } : null;
}
