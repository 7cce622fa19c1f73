// psql helpers shared by the benchmarks: one statement, and a fresh database.
import { execFileSync } from 'node:child_process';

export function psql(url, sql) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Drops and recreates `name` through `adminUrl`; returns the new database's URL. */
export function freshDatabase(adminUrl, name) {
  psql(adminUrl, `drop database if exists ${name} with (force)`);
  psql(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
