// The t distribution lives in @ovus/ml-metrics next to the other distributions.
export { studentTCritical, studentTTwoSidedP } from '@ovus/ml-metrics';
