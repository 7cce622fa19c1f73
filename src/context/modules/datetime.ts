/**
 * Python's datetime module as dbt templates use it (modules.datetime): date,
 * datetime, timedelta and timezone, with strftime/strptime, isoformat, arithmetic
 * and comparison. Times are kept as wall-clock milliseconds plus microseconds, with
 * an optional tzinfo, as Python keeps them.
 */
import { ProjectError } from '../../errors.js';
import { NOT_IMPLEMENTED, pyFloat } from '../../jinja/index.js';
import { bindArgs } from '../call-args.js';
import { noteVolatileRead } from '../render-reads.js';
import { FixedOffset, TzInfo, UTC, formatOffset, timezone as zoneNamed } from './timezones.js';
import { parseWithFormat, strftime } from './strftime.js';

const MS_PER_DAY = 86_400_000;

/** Python's comparisons between two dates, two datetimes or two timedeltas. */
function temporalOrder(a: PyTimedelta | PyDate, b: unknown): number | undefined {
  const kind = (x: unknown) => (x instanceof PyDateTime ? 'datetime' : x instanceof PyDate ? 'date' : x instanceof PyTimedelta ? 'timedelta' : undefined);
  if (kind(a) !== kind(b)) return undefined;
  return Math.sign(a.valueOf() - (b as PyDate).valueOf());
}

/** The rich comparisons the template engine calls (`a < b` is `a.__lt__(b)`). */
abstract class Temporal {
  abstract valueOf(): number;
  __eq__(other: unknown): boolean {
    return temporalOrder(this as never, other) === 0;
  }
  __lt__(other: unknown): unknown {
    const c = temporalOrder(this as never, other);
    return c === undefined ? NOT_IMPLEMENTED : c < 0;
  }
  __le__(other: unknown): unknown {
    const c = temporalOrder(this as never, other);
    return c === undefined ? NOT_IMPLEMENTED : c <= 0;
  }
  __gt__(other: unknown): unknown {
    const c = temporalOrder(this as never, other);
    return c === undefined ? NOT_IMPLEMENTED : c > 0;
  }
  __ge__(other: unknown): unknown {
    const c = temporalOrder(this as never, other);
    return c === undefined ? NOT_IMPLEMENTED : c >= 0;
  }
}

export class PyTimedelta extends Temporal {
  /** Whole microseconds, as Python normalises days/seconds/microseconds. */
  readonly micros: number;
  constructor(micros: number) {
    super();
    this.micros = Math.round(micros);
  }
  static create(...args: unknown[]): PyTimedelta {
    const b = bindArgs('timedelta', ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'], args);
    const n = (key: string) => Number(b[key] ?? 0);
    return new PyTimedelta(
      ((n('weeks') * 7 + n('days')) * 86_400 + n('hours') * 3600 + n('minutes') * 60 + n('seconds')) * 1e6 + n('milliseconds') * 1000 + n('microseconds'),
    );
  }
  get days(): number {
    return Math.floor(this.micros / 86_400e6);
  }
  get seconds(): number {
    return Math.floor((this.micros - this.days * 86_400e6) / 1e6);
  }
  get microseconds(): number {
    return this.micros - this.days * 86_400e6 - this.seconds * 1e6;
  }
  total_seconds(): unknown {
    return pyFloat(this.micros / 1e6);
  }
  __add__(other: unknown): unknown {
    if (other instanceof PyTimedelta) return new PyTimedelta(this.micros + other.micros);
    if (other instanceof PyDate) return other.__add__(this);
    return NOT_IMPLEMENTED;
  }
  __sub__(other: unknown): unknown {
    return other instanceof PyTimedelta ? new PyTimedelta(this.micros - other.micros) : NOT_IMPLEMENTED;
  }
  __neg__(): PyTimedelta {
    return new PyTimedelta(-this.micros);
  }
  __mul__(other: unknown): unknown {
    return typeof other === 'number' ? new PyTimedelta(this.micros * other) : NOT_IMPLEMENTED;
  }
  valueOf(): number {
    return this.micros;
  }
  toString(): string {
    const days = this.days;
    const rest = this.micros - days * 86_400e6;
    const h = Math.floor(rest / 3600e6);
    const m = Math.floor((rest % 3600e6) / 60e6);
    const s = Math.floor((rest % 60e6) / 1e6);
    const us = rest % 1e6;
    const clock = `${h}:${pad(m)}:${pad(s)}${us ? `.${String(us).padStart(6, '0')}` : ''}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}` : clock;
  }
}

export class PyDate extends Temporal {
  /** Midnight UTC of the day, in milliseconds: the calendar, free of zones. */
  constructor(readonly dayMillis: number) {
    super();
  }
  static create(...args: unknown[]): PyDate {
    const b = bindArgs('date', ['year', 'month', 'day'], args);
    return new PyDate(checkedDay(Number(b.year), Number(b.month), Number(b.day)));
  }
  static today(): PyDate {
    return PyDateTime.now().date();
  }
  static fromisoformat(text: unknown): PyDate {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
    if (!match) throw valueError(`Invalid isoformat string: '${text}'`);
    return new PyDate(checkedDay(Number(match[1]), Number(match[2]), Number(match[3])));
  }
  get year(): number {
    return new Date(this.dayMillis).getUTCFullYear();
  }
  get month(): number {
    return new Date(this.dayMillis).getUTCMonth() + 1;
  }
  get day(): number {
    return new Date(this.dayMillis).getUTCDate();
  }
  weekday(): number {
    return (new Date(this.dayMillis).getUTCDay() + 6) % 7;
  }
  isoweekday(): number {
    return this.weekday() + 1;
  }
  isoformat(): string {
    return new Date(this.dayMillis).toISOString().slice(0, 10);
  }
  strftime(format: unknown): string {
    return strftime(String(format), { wallMillis: this.dayMillis, micros: 0 });
  }
  replace(...args: unknown[]): PyDate {
    const b = bindArgs('replace', ['year', 'month', 'day'], args);
    return new PyDate(checkedDay(Number(b.year ?? this.year), Number(b.month ?? this.month), Number(b.day ?? this.day)));
  }
  __add__(other: unknown): unknown {
    return other instanceof PyTimedelta ? new PyDate(this.dayMillis + other.days * MS_PER_DAY) : NOT_IMPLEMENTED;
  }
  __sub__(other: unknown): unknown {
    if (other instanceof PyTimedelta) return new PyDate(this.dayMillis - other.days * MS_PER_DAY);
    if (other instanceof PyDate && !(other instanceof PyDateTime)) return new PyTimedelta((this.dayMillis - other.dayMillis) * 1000);
    return NOT_IMPLEMENTED;
  }
  valueOf(): number {
    return this.dayMillis;
  }
  toString(): string {
    return this.isoformat();
  }
}

export class PyDateTime extends PyDate {
  constructor(
    /** Wall-clock time as if it were UTC, in milliseconds. */
    readonly wallMillis: number,
    readonly micros: number,
    readonly tzinfo: TzInfo | null,
  ) {
    super(Math.floor(wallMillis / MS_PER_DAY) * MS_PER_DAY);
  }
  static create(...args: unknown[]): PyDateTime {
    const b = bindArgs('datetime', ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo'], args);
    const day = checkedDay(Number(b.year), Number(b.month), Number(b.day));
    const n = (key: string) => Number(b[key] ?? 0);
    return new PyDateTime(
      day + n('hour') * 3_600_000 + n('minute') * 60_000 + n('second') * 1000 + Math.floor(n('microsecond') / 1000),
      n('microsecond') % 1000,
      tzOf(b.tzinfo),
    );
  }
  static now(tz?: unknown): PyDateTime {
    noteVolatileRead();
    const utc = Date.now();
    const zone = tzOf(tz);
    return new PyDateTime(utc + (zone ? zone.offsetAt(utc) : -new Date(utc).getTimezoneOffset()) * 60_000, 0, zone);
  }
  static utcnow(): PyDateTime {
    noteVolatileRead();
    return new PyDateTime(Date.now(), 0, null);
  }
  static today(): PyDateTime {
    return PyDateTime.now();
  }
  static fromtimestamp(seconds: unknown, tz?: unknown): PyDateTime {
    const utc = Number(seconds) * 1000;
    const zone = tzOf(tz);
    return new PyDateTime(utc + (zone ? zone.offsetAt(utc) : -new Date(utc).getTimezoneOffset()) * 60_000, 0, zone);
  }
  static strptime(text: unknown, format: unknown): PyDateTime {
    const parsed = parseWithFormat(String(text), String(format));
    if (!parsed) throw valueError(`time data '${text}' does not match format '${format}'`);
    return new PyDateTime(parsed.wallMillis, parsed.micros, parsed.offsetMinutes === undefined ? null : new FixedOffset(parsed.offsetMinutes));
  }
  static fromisoformat(text: unknown): PyDateTime {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(String(text).trim());
    if (!match) throw valueError(`Invalid isoformat string: '${text}'`);
    const fraction = (match[7] ?? '').padEnd(6, '0');
    const wall =
      checkedDay(Number(match[1]), Number(match[2]), Number(match[3])) +
      Number(match[4] ?? 0) * 3_600_000 +
      Number(match[5] ?? 0) * 60_000 +
      Number(match[6] ?? 0) * 1000 +
      Math.floor(Number(fraction) / 1000);
    const offset = match[8] === undefined ? null : match[8] === 'Z' ? UTC : new FixedOffset(parseOffset(match[8]));
    return new PyDateTime(wall, Number(fraction) % 1000, offset);
  }
  get hour(): number {
    return new Date(this.wallMillis).getUTCHours();
  }
  get minute(): number {
    return new Date(this.wallMillis).getUTCMinutes();
  }
  get second(): number {
    return new Date(this.wallMillis).getUTCSeconds();
  }
  get microsecond(): number {
    return new Date(this.wallMillis).getUTCMilliseconds() * 1000 + this.micros;
  }
  date(): PyDate {
    return new PyDate(this.dayMillis);
  }
  /** The UTC instant, for aware datetimes. */
  utcMillis(): number {
    return this.tzinfo ? this.wallMillis - this.tzinfo.offsetForLocal(this.wallMillis) * 60_000 : this.wallMillis;
  }
  utcoffset(): PyTimedelta | null {
    return this.tzinfo ? new PyTimedelta(this.tzinfo.offsetForLocal(this.wallMillis) * 60e6) : null;
  }
  timestamp(): number {
    return (this.tzinfo ? this.utcMillis() : this.wallMillis + new Date(this.wallMillis).getTimezoneOffset() * 60_000) / 1000 + this.micros / 1e6;
  }
  astimezone(tz?: unknown): PyDateTime {
    const zone = tzOf(tz) ?? UTC;
    const utc = this.utcMillis();
    return new PyDateTime(utc + zone.offsetAt(utc) * 60_000, this.micros, zone);
  }
  /** pytz's localize(): the same wall clock, in `tz`. */
  withTzInfo(tz: TzInfo): PyDateTime {
    return new PyDateTime(this.wallMillis, this.micros, tz);
  }
  replace(...args: unknown[]): PyDateTime {
    const b = bindArgs('replace', ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo'], args);
    const pick = (key: string, current: number) => Number(b[key] ?? current);
    const day = checkedDay(pick('year', this.year), pick('month', this.month), pick('day', this.day));
    const microsecond = pick('microsecond', this.microsecond);
    const wall =
      day + pick('hour', this.hour) * 3_600_000 + pick('minute', this.minute) * 60_000 + pick('second', this.second) * 1000 + Math.floor(microsecond / 1000);
    return new PyDateTime(wall, microsecond % 1000, 'tzinfo' in b ? tzOf(b.tzinfo) : this.tzinfo);
  }
  isoformat(separator: unknown = 'T'): string {
    const iso = new Date(this.wallMillis).toISOString();
    const fraction = this.microsecond ? `.${String(this.microsecond).padStart(6, '0')}` : '';
    const offset = this.tzinfo ? formatOffset(this.tzinfo.offsetForLocal(this.wallMillis), ':') : '';
    return `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}${fraction}${offset}`;
  }
  strftime(format: unknown): string {
    return strftime(String(format), {
      wallMillis: this.wallMillis,
      micros: this.micros,
      offsetMinutes: this.tzinfo?.offsetForLocal(this.wallMillis),
      zone: this.tzinfo?.zone,
    });
  }
  override __add__(other: unknown): unknown {
    return other instanceof PyTimedelta ? this.shifted(other.micros) : NOT_IMPLEMENTED;
  }
  override __sub__(other: unknown): unknown {
    if (other instanceof PyTimedelta) return this.shifted(-other.micros);
    if (other instanceof PyDateTime) return new PyTimedelta((this.comparable() - other.comparable()) * 1000 + (this.micros - other.micros));
    return NOT_IMPLEMENTED;
  }
  override valueOf(): number {
    return this.comparable() + this.micros / 1000;
  }
  override toString(): string {
    return this.isoformat(' ');
  }
  private comparable(): number {
    return this.tzinfo ? this.utcMillis() : this.wallMillis;
  }
  private shifted(micros: number): PyDateTime {
    const total = this.micros + micros;
    const carryMs = Math.floor(total / 1000);
    return new PyDateTime(this.wallMillis + carryMs, total - carryMs * 1000, this.tzinfo);
  }
}

export const datetimeModule = {
  date: Object.assign((...args: unknown[]) => PyDate.create(...args), { today: PyDate.today, fromisoformat: PyDate.fromisoformat }),
  datetime: Object.assign((...args: unknown[]) => PyDateTime.create(...args), {
    now: PyDateTime.now,
    utcnow: PyDateTime.utcnow,
    today: PyDateTime.today,
    strptime: PyDateTime.strptime,
    fromisoformat: PyDateTime.fromisoformat,
    fromtimestamp: PyDateTime.fromtimestamp,
  }),
  timedelta: (...args: unknown[]) => PyTimedelta.create(...args),
  timezone: Object.assign((offset: unknown) => new FixedOffset((offset as PyTimedelta).micros / 60e6), { utc: UTC }),
};

function tzOf(value: unknown): TzInfo | null {
  if (value === undefined || value === null) return null;
  if (value instanceof TzInfo) return value;
  if (typeof value === 'string') return zoneNamed(value);
  throw new ProjectError(`tzinfo must be a time zone, not ${typeof value}`);
}

function checkedDay(year: number, month: number, day: number): number {
  const millis = Date.UTC(year, month - 1, day);
  const date = new Date(millis);
  if (!Number.isInteger(year) || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw valueError(`day is out of range for month (${year}-${month}-${day})`);
  }
  return millis;
}

function parseOffset(text: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text)!;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function valueError(message: string): ProjectError {
  return new ProjectError(`ValueError: ${message}`);
}
