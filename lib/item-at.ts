/**
 * Indexed reads the type checker cannot prove (`noUncheckedIndexedAccess`): lists kept
 * aligned with another (subnets with zones), matches of a regular expression, the first of
 * a list known not to be empty. A broken invariant is then a clear error, not `undefined`
 * further on.
 */

/** The item at `index`; a RangeError naming `what` when there is none. */
export function itemAt<T>(list: ArrayLike<T>, index: number, what: string): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`${what}: no item at index ${index} of ${list.length}`);
  return item;
}
