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

/** `did you mean "x" or "y"?` for up to three candidates close to `name`, ignoring case. */
export function closestHint(name: string, candidates: string[]): string | undefined {
  const scored = candidates
    .map((candidate) => ({ candidate, score: distance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, score }) => score <= Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3);
  return scored.length ? `did you mean ${scored.map((s) => `"${s.candidate}"`).join(' or ')}?` : undefined;
}
