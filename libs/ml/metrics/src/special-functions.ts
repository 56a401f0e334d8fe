// Special functions for the p-values of McNemar's and DeLong's tests. Hand-written because this
// library may import no package (it sits at the bottom of the dependency graph) and JavaScript
// has no erf or gamma function. Each is checked against SciPy in test/special-functions.test.ts.

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
// 631-637; coefficients from his CALERF routine (netlib specfun), accurate to about 1e-16
// relative in IEEE double precision on each of three intervals of |x|.
const ERF_A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const ERF_B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const ERFC_C = [
  5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2,
  1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const ERFC_D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
  4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const ERFC_P = [
  3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2,
];
const ERFC_Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
const ONE_OVER_SQRT_PI = 0.56418958354775628695;
const ERF_SMALL_LIMIT = 0.46875;
/** Beyond this |x|, erfc(x) underflows to 0 in double precision. */
const ERFC_UNDERFLOW = 26.543;

/** erfc(|x|) for |x| > 0.46875: Cody's second and third intervals. */
function erfcOfMagnitude(y: number): number {
  if (y >= ERFC_UNDERFLOW) return 0;
  let result: number;
  if (y <= 4) {
    let num = ERFC_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    result = (num + ERFC_C[7]) / (den + ERFC_D[7]);
  } else {
    const z = 1 / (y * y);
    let num = ERFC_P[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]) * z;
      den = (den + ERFC_Q[i]) * z;
    }
    result = (z * (num + ERFC_P[4])) / (den + ERFC_Q[4]);
    result = (ONE_OVER_SQRT_PI - result) / y;
  }
  // exp(-y²) split as exp(-r²)·exp(-(y-r)(y+r)) with r = y rounded down to 1/16: y² itself would
  // lose the low bits that matter for large y (Cody's trick).
  const r = Math.trunc(y * 16) / 16;
  return Math.exp(-r * r) * Math.exp(-(y - r) * (y + r)) * result;
}

/** Error function erf(x), relative error about 1e-16. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= ERF_SMALL_LIMIT) return x * smallArgumentRatio(y);
  const result = 0.5 - erfcOfMagnitude(y) + 0.5;
  return x < 0 ? -result : result;
}

/** Complementary error function 1 - erf(x), accurate in the far tail (no cancellation). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= ERF_SMALL_LIMIT) return 1 - x * smallArgumentRatio(y);
  const result = erfcOfMagnitude(y);
  return x < 0 ? 2 - result : result;
}

/** erf(y)/y for y <= 0.46875 (Cody's first interval). */
function smallArgumentRatio(y: number): number {
  const z = y > 1.11e-16 ? y * y : 0;
  let num = ERF_A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]) * z;
    den = (den + ERF_B[i]) * z;
  }
  return (num + ERF_A[3]) / (den + ERF_B[3]);
}

// Lanczos approximation with g = 7 and 9 terms (Godfrey's coefficients, as in the Wikipedia
// article "Lanczos approximation" and many libraries): absolute error about 1e-15 for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}.`);
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range: Γ(x)Γ(1-x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const GAMMA_EPSILON = 1e-16;
const GAMMA_MAX_ITERATIONS = 10_000;
const TINY = 1e-300;

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a): the series where x < a + 1 and
 * 1 - Q from the continued fraction elsewhere (Numerical Recipes §6.2), each converging fast in
 * its region.
 */
export function regularizedGammaP(a: number, x: number): number {
  checkGammaArguments(a, x);
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in the upper tail. */
export function regularizedGammaQ(a: number, x: number): number {
  checkGammaArguments(a, x);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function checkGammaArguments(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0)) {
    throw new RangeError(`The incomplete gamma function needs a > 0 and x >= 0, got a = ${a}, x = ${x}.`);
  }
}

/** ln of x^a e^-x / Γ(a), the common prefactor. */
function logPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - logGamma(a);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * GAMMA_EPSILON) break;
  }
  return sum * Math.exp(logPrefactor(a, x));
}

/** Q(a, x) by the modified Lentz evaluation of Legendre's continued fraction. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < GAMMA_MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < GAMMA_EPSILON) break;
  }
  return Math.exp(logPrefactor(a, x)) * h;
}
