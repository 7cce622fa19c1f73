/**
 * HTTP for `tspipe deps`: JSON and file downloads with a time limit, and errors that
 * say which host could not be reached and what to do, instead of "fetch failed".
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ProjectError } from '../errors.js';

const TIMEOUT_MS = 60_000;

export async function fetchJson(url: string, what: string): Promise<unknown> {
  const response = await request(url, what);
  try {
    return await response.json();
  } catch (error) {
    throw new ProjectError(`${what}: ${url} did not answer with JSON (${(error as Error).message})`, { cause: error });
  }
}

export async function downloadFile(url: string, path: string, what: string): Promise<void> {
  const response = await request(url, what);
  if (!response.body) throw new ProjectError(`${what}: ${url} sent no body`);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(path));
}

async function request(url: string, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw unreachable(url, what, error);
  }
  if (response.status === 404) {
    throw new ProjectError(`${what}: not found at ${url}`, { hint: 'check the package name and version in packages.yml' });
  }
  if (!response.ok) {
    throw new ProjectError(`${what}: ${url} answered HTTP ${response.status} ${response.statusText}`, {
      hint: 'try again later; if it persists, the server may be down',
    });
  }
  return response;
}

function unreachable(url: string, what: string, error: unknown): ProjectError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason =
    (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
  const host = safeHost(url);
  return new ProjectError(`${what}: could not reach ${host} (${reason})`, {
    cause: error,
    hint: `tspipe deps needs the network to download this package: check the connection or proxy to ${host}, set DBT_PACKAGE_HUB_URL to a reachable mirror of the dbt hub, or install the package from a folder with "local:"`,
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
