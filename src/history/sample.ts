/** Even sampling, for commits to analyse and for trend points to draw. */

/**
 * Picks `count` items evenly from a list ordered oldest first (commits, trend points), always
 * including the first (oldest) and, when count > 1, the last. Returns them oldest first.
 */
export function sampleEvenly<T>(items: readonly T[], count: number): T[] {
  if (count <= 0 || items.length === 0) return [];
  if (count >= items.length) return [...items];
  if (count === 1) return items.slice(0, 1);
  // Distinct indices, since count < items.length: the step (items.length - 1) / (count - 1) is > 1.
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]).filter(
    (x): x is T => x !== undefined,
  );
}
