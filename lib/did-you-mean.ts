/** Did-you-mean hints for names people mistype. */

/** Levenshtein distance between two names. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      // Every index read here was written one step before (row) or just now (next).
      const [up, left, diagonal] = [row[j] ?? 0, next[j - 1] ?? 0, row[j - 1] ?? 0];
      next[j] = Math.min(up + 1, left + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The candidate closest to `name` within `maxDistance` edits, if any. */
export function closest(name: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/**
 * The candidate nearest to `name`, however far: for a value that must come from a
 * catalogue, where any suggestion beats none. Ties go to the longer shared prefix
 * (`db.t4g.mega` is nearer `db.t4g.medium` than `db.t4g.micro`), then to catalogue order.
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const prefix = (candidate: string) => {
    let n = 0;
    while (n < name.length && name[n] === candidate[n]) n++;
    return n;
  };
  let best: { candidate: string; distance: number; prefix: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    const shared = prefix(candidate);
    if (!best || distance < best.distance || (distance === best.distance && shared > best.prefix)) {
      best = { candidate, distance, prefix: shared };
    }
  }
  return best?.candidate;
}
