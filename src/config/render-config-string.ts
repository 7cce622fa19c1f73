/**
 * Jinja inside YAML values (dbt_project.yml, packages.yml, profiles.yml, selectors),
 * rendered as dbt renders them: natively (config/native-value.ts), with env_var(),
 * var() over --vars, and `target` where dbt provides it.
 */
import { ProjectError, TspipeError } from '../errors.js';
import { Environment, TemplateRuntimeError, TemplateSyntaxError } from '../jinja/index.js';
import { NativeMarker, nativeValue } from './native-value.js';

export interface ConfigRenderContext {
  vars: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  where: { file: string; line?: number };
  /** Extra names (target, project_name) where dbt provides them. */
  extra?: Record<string, unknown>;
  /** Told of every env_var() read (name, value or undefined): the parse caches key on them. */
  onEnvRead?(name: string, value: string | undefined): void;
}

let environment: Environment | undefined;

function configEnvironment(): Environment {
  if (!environment) {
    environment = new Environment();
    const filters = environment.filters as Record<string, (value: unknown) => unknown>;
    filters.as_text = (value) => new NativeMarker(value, 'text');
    filters.as_bool = (value) => new NativeMarker(value, 'bool');
    filters.as_number = (value) => new NativeMarker(value, 'number');
    filters.as_native = (value) => new NativeMarker(value, 'native');
  }
  return environment;
}

const SINGLE_EXPRESSION = /^\{\{-?([\s\S]*?)-?\}\}$/;

export function renderConfigString(text: string, context: ConfigRenderContext): unknown {
  const names = {
    env_var: (name: unknown, fallback?: unknown) => {
      const value = context.env[String(name)];
      context.onEnvRead?.(String(name), value);
      if (value !== undefined) return value;
      if (fallback !== undefined && fallback !== null) return fallback;
      throw new ProjectError(`env_var("${String(name)}") is not set`, {
        ...context.where,
        hint: `export ${String(name)}=..., or give a default: env_var("${String(name)}", "default")`,
      });
    },
    var: (name: unknown, fallback?: unknown) => {
      if (Object.hasOwn(context.vars, String(name))) return context.vars[String(name)];
      if (fallback !== undefined) return fallback;
      throw new ProjectError(`var("${String(name)}") is not defined here`, {
        ...context.where,
        hint: `pass it with --vars '{"${String(name)}": ...}' or give a default: var("${String(name)}", default)`,
      });
    },
    ...context.extra,
  };
  try {
    const single = SINGLE_EXPRESSION.exec(text);
    if (single && !single[1]!.includes('}}') && !single[1]!.includes('{{')) {
      const captured: unknown[] = [];
      configEnvironment()
        .fromString(`{% do __capture(${single[1]}) %}`, context.where.file)
        .render({ ...names, __capture: (value: unknown) => captured.push(value) });
      return nativeValue(captured[0]);
    }
    return configEnvironment().fromString(text, context.where.file).render(names);
  } catch (error) {
    if (error instanceof TemplateRuntimeError && error.cause instanceof TspipeError) throw error.cause;
    if (error instanceof TspipeError) throw error;
    const message = error instanceof TemplateSyntaxError || error instanceof TemplateRuntimeError ? error.message : String((error as Error)?.message ?? error);
    throw new ProjectError(`could not render ${JSON.stringify(text)}: ${message}`, { ...context.where, hint: 'fix the Jinja in this value' });
  }
}
