/**
 * The columns and clean value domains of the raw CSVs (SPEC.md, "Raw data"), and
 * the exact dirty forms the generator writes. The clean layer maps these back.
 */
export const USER_COLUMNS = ['user_id', 'age_range', 'registration_date', 'email', 'workout_frequency', 'gender', 'location', 'subscription_type'] as const;
export const GAME_COLUMNS = ['game_id', 'game_name', 'game_type', 'platform', 'difficulty'] as const;
export const EVENT_COLUMNS = ['event_id', 'game_id', 'user_id', 'event_time', 'event_type', 'duration_seconds', 'device_type'] as const;

export const AGE_RANGES = ['-18', '18-25', '26-35', '36-50', '50+'] as const;
export const GENDERS = ['M', 'F', 'Other'] as const;
export const LOCATIONS = ['Paris', 'Lyon', 'Berlin', 'Madrid', 'Rome'] as const;
export const WORKOUT_FREQUENCIES = ['flexible', 'minimal', 'regular', 'maximal'] as const;
export const SUBSCRIPTION_TYPES = ['free', 'premium', 'trial'] as const;
export const GAME_TYPES = ['cardio', 'strategy', 'puzzle', 'arcade', 'action'] as const;
export const PLATFORMS = ['iOS', 'Android', 'Web'] as const;
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const EVENT_TYPES = ['login', 'start_game', 'finish_game', 'purchase'] as const;
export const DURATIONS = ['30', '60', '90'] as const;
export const DEVICE_TYPES = ['mobile', 'web', 'console'] as const;

/** Game ids start here (SPEC.md); user and event ids start at 1. */
export const FIRST_GAME_ID = 100;
/** The invalid foreign key of the spec; never given to a real user or game. */
export const INVALID_ID = 9999;

/** Typos written for `typo` dirt, one per clean value (clean value → typo). */
export const TYPOS = {
  game_type: { cardio: 'Cardioo', strategy: 'Stratgy', puzzle: 'PuzZle', arcade: 'Arcadee', action: 'Actionn' },
  platform: { iOS: 'iOSS', Android: 'androiid', Web: 'Webb' },
} as const satisfies Record<string, Record<string, string>>;

export const NEGATIVE_DURATION = '-10';
export const UNKNOWN_DEVICE = 'tablet';
export const BAD_TIMESTAMPS = ['2024-13-45T99:00:00', 'yesterday', ''] as const;

/** Id `n` of a sequence starting at `first`, skipping INVALID_ID so 9999 stays invalid. */
export function idAt(first: number, index: number): number {
  const id = first + index;
  return id >= INVALID_ID ? id + 1 : id;
}
