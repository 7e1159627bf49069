// "Did you mean …?" for misspelled field names: the spec's unknown keys and the checks' unknown fields.

/** The first candidate within a few edits of `name` (case-insensitive; about one edit per four letters), if any. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  for (const candidate of candidates) {
    if (editDistance(candidate.toLowerCase(), name.toLowerCase()) <= Math.max(1, Math.floor(candidate.length / 4))) return candidate;
  }
  return undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
