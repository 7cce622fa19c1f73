/**
 * Time zones for the datetime module: UTC, fixed offsets, and IANA zones (pytz's
 * timezone('America/Los_Angeles')) through Node's ICU, which knows every zone's rules.
 */
import { ProjectError } from '../../errors.js';

export abstract class TzInfo {
  abstract readonly zone: string;
  /** Minutes east of UTC at the given UTC instant. */
  abstract offsetAt(utcMillis: number): number;
  /** The offset in force at a wall-clock time in this zone (the earlier one in a fold). */
  offsetForLocal(localMillis: number): number {
    let offset = this.offsetAt(localMillis);
    offset = this.offsetAt(localMillis - offset * 60_000);
    return offset;
  }
  toString(): string {
    return this.zone;
  }
  /** pytz: the same wall-clock time of a naive datetime, in this zone. */
  localize(dt: { withTzInfo(tz: TzInfo): unknown }): unknown {
    return dt.withTzInfo(this);
  }
}

export class FixedOffset extends TzInfo {
  constructor(
    readonly minutes: number,
    readonly zone: string = formatOffset(minutes, ':', 'UTC'),
  ) {
    super();
  }
  offsetAt(): number {
    return this.minutes;
  }
}

export class IanaZone extends TzInfo {
  private readonly format: Intl.DateTimeFormat;
  constructor(readonly zone: string) {
    super();
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ProjectError(`unknown time zone '${zone}'`, { hint: 'use an IANA name such as UTC, Europe/Paris or America/Los_Angeles' });
    }
  }
  offsetAt(utcMillis: number): number {
    const parts = Object.fromEntries(this.format.formatToParts(new Date(utcMillis)).map((p) => [p.type, p.value]));
    const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return Math.round((local - Math.floor(utcMillis / 1000) * 1000) / 60_000);
  }
}

export const UTC = new FixedOffset(0, 'UTC');

export function timezone(name: unknown): TzInfo {
  const zone = String(name);
  return zone.toUpperCase() === 'UTC' ? UTC : new IanaZone(zone);
}

/** +0100 (strftime %z) or +01:00 (isoformat). */
export function formatOffset(minutes: number, separator = '', utcName?: string): string {
  if (minutes === 0 && utcName) return utcName;
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${separator}${String(abs % 60).padStart(2, '0')}`;
}
