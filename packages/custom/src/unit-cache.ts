import { baseUnitOf, normalizeUnit, type Unit } from '@fw0/metrics-core';

/** A unit checked and normalised, with its base unit. */
export interface ResolvedUnit {
  /** The unit as samples carry it (`eur`, `milliseconds`). */
  readonly unit: Unit;
  /** The base unit its values are aggregated in (`eur`, `seconds`). */
  readonly base: Unit;
}

/**
 * Normalises units (`'EUR'` to `'eur'`) and finds their base unit, remembering the last few so
 * that a business metric recorded again and again in one unit pays a property lookup, not a
 * regular expression. Bounded: at most `capacity` units are remembered.
 */
export class UnitCache {
  private readonly known = new Map<unknown, ResolvedUnit>();

  constructor(private readonly capacity = 64) {}

  /** The normalised unit and its base; throws UnitError (nothing cached) for anything else. */
  resolve(unit: unknown): ResolvedUnit {
    const cached = this.known.get(unit);
    if (cached !== undefined) return cached;
    const normalized = normalizeUnit(unit);
    const resolved: ResolvedUnit = Object.freeze({ unit: normalized, base: baseUnitOf(normalized) });
    if (this.known.size >= this.capacity) this.known.clear();
    this.known.set(unit, resolved);
    return resolved;
  }
}
