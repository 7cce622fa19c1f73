/**
 * "did you mean ...?" for any misspelt name (refs, project keys, macros, commands):
 * the closest candidates by edit distance, ignoring case.
 */
import { distance } from 'fastest-levenshtein';

/** Candidates within `maxDistance` edits (default: a third of the longer name, at least 2), closest first. */
export function closestMatches(name: string, candidates: Iterable<string>, maxDistance?: number): string[] {
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, score: distance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, score }) => score <= (maxDistance ?? Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3))))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

export function closestHint(name: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const matches = closestMatches(name, candidates, maxDistance);
  return matches.length ? `did you mean ${matches.map((m) => `"${m}"`).join(' or ')}?` : undefined;
}
