// Schema validation of a parsed manifest file with the precompiled (standalone) Ajv
// validators, and translation of Ajv's errors into located messages a person can act on.

import type { ErrorObject } from 'ajv';
import configSchemaJson from '../../schema/config.schema.json' with { type: 'json' };
import deploymentSchemaJson from '../../schema/deployment.schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics.ts';
import { closest, didYouMean } from './suggest.ts';
import * as generated from './validators.generated.ts';
import type { LocateMode } from './report.ts';
import { displayPath, locate, pointerOf, type DataPath, type YamlFile } from './yaml.ts';

export type SchemaKind = 'config' | 'deployment';
type JsonSchema = { [key: string]: unknown };
type ValidateFunction = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const SCHEMAS: Record<SchemaKind, { schema: JsonSchema; validate: ValidateFunction }> = {
  config: {
    schema: configSchemaJson as JsonSchema,
    validate: (generated as unknown as Record<string, ValidateFunction>).validateConfig!,
  },
  deployment: {
    schema: deploymentSchemaJson as JsonSchema,
    validate: (generated as unknown as Record<string, ValidateFunction>).validateDeployment!,
  },
};

export function schemaOf(kind: SchemaKind): JsonSchema {
  return SCHEMAS[kind].schema;
}

export interface SchemaResult {
  diagnostics: Diagnostic[];
  /** JSON pointers of the values the schema found wrong, so later checks do not repeat them. */
  errorPaths: Set<string>;
}

const isObject = (v: unknown): v is JsonSchema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sub-schema at a '#/a/b' pointer of the root schema. */
function schemaAt(root: JsonSchema, pointer: string): JsonSchema | undefined {
  let node: unknown = root;
  for (const raw of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[seg] : undefined;
  }
  return isObject(node) ? node : undefined;
}

function deref(root: JsonSchema, s: JsonSchema | undefined): JsonSchema | undefined {
  let cur = s;
  for (let i = 0; i < 10 && cur && typeof cur.$ref === 'string'; i++) {
    const target = schemaAt(root, cur.$ref);
    // Keep the referring schema's own annotations (description, x-error) over the target's.
    const { $ref: _ref, ...own } = cur;
    cur = target ? { ...target, ...own } : undefined;
  }
  return cur;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The branch of a type-dispatching anyOf that fits the value. */
function branchFor(root: JsonSchema, s: JsonSchema, value: unknown): JsonSchema {
  if (!Array.isArray(s.anyOf)) return s;
  const t = typeOf(value);
  for (const b of s.anyOf) {
    const branch = deref(root, isObject(b) ? b : undefined);
    const types = branch ? [branch.type].flat() : [];
    if (branch && (types.includes(t) || (t === 'integer' && types.includes('number')))) {
      return {
        ...branch,
        ...(typeof s.description === 'string' ? { description: s.description } : {}),
      };
    }
  }
  return s;
}

/**
 * The schema that applies to the value at `path`, found by walking the data and the
 * schema together (Ajv's schemaPath is relative to whichever $ref it went through).
 */
function schemaForPath(root: JsonSchema, data: unknown, path: DataPath): JsonSchema | undefined {
  let s = deref(root, root);
  let value = data;
  for (const seg of path) {
    if (!s) return undefined;
    s = branchFor(root, s, value);
    let next: unknown;
    if (Array.isArray(value)) {
      next = s.items;
      value = value[Number(seg)];
    } else {
      const props = isObject(s.properties) ? s.properties : {};
      next = props[String(seg)] ?? s.additionalProperties;
      value = isObject(value) ? value[String(seg)] : undefined;
    }
    s = deref(root, isObject(next) ? next : undefined);
  }
  return s ? branchFor(root, s, value) : undefined;
}

/** Splits an Ajv instancePath into a data path, indices as numbers. */
function toDataPath(pointer: string, data: unknown): Array<string | number> {
  const out: Array<string | number> = [];
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = isObject(cur) ? cur[seg] : undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let cur = data;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function orList(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** How a value looks, for "got ..." */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 60 ? v.slice(0, 57) + '...' : v}'`;
  return String(v);
}

function typeMessage(types: string[], value: unknown): string {
  // An optional list or map may also be left empty (null: "none"); the message names
  // only what a value must be when it is written.
  const written = types.length > 1 ? types.filter((t) => t !== 'null') : types;
  const words = [...new Set(written.map((t) => TYPE_WORDS[t] ?? t))];
  return `must be ${orList(words)}, not ${describeValue(value)}`;
}

/** Drops the branches of type-dispatching anyOfs that do not apply to the value's type. */
function pruneAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const any of errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    const prefix = any.schemaPath + '/';
    const branchTypeErrors = out.filter(
      (e) =>
        e.keyword === 'type' &&
        e.instancePath === any.instancePath &&
        e.schemaPath.startsWith(prefix) &&
        /^\d+\/type$/.test(e.schemaPath.slice(prefix.length)),
    );
    const others = out.filter(
      (e) =>
        e !== any && !branchTypeErrors.includes(e) && e.instancePath.startsWith(any.instancePath),
    );
    if (others.length > 0) {
      out = out.filter((e) => e !== any && !branchTypeErrors.includes(e));
    } else {
      // No branch fits the type: one message naming every accepted type.
      const types = branchTypeErrors.flatMap((e) => String(e.params.type).split(','));
      out = out
        .filter((e) => !branchTypeErrors.includes(e))
        .map((e) => (e === any ? { ...e, keyword: 'type', params: { type: types.join(',') } } : e));
    }
  }
  return out;
}

/**
 * For a key unknown at the top of a file: the section it belongs in (possibly misspelt),
 * e.g. `packages` → "it belongs under 'deployment:'".
 */
function homeHint(schema: JsonSchema, key: string): string {
  const props = isObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(props)) {
    const target = deref(schema, isObject(sub) ? sub : undefined);
    if (!target || !isObject(target.properties)) continue;
    if (key in target.properties) return `; it belongs under '${name}:'`;
    const near = closest(key, Object.keys(target.properties));
    if (near) return `; did you mean '${near}' (under '${name}:')?`;
  }
  return '';
}

type Push = (
  path: DataPath,
  mode: LocateMode,
  message: string,
  severity?: 'error' | 'warning',
) => void;

/** What a schema error is about, for its message. */
interface ErrorContext {
  schema: JsonSchema;
  path: DataPath;
  where: string;
  subject: string;
  value: unknown;
  parent: JsonSchema | undefined;
  xError: string | undefined;
}

/** Errors about keys: missing, unknown, badly named. True when `e` was one. */
function keyError(e: ErrorObject, c: ErrorContext, push: Push): boolean {
  const { schema, path, where, parent } = c;
  switch (e.keyword) {
    case 'required': {
      const key = String(e.params.missingProperty);
      push(path, 'container', `missing required key '${key}'${where ? ` in '${where}'` : ''}`);
      break;
    }
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const props = isObject(parent?.properties) ? parent.properties : {};
      const current = Object.keys(props).filter((k) => {
        const sub = deref(schema, isObject(props[k]) ? props[k] : undefined);
        return sub?.deprecationMessage === undefined;
      });
      let hint = didYouMean(key, current);
      if (!hint && where === '') hint = homeHint(schema, key);
      if (!hint && where === '') {
        // A section of its own, like nothing this file knows: ignored, as the original
        // tool ignored it (its validator only warned), so a file made for it still works.
        push(
          [key],
          'key',
          `unknown section '${key}' is ignored; this file's sections are ${current.join(', ')}`,
          'warning',
        );
        break;
      }
      if (!hint) hint = `; expected one of: ${current.join(', ')}`;
      push([...path, key], 'key', `unknown key '${key}'${where ? ` in '${where}'` : ''}${hint}`);
      break;
    }
    case 'propertyNames': {
      const key = String(e.params.propertyName);
      const nameSchema = deref(
        schema,
        isObject(parent?.propertyNames) ? parent.propertyNames : undefined,
      );
      const message =
        typeof nameSchema?.['x-error'] === 'string'
          ? nameSchema['x-error']
          : 'is not an allowed name';
      const examples = Array.isArray(nameSchema?.examples) ? nameSchema.examples.map(String) : [];
      push(
        [...path, key],
        'key',
        `'${key}' ${message}${where ? ` (in '${where}')` : ''}${didYouMean(key, examples)}`,
      );
      break;
    }
    default:
      return false;
  }
  return true;
}

/** Errors about values: type, allowed values, form, limits. */
function valueError(e: ErrorObject, c: ErrorContext, push: Push): void {
  const { path, subject, value, parent, xError } = c;
  switch (e.keyword) {
    case 'type':
      push(path, 'value', `${subject} ${typeMessage(String(e.params.type).split(','), value)}`);
      break;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      push(
        path,
        'value',
        `${subject} must be one of ${allowed.join(', ')}; got ${describeValue(value)}` +
          (typeof value === 'string' ? didYouMean(value, allowed) : ''),
      );
      break;
    }
    case 'const':
      push(
        path,
        'value',
        `${subject} must be ${JSON.stringify(e.params.allowedValue)}; got ${describeValue(value)}`,
      );
      break;
    case 'pattern': {
      const examples = Array.isArray(parent?.examples) ? parent.examples.map(String) : [];
      const hint = typeof value === 'string' ? didYouMean(value, examples) : '';
      push(
        path,
        'value',
        `${subject} ${xError ?? 'is not in the expected form'}; got ${describeValue(value)}${hint}`,
      );
      break;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'more than',
        exclusiveMaximum: 'less than',
      }[e.keyword];
      push(
        path,
        'value',
        `${subject} must be ${words} ${String(e.params.limit)}; got ${describeValue(value)}`,
      );
      break;
    }
    case 'minItems':
      push(
        path,
        'value',
        `${subject} must list at least ${String(e.params.limit)} item${e.params.limit === 1 ? '' : 's'}`,
      );
      break;
    case 'uniqueItems': {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      const earlier = Math.min(Number(e.params.i), Number(e.params.j));
      const item = Array.isArray(value) ? value[later] : undefined;
      push(
        [...path, later],
        'value',
        `${subject} lists ${describeValue(item)} twice (items ${earlier + 1} and ${later + 1})`,
      );
      break;
    }
    case 'minProperties':
    case 'maxProperties': {
      const keys = isObject(value) ? Object.keys(value) : [];
      const found =
        keys.length === 0 ? 'it is empty' : `found ${keys.map((k) => `'${k}'`).join(', ')}`;
      push(
        path,
        'value',
        `${subject} ${xError ?? `must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(e.params.limit)} entries`}; ${found}`,
      );
      break;
    }
    default:
      push(path, 'value', `${subject} ${xError ?? e.message ?? 'is not valid'}`);
  }
}

/** The errors worth a message: one per mistake. */
function relevantErrors(raw: ErrorObject[]): ErrorObject[] {
  let errors = pruneAnyOf(raw);
  // A list item with several keys where one is expected (the settings of `- us-west-2:`
  // not indented under it) fails in many ways at once; its own message says it all.
  for (const e of errors.filter((x) => x.keyword === 'maxProperties')) {
    errors = errors.filter(
      (x) =>
        x === e ||
        !(x.instancePath === e.instancePath || x.instancePath.startsWith(e.instancePath + '/')),
    );
  }
  // A misspelt required key is one mistake: report the unknown key (with its suggestion),
  // not also the missing one.
  const misspelt = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .flatMap((e) => {
        const missing = errors
          .filter((r) => r.keyword === 'required' && r.instancePath === e.instancePath)
          .map((r) => String(r.params.missingProperty));
        const near = closest(String(e.params.additionalProperty), missing);
        return near ? [`${e.instancePath}\0${near}`] : [];
      }),
  );
  errors = errors.filter(
    (e) =>
      !(
        e.keyword === 'required' &&
        misspelt.has(`${e.instancePath}\0${String(e.params.missingProperty)}`)
      ),
  );

  return errors;
}

export function validateSchema(y: YamlFile, kind: SchemaKind): SchemaResult {
  const { schema, validate } = SCHEMAS[kind];
  const diagnostics: Diagnostic[] = [];
  const errorPaths = new Set<string>();
  if (y.data === undefined) return { diagnostics, errorPaths };
  validate(y.data);
  const errors = relevantErrors([...(validate.errors ?? [])]);
  const push: Push = (path, mode, message, severity = 'error') => {
    const pos = locate(y, path, mode);
    diagnostics.push({ file: y.file, line: pos.line, col: pos.col, severity, message });
    if (severity === 'error') errorPaths.add(pointerOf(path));
  };

  for (const e of errors) {
    // The inner errors of propertyNames (they carry `propertyName`) are reported through it.
    if ((e as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    const path = toDataPath(e.instancePath, y.data);
    const where = displayPath(path);
    const parent = schemaForPath(schema, y.data, path);
    const c: ErrorContext = {
      schema,
      path,
      where,
      subject: where === '' ? y.file : `'${where}'`,
      value: valueAt(y.data, path),
      parent,
      xError: typeof parent?.['x-error'] === 'string' ? parent['x-error'] : undefined,
    };
    if (!keyError(e, c, push)) valueError(e, c, push);
  }
  diagnostics.push(...obsoleteWarnings(y, schema));
  return { diagnostics, errorPaths };
}

/** One located warning per obsolete key (schema properties with a deprecationMessage). */
function obsoleteWarnings(y: YamlFile, root: JsonSchema): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (data: unknown, s: JsonSchema | undefined, path: Array<string | number>) => {
    const sch = deref(root, s);
    if (!sch) return;
    if (Array.isArray(data)) {
      if (isObject(sch.items))
        data.forEach((item, i) => walk(item, sch.items as JsonSchema, [...path, i]));
      for (const branch of Array.isArray(sch.anyOf) ? sch.anyOf : []) {
        if (isObject(branch) && branch.type === 'array') walk(data, branch, path);
      }
      return;
    }
    if (!isObject(data)) return;
    for (const branch of Array.isArray(sch.anyOf) ? sch.anyOf : []) {
      if (isObject(branch) && branch.type === 'object') walk(data, branch, path);
    }
    const props = isObject(sch.properties) ? sch.properties : {};
    for (const [key, value] of Object.entries(data)) {
      const sub = isObject(props[key])
        ? deref(root, props[key])
        : isObject(sch.additionalProperties)
          ? sch.additionalProperties
          : undefined;
      if (sub && typeof sub.deprecationMessage === 'string') {
        const pos = locate(y, [...path, key], 'key');
        out.push({
          file: y.file,
          ...pos,
          severity: 'warning',
          message: `'${displayPath([...path, key])}' is obsolete and ${sub.deprecationMessage}`,
        });
      } else {
        walk(value, sub, [...path, key]);
      }
    }
  };
  walk(y.data, root, []);
  return out;
}
