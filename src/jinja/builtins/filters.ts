/** Every Jinja2 builtin filter, by name. */
import type { Filter } from './filter-support.js';
import { HTML_FILTERS } from './filters-html.js';
import { NUMBER_FILTERS } from './filters-number.js';
import { SEQUENCE_FILTERS } from './filters-sequence.js';
import { TEXT_FILTERS } from './filters-text.js';

export function makeFilters(): Record<string, Filter> {
  return { ...TEXT_FILTERS, ...NUMBER_FILTERS, ...SEQUENCE_FILTERS, ...HTML_FILTERS };
}
