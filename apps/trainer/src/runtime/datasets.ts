// Dataset steps that need no database: writing the phantom, and validating a manifest with its
// images (every problem at once, as @ovus/data reports them).
import { formatIssues, formatStatistics, synthesizePhantom, validateDataset, type ValidatedDataset } from '@ovus/data';
import type { ClinicalParameter } from '@ovus/domain';
import { count } from '../cli/count';
import { CliError, EXIT_CODES } from '../cli/errors';

export interface SynthesizeOptions {
  outDir: string;
  cases: number;
  seed: number;
  size: number;
  /** Planted structure (see PhantomOptions). */
  independent?: readonly ClinicalParameter[];
  hidden?: readonly ClinicalParameter[];
}

/** Writes the phantom; returns its manifest's path. */
export async function synthesizeDataset(options: SynthesizeOptions): Promise<{ manifestPath: string; cases: number; patients: number }> {
  const result = await synthesizePhantom({
    outDir: options.outDir,
    seed: options.seed,
    cases: options.cases,
    imageSize: options.size,
    independent: options.independent,
    hidden: options.hidden,
  });
  return { manifestPath: result.manifestPath, cases: result.cases.length, patients: result.patientCount };
}

export interface CheckDatasetOptions {
  name?: string;
  /** Accept image paths outside the manifest's folder (`--allow-outside-root`). */
  allowOutsideRoot?: boolean;
}

/** The validated dataset, or a CliError listing every problem found (exit code 2). */
export async function checkDataset(
  manifestPath: string,
  options: CheckDatasetOptions,
  out: (text: string) => void,
): Promise<ValidatedDataset> {
  const result = await validateDataset(manifestPath, { name: options.name, allowOutsideRoot: options.allowOutsideRoot });
  if (!result.ok) {
    throw new CliError(`${manifestPath} cannot be imported:\n${formatIssues(result.issues, { manifestPath })}`, EXIT_CODES.badConfig);
  }
  if (result.warnings.length > 0) out(`${formatIssues(result.warnings, { manifestPath })}\n`);
  const { dataset } = result;
  out(
    `Dataset '${dataset.name}': ${count(dataset.cases.length, 'case')} from ${count(dataset.patientCount, 'patient')} ` +
      `(${dataset.statistics.classCounts.benign} benign, ${dataset.statistics.classCounts.malignant} malignant), content ${dataset.contentHash.slice(0, 12)}\n` +
      `${formatStatistics(dataset.statistics)}\n`,
  );
  return dataset;
}
