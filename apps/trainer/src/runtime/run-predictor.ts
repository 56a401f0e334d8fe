// A run's selected model as a predictor (tracking store → checkpoint bytes → tfjs model), plus
// the size of the images it was trained from, so that inputs far from it can be warned about.
import { initEngine, type EngineInfo } from '@ovus/ml-engine';
import { loadPredictor, type Predictor } from '@ovus/ml-inference';
import { fetchSelectedModel, NoUsableModelError, trainingImageSize, type TrackingDatabase } from '@ovus/tracking';
import { CliError, EXIT_CODES } from '../cli/errors';

export interface RunPredictor {
  predictor: Predictor;
  engine: EngineInfo;
  /** Width × height of one of the run's training images, when its file is reachable here. */
  reference: { width: number; height: number } | null;
  warnings: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function openRunPredictor(database: TrackingDatabase, runId: string): Promise<RunPredictor> {
  if (!UUID.test(runId)) throw new CliError(`'${runId}' is not a run id (a UUID, as printed by train and the worker logs).`, EXIT_CODES.badConfig);
  let selected;
  try {
    selected = await fetchSelectedModel(database.store, runId);
  } catch (error) {
    if (error instanceof NoUsableModelError) throw new CliError(error.message, EXIT_CODES.refused);
    throw error;
  }
  const engine = await initEngine();
  const predictor = await loadPredictor(selected.artifact.data, { runId, artifactPath: selected.artifact.path, sha256: selected.artifact.sha256 }).catch((error: Error) => {
    throw new CliError(error.message, EXIT_CODES.refused);
  });
  return { predictor, engine, reference: await trainingImageSize(database, selected.run.datasetVersionId), warnings: selected.warnings };
}
