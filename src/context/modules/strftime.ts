/**
 * Python's strftime/strptime directives (C locale): %Y %m %d %H %M %S %f %y %b %B
 * %a %A %j %p %I %U %W %w %u %z %Z %% and friends, on wall-clock UTC milliseconds.
 */
import { formatOffset } from './timezones.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface WallTime {
  wallMillis: number;
  micros: number;
  offsetMinutes?: number;
  zone?: string;
}

export function strftime(format: string, time: WallTime): string {
  const d = new Date(time.wallMillis);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const dayOfYear = Math.floor((time.wallMillis - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  const weekNumber = (firstDay: number) => Math.floor((dayOfYear + 6 - ((d.getUTCDay() - firstDay + 7) % 7)) / 7);
  const hour12 = d.getUTCHours() % 12 || 12;
  const directives: Record<string, () => string> = {
    Y: () => pad(d.getUTCFullYear(), 4),
    y: () => pad(d.getUTCFullYear() % 100),
    m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()),
    H: () => pad(d.getUTCHours()),
    I: () => pad(hour12),
    M: () => pad(d.getUTCMinutes()),
    S: () => pad(d.getUTCSeconds()),
    f: () => pad(d.getUTCMilliseconds() * 1000 + time.micros, 6),
    p: () => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
    b: () => MONTHS[d.getUTCMonth()]!.slice(0, 3),
    B: () => MONTHS[d.getUTCMonth()]!,
    a: () => DAYS[d.getUTCDay()]!.slice(0, 3),
    A: () => DAYS[d.getUTCDay()]!,
    w: () => String(d.getUTCDay()),
    u: () => String(d.getUTCDay() || 7),
    j: () => pad(dayOfYear, 3),
    U: () => pad(weekNumber(0)),
    W: () => pad(weekNumber(1)),
    z: () => (time.offsetMinutes === undefined ? '' : formatOffset(time.offsetMinutes)),
    Z: () => time.zone ?? '',
    '%': () => '%',
  };
  directives.F = () => `${directives.Y!()}-${directives.m!()}-${directives.d!()}`;
  directives.T = () => `${directives.H!()}:${directives.M!()}:${directives.S!()}`;
  return format.replace(/%([A-Za-z%])/g, (match, code: string) => (directives[code] ? directives[code]!() : match));
}

interface Parsed {
  wallMillis: number;
  micros: number;
  offsetMinutes?: number;
}

/** strptime: the whole text must match the format, as Python requires. */
export function parseWithFormat(text: string, format: string): Parsed | undefined {
  const fields: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
  let offset: number | undefined;
  let pm: boolean | undefined;
  const names: string[] = [];
  const source = format.replace(/%([A-Za-z%])|([.*+?^${}()|[\]\\])/g, (_m, code: string | undefined, special: string | undefined) => {
    if (special) return `\\${special}`;
    names.push(code!);
    switch (code) {
      case 'Y':
        return '(\\d{4})';
      case 'f':
        return '(\\d{1,6})';
      case 'j':
        return '(\\d{1,3})';
      case 'b':
      case 'B':
        return '([A-Za-z]+)';
      case 'a':
      case 'A':
        return '[A-Za-z]+';
      case 'p':
        return '(AM|PM|am|pm)';
      case 'z':
        return '(Z|[+-]\\d{2}:?\\d{2})';
      case '%':
        names.pop();
        return '%';
      default:
        return '(\\d{1,2})';
    }
  });
  const match = new RegExp(`^${source}$`).exec(text);
  if (!match) return undefined;
  let group = 1;
  for (const code of names) {
    if (code === 'a' || code === 'A') continue;
    const value = match[group++]!;
    if (code === 'b' || code === 'B') {
      const month = MONTHS.findIndex((m) => m.toLowerCase().startsWith(value.toLowerCase().slice(0, 3)));
      if (month < 0) return undefined;
      fields.m = month + 1;
    } else if (code === 'p') pm = value.toUpperCase() === 'PM';
    else if (code === 'z') offset = value === 'Z' ? 0 : (value[0] === '-' ? -1 : 1) * (Number(value.slice(1, 3)) * 60 + Number(value.slice(-2)));
    else if (code === 'f') fields.f = Number(value.padEnd(6, '0'));
    else if (code === 'y') fields.Y = 2000 + Number(value) - (Number(value) >= 69 ? 100 : 0);
    else if (code === 'I') fields.H = Number(value) % 12;
    else fields[code] = Number(value);
  }
  if (pm) fields.H! += 12;
  const day = Date.UTC(fields.Y!, fields.m! - 1, fields.d!);
  const wallMillis = day + fields.H! * 3_600_000 + fields.M! * 60_000 + fields.S! * 1000 + Math.floor(fields.f! / 1000);
  return { wallMillis, micros: fields.f! % 1000, offsetMinutes: offset };
}
