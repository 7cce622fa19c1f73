/**
 * dbt's state comparison: this project's manifest.json (manifest-json.ts) against a
 * previous run's, node by node. Both sides are the JSON shape, so what is compared
 * is exactly what the state directory recorded.
 */
interface NodeJson {
  checksum?: string;
  config?: Record<string, unknown>;
  depends_on?: { nodes?: string[]; macros?: string[] };
  contract?: { enforced?: boolean; checksum?: string | null };
}

interface MacroJson {
  checksum?: string;
  depends_on?: { macros?: string[] };
}

interface SourceJson {
  schema?: string;
  identifier?: string;
  loaded_at_field?: string | null;
  freshness?: unknown;
}

export interface ManifestJson {
  nodes: Record<string, NodeJson & { schema?: string; alias?: string; resource_type?: string }>;
  sources?: Record<string, SourceJson>;
  unit_tests?: Record<string, NodeJson>;
  macros?: Record<string, MacroJson>;
}

export const STATE_ASPECTS = ['body', 'configs', 'relation', 'macros', 'contract'] as const;
export type StateAspect = (typeof STATE_ASPECTS)[number];

export class StateComparison {
  private readonly changedMacros = new Map<string, boolean>();

  constructor(
    private readonly current: ManifestJson,
    private readonly previous: ManifestJson,
  ) {}

  /** Not in the previous manifest at all (a new model, seed, test or source). */
  isNew(id: string): boolean {
    return find(this.previous, id) === undefined && find(this.current, id) !== undefined;
  }

  isOld(id: string): boolean {
    return find(this.previous, id) !== undefined;
  }

  /** New, or changed in `aspect` (any aspect when none is given). */
  isModified(id: string, aspect?: StateAspect): boolean {
    const source = this.current.sources?.[id];
    if (source) return this.sourceModified(source, this.previous.sources?.[id], aspect);
    const now = nodeOf(this.current, id);
    const before = nodeOf(this.previous, id);
    if (!now) return false;
    if (!before) return find(this.previous, id) === undefined;
    const aspects = aspect ? [aspect] : STATE_ASPECTS;
    return aspects.some((a) => this.differs(a, now, before));
  }

  private differs(aspect: StateAspect, now: NodeJson, before: NodeJson): boolean {
    switch (aspect) {
      case 'body':
        return now.checksum !== before.checksum;
      case 'configs':
        return canonical(now.config) !== canonical(before.config);
      case 'relation':
        return ['database', 'schema', 'alias'].some((key) => canonical(now.config?.[key]) !== canonical(before.config?.[key]));
      case 'contract':
        return canonical(now.contract ?? null) !== canonical(before.contract ?? null);
      case 'macros':
        return (now.depends_on?.macros ?? []).some((id) => this.macroChanged(id, new Set()));
    }
  }

  /** A source's relation (schema, identifier) and its freshness rule (configs); it has no body. */
  private sourceModified(now: SourceJson, before: SourceJson | undefined, aspect?: StateAspect): boolean {
    if (!before) return true;
    const relation = now.schema !== before.schema || now.identifier !== before.identifier;
    const configs = canonical([now.loaded_at_field ?? null, now.freshness ?? null]) !== canonical([before.loaded_at_field ?? null, before.freshness ?? null]);
    if (aspect === 'relation') return relation;
    if (aspect === 'configs') return configs;
    return aspect === undefined && (relation || configs);
  }

  /** dbt: a macro changed when its text did, it is new, or a macro it calls changed. */
  private macroChanged(id: string, visiting: Set<string>): boolean {
    const known = this.changedMacros.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return false;
    visiting.add(id);
    const now = this.current.macros?.[id];
    const before = this.previous.macros?.[id];
    const changed = !now || !before || now.checksum !== before.checksum || (now.depends_on?.macros ?? []).some((m) => this.macroChanged(m, visiting));
    this.changedMacros.set(id, changed);
    return changed;
  }
}

function nodeOf(manifest: ManifestJson, id: string): NodeJson | undefined {
  return manifest.nodes[id] ?? manifest.unit_tests?.[id];
}

function find(manifest: ManifestJson, id: string): unknown {
  return nodeOf(manifest, id) ?? manifest.sources?.[id];
}

/** JSON with sorted keys: two configs written in another order are the same config. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
