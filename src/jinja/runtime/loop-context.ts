/**
 * The `loop` variable of a for loop (jinja2.runtime.LoopContext): index, index0,
 * revindex, revindex0, first, last, length, depth, depth0, previtem, nextitem,
 * cycle(), changed(), and `loop(children)` in a recursive loop.
 */
import { typeError } from '../errors.js';
import { pyEquals } from '../values/compare.js';
import { NO_ATTRIBUTE, PY_ATTR, PY_CALL, PY_REPR, type PyObject } from '../values/protocol.js';
import { tuple } from '../values/py-types.js';
import type { RuntimeEnvironment } from './frame.js';
import { pyFunction } from './py-function.js';

const NOTHING = Symbol('nothing');

export class LoopContext implements PyObject {
  index0 = -1;
  private lastChanged: unknown = NOTHING;

  constructor(
    /** The items iterated (a list is iterated live, as Python does). */
    readonly items: unknown[],
    private readonly env: RuntimeEnvironment,
    /** Renders the loop body for other items, in a recursive loop. */
    private readonly recurse: ((items: unknown, depth: number) => string) | null,
    readonly depth0: number,
  ) {}

  get length(): number {
    return this.items.length;
  }

  [PY_ATTR](name: string): unknown {
    const i = this.index0;
    switch (name) {
      case 'index0':
        return i;
      case 'index':
        return i + 1;
      case 'revindex':
        return this.length - i;
      case 'revindex0':
        return this.length - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === this.length - 1;
      case 'length':
        return this.length;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return i === 0 ? this.env.undefined(undefined, 'there is no previous item') : this.items[i - 1];
      case 'nextitem':
        return i + 1 < this.length ? this.items[i + 1] : this.env.undefined(undefined, 'there is no next item');
      case 'cycle':
        return pyFunction({ name: 'cycle', params: ['*args'], raw: true }, (args: unknown[]) => {
          if (!args.length) throw typeError('no items for cycling given');
          return args[this.index0 % args.length];
        });
      case 'changed':
        return pyFunction({ name: 'changed', params: ['*args'], raw: true }, (args: unknown[]) => {
          const value = tuple([...args]);
          if (this.lastChanged !== NOTHING && pyEquals(this.lastChanged, value)) return false;
          this.lastChanged = value;
          return true;
        });
      default:
        return NO_ATTRIBUTE;
    }
  }

  [PY_CALL](args: unknown[]): unknown {
    if (!this.recurse) throw typeError("The loop must have the 'recursive' marker to be called recursively.");
    if (args.length !== 1) throw typeError(`__call__() takes 2 positional arguments but ${args.length + 1} were given`);
    return this.recurse(args[0], this.depth0 + 1);
  }

  [PY_REPR](): string {
    return `<LoopContext ${this.index0 + 1}/${this.length}>`;
  }
}
