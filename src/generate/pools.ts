/**
 * Pools of realistic words drawn once with a seeded faker, then sampled with the
 * fast PRNG: faker per row would dominate the run time of a million events.
 */
import { faker } from '@faker-js/faker/locale/en';
import { hashSeed } from './prng.js';

export interface Pools {
  firstNames: string[];
  lastNames: string[];
  emailDomains: string[];
  adjectives: string[];
  nouns: string[];
}

const FREE_MAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'proton.me', 'gmx.de', 'orange.fr', 'libero.it'];

export function drawPools(seed: string | number): Pools {
  faker.seed(hashSeed(seed, 'faker'));
  const draw = (n: number, make: () => string): string[] => Array.from({ length: n }, make);
  const word = (w: string): string => w.toLowerCase().replace(/[^a-z0-9]/g, '');
  return {
    firstNames: draw(400, () => faker.person.firstName()),
    lastNames: draw(400, () => faker.person.lastName()),
    // Free mail weighs more than the company domains, as in a consumer app.
    emailDomains: [...FREE_MAIL, ...FREE_MAIL, ...draw(24, () => faker.internet.domainName())],
    adjectives: draw(200, () => word(faker.word.adjective())).filter(Boolean),
    nouns: draw(200, () => word(faker.word.noun())).filter(Boolean),
  };
}
