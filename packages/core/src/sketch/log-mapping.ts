import { ConfigError } from '../errors.js';

/**
 * Maps positive values to logarithmic bin indexes and back, for one relative accuracy `a`.
 *
 * `Math.log` is a call out of optimised code (about 10 ns); this mapping instead reads the
 * IEEE-754 exponent `e` and mantissa `1 + s` of the value and approximates `log2(x)` by
 * `L(x) = e + P(s)`, where `P` is a cubic with `P(0) = 0`, `P(1) = 1` that stays close to
 * `log2(1 + s)` (the cubically interpolated mapping of the DDSketch paper). `L` is continuous
 * and strictly increasing, so bins `((i - 1) w, i w]` in `L` are bins of `x`.
 *
 * The guarantee: within a bin, `ln x` changes by `w / (dL / d ln x)`. Taking `w` as
 * `ln(gamma)` times the smallest slope `dL / d ln x` of the cubic (computed below), every bin
 * spans a ratio of at most `gamma = (1 + a) / (1 - a)`, and the value reported for a bin (the
 * harmonic mean of its edges) is within `a` of every value in it. The price is about 1% more
 * bins than exact logarithms.
 */

const A = 6 / 35;
const B = -3 / 5;
const C = 10 / 7;

/** The cubic approximating log2(1 + s) on [0, 1]. */
function cubic(s: number): number {
  return ((A * s + B) * s + C) * s;
}

/** Smallest slope of L with respect to ln x over one octave: min of P'(s) * (1 + s) on [0, 1]. */
const MIN_SLOPE = (() => {
  let min = Number.POSITIVE_INFINITY;
  const steps = 100_000;
  for (let k = 0; k <= steps; k++) {
    const s = k / steps;
    const slope = (3 * A * s * s + 2 * B * s + C) * (1 + s);
    if (slope < min) min = slope;
  }
  // A sampled minimum of a smooth cubic, lowered by a margin far above its sampling error.
  return min * (1 - 1e-9);
})();

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;
const TWO_POW_MINUS_20 = 2 ** -20;
const TWO_POW_MINUS_52 = 2 ** -52;

/**
 * Finest relative accuracy accepted. Bin indexes of every indexable double then stay within
 * 2^31 of each other, which the bin stores rely on; a finer accuracy gave indexes past 2^53
 * (bins that never advance: observe() looped forever) and wrapped bin offsets.
 */
export const MIN_RELATIVE_ACCURACY = 1e-6;

/**
 * Most slots per octave of a table mapping (2^16: a 128 KiB table); accuracies that would need
 * more use the cubic mapping.
 */
const MAX_TABLE_BITS = 16;
/** Slots per bin at least, so that slot granularity adds at most about 1% more bins. */
const SLOTS_PER_BIN = 100;

export class LogMapping {
  readonly gamma: number;
  /** Bins per octave (per unit of L, which is log2 or its cubic approximation). */
  readonly multiplier: number;
  /**
   * Table mapping (accuracies down to about 0.07%): the octave is cut into 2^k equal slots read
   * from the top k mantissa bits, and `slotBins[slot]` is the bin of the slot within the octave.
   * Bins group consecutive slots while their span stays within `gamma`, so the guarantee holds
   * exactly; undefined for the cubic mapping.
   */
  private readonly slotBins: Uint16Array | undefined;
  /** Right shift of the 20 high mantissa bits that leaves the slot number. */
  private readonly slotShift: number;
  /** Per bin of an octave, its lower edge as a factor in [1, 2); one more entry: 2. */
  private readonly binEdges: Float64Array | undefined;

  constructor(readonly relativeAccuracy: number) {
    if (!(relativeAccuracy >= MIN_RELATIVE_ACCURACY && relativeAccuracy < 1)) {
      throw new ConfigError(
        `Invalid relativeAccuracy ${relativeAccuracy}: expected a number from ${MIN_RELATIVE_ACCURACY} to below 1 (e.g. 0.01)`,
        {
          subject: 'relativeAccuracy',
          value: relativeAccuracy,
        },
      );
    }
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    const bits = Math.max(4, Math.ceil(Math.log2(SLOTS_PER_BIN / Math.log2(this.gamma))));
    if (bits <= MAX_TABLE_BITS) {
      const slots = 2 ** bits;
      const slotBins = new Uint16Array(slots);
      const edges: number[] = [1];
      for (let slot = 0; slot < slots; slot++) {
        // Slot `slot` spans [1 + slot / slots, 1 + (slot + 1) / slots); a new bin starts where
        // adding the slot would make the current bin span more than gamma.
        if ((1 + (slot + 1) / slots) / edges.at(-1)! > this.gamma) edges.push(1 + slot / slots);
        slotBins[slot] = edges.length - 1;
      }
      edges.push(2);
      this.slotBins = slotBins;
      this.slotShift = 20 - bits;
      this.binEdges = Float64Array.from(edges);
      this.multiplier = edges.length - 1;
    } else {
      this.slotBins = undefined;
      this.slotShift = 0;
      this.binEdges = undefined;
      this.multiplier = 1 / (Math.log(this.gamma) * MIN_SLOPE);
    }
  }

  /**
   * Bin index of a positive, normal value (the caller keeps values above 1e-12 here). The table
   * mapping is a shift, a mask and a table read (about 2 ns, against 4 for the cubic): it sits
   * on the hot path of every histogram observation.
   */
  index(value: number): number {
    scratch[0] = value;
    const high = words[HIGH]!;
    const exponent = (high >>> 20) - 1023;
    const slotBins = this.slotBins;
    if (slotBins !== undefined)
      return exponent * this.multiplier + slotBins[(high & 0xfffff) >>> this.slotShift]!;
    const s = (high & 0xfffff) * TWO_POW_MINUS_20 + words[LOW]! * TWO_POW_MINUS_52;
    return Math.ceil((exponent + ((A * s + B) * s + C) * s) * this.multiplier);
  }

  /** The lower edge of bin `index` (its values are at or above it with a table, above it otherwise). */
  lowerBound(index: number): number {
    const edges = this.binEdges;
    if (edges === undefined) return inverse((index - 1) / this.multiplier);
    const octave = Math.floor(index / this.multiplier);
    return edges[index - octave * this.multiplier]! * 2 ** octave;
  }

  /**
   * The value reported for bin `index`: within the relative accuracy of every value in it.
   * The harmonic mean of the bin's edges, taken on edges scaled by a power of two so that it
   * neither overflows nor turns into Infinity / Infinity for bins near Number.MAX_VALUE (whose
   * upper edge is beyond it); the result is Infinity only when the bin's value is.
   */
  value(index: number): number {
    const edges = this.binEdges;
    if (edges !== undefined) {
      const octave = Math.floor(index / this.multiplier);
      const bin = index - octave * this.multiplier;
      const low = edges[bin]!;
      const high = edges[bin + 1]!;
      return ((2 * low * high) / (low + high)) * 2 ** octave;
    }
    const lowL = (index - 1) / this.multiplier;
    const exponent = Math.floor(lowL);
    const low = inverse(lowL - exponent);
    const high = inverse(index / this.multiplier - exponent);
    return ((2 * low * high) / (low + high)) * 2 ** exponent;
  }
}

/** x with L(x) = l: solves P(s) = l - floor(l) by Newton's method (P is increasing on [0, 1]). */
function inverse(l: number): number {
  const exponent = Math.floor(l);
  const target = l - exponent;
  let s = target;
  for (let k = 0; k < 8; k++) {
    const slope = 3 * A * s * s + 2 * B * s + C;
    s -= (cubic(s) - target) / slope;
  }
  return 2 ** exponent * (1 + Math.min(1, Math.max(0, s)));
}
