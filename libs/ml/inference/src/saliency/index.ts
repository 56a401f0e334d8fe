export { gradCam, type GradCamOptions, type GradCamResult, type SaliencyMap } from './grad-cam';
export { findSaliencyLayer, familyOf, type SaliencyLayer } from './target-layer';
export { renderOverlay, massInside, massInsideCells, heatColour, type OverlayOptions } from './overlay';
export { pairSaliency, displaySize, type PairSaliency, type SaliencyOverlay } from './pair-saliency';
