// How each manifest cell is read. One zod schema per column, so that every bad cell of a row is
// reported (a failed object parse would hide the row's other, valid fields from the image checks).
import { z } from 'zod';
import { CLINICAL_PARAMETERS, TASKS, type ClinicalParameter } from '@ovus/domain';
import type { ManifestColumn } from './columns';

/** Cell spellings read as "label unknown". */
const MISSING_SPELLINGS = new Set(['', 'null', 'na', 'n/a', 'nan', 'none']);

/** JSONL cells may be numbers; CSV cells are strings. Anything else is refused by the schemas. */
function asText(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const identifier = (what: string) =>
  z.unknown().transform((value, ctx) => {
    const text = asText(value);
    if (text === undefined || text === null || text === '') {
      ctx.addIssue({ code: 'custom', message: `a non-empty ${what}` });
      return z.NEVER;
    }
    return text;
  });

const imagePath = z.unknown().transform((value, ctx) => {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') {
    ctx.addIssue({ code: 'custom', message: 'a path to a PNG, JPEG or DICOM file, relative to the dataset root or absolute' });
    return z.NEVER;
  }
  // Manifests written on Windows use backslashes; nobody names an image with one on purpose.
  return text.replace(/\\/g, '/');
});

const labelCode = (parameter: ClinicalParameter) => {
  const codes = TASKS[parameter].codes;
  const expected = `one of ${codes.join(', ')} (${TASKS[parameter].classNames
    .map((name, i) => `${codes[i]} = ${name}`)
    .join(', ')}), or empty when unknown`;
  return z.unknown().transform((value, ctx): number | null => {
    const text = asText(value);
    if (text === null || (text !== undefined && MISSING_SPELLINGS.has(text.toLowerCase()))) return null;
    const code = text !== undefined && /^-?\d+(\.0+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!codes.includes(code)) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    return code;
  });
};

const malignancy = z.unknown().transform((value, ctx): 0 | 1 => {
  const text = asText(value)?.toLowerCase();
  if (text === '0' || text === 'benign') return 0;
  if (text === '1' || text === 'malignant') return 1;
  ctx.addIssue({
    code: 'custom',
    message: '0 or benign, 1 or malignant (required: a case without a malignancy label cannot be used)',
  });
  return z.NEVER;
});

export const COLUMN_SCHEMAS: Record<ManifestColumn, z.ZodType<string | number | null>> = {
  case_id: identifier('case id'),
  patient_id: identifier('patient id'),
  bmus_path: imagePath,
  ceus_path: imagePath,
  ...(Object.fromEntries(CLINICAL_PARAMETERS.map((p) => [p, labelCode(p)])) as Record<ClinicalParameter, ReturnType<typeof labelCode>>),
  malignancy,
};

/** The value as a person would see it in the file, for error messages. */
export function displayValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
