// Series colours: distinguishable on white, and for the common colour-vision deficiencies
// (an Okabe–Ito-like order with deeper tones so thin lines keep contrast).
export const SERIES_COLORS = ['#0b6bcb', '#d55e00', '#009e73', '#cc79a7', '#7a5c00', '#56b4e9', '#6a3d9a', '#e69f00', '#444444', '#b22222'] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}
