/**
 * Small text helpers every stage may use: content hashes (the manifest's sha256
 * checksums, the caches' keys) and "did you mean" hints for misspelt names.
 */
import * as crypto from 'node:crypto';
import { distance } from 'fastest-levenshtein';

/** One-shot crypto.hash (Node >= 20.12) is about twice as fast as createHash for small texts. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: string) => string }).hash;

function digest(text: string, encoding: 'hex' | 'base64url'): string {
  return oneShot ? oneShot('sha256', text, encoding) : crypto.createHash('sha256').update(text).digest(encoding);
}

/** Hex sha256: the manifest's checksum of a file. */
export function sha256(text: string): string {
  return digest(text, 'hex');
}

/** sha256 in base64url: shorter keys for the caches. */
export function hashText(text: string): string {
  return digest(text, 'base64url');
}

/** Candidates within `maxDistance` edits (default: a third of the longer name, at least 2), closest first, ignoring case. */
export function closestMatches(name: string, candidates: Iterable<string>, maxDistance?: number): string[] {
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, score: distance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, score }) => score <= (maxDistance ?? Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3))))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** `did you mean "x" or "y"?` for up to three candidates close to `name` (closestMatches). */
export function closestHint(name: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const matches = closestMatches(name, candidates, maxDistance);
  return matches.length ? `did you mean ${matches.map((m) => `"${m}"`).join(' or ')}?` : undefined;
}
