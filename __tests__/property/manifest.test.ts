// Hostile input, property-based: the validator (loadDeployment over a project on disk) gets
// the examples' manifests mutated at random — keys deleted and renamed, values of the wrong
// type, huge numbers, weird strings, deep nesting, anchors and aliases, binary junk,
// truncation, whole files replaced. For every manifest it must:
//   - never throw, and answer within a second (wall clock, per manifest);
//   - give either a deployment and no error, or no deployment and at least one error;
//   - locate every diagnostic: a file, and line and column > 0 inside that file — except the
//     problems of a file as a whole, which the validator reports at line 0, column 0 (an
//     empty or oversized manifest, a referenced file or directory that is missing or wrong);
// and every manifest it accepts must render (buildPlan) user data that cloud-init's strict
// schema accepts and scripts that pass `bash -n` and `shellcheck -S warning`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { buildPlan } from '../../src/plan/plan.ts';
import { loadDeployment } from '../../src/validate/load.ts';
import { cloudConfigText, lintScripts, validateCloudConfigs } from '../render/helpers.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

/** The examples and their manifest files (what gets mutated). */
const BASES = [
  { example: 'nodejs-app', files: ['.spot/config.yaml', '.spot/deployment.yaml'] },
  { example: 'tarball', files: ['.spot/config.yaml', '.spot/deployment.yaml'] },
  { example: 'convention', files: ['config.yaml'] },
];

const LIMIT_MS = 1000;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 600);

// ---- values ----

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\0',
    'a\nb',
    'CR\rLF\r\n',
    '$(touch /pwned)',
    '`id`',
    "'; rm -rf / #",
    '"; exit 1; "',
    '${HOME}',
    '$((1/0))',
    '../../../etc/passwd',
    '/etc/shadow',
    '/',
    '~',
    '*',
    '-rf',
    '--',
    '%s%n%x',
    '{{ x }}',
    '\u202eevil',
    '🚀',
    'é',
    '\ufeff',
    'null',
    'true',
    '0x1F',
    '0644',
    '1e3',
    'a'.repeat(10_000),
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    's3://bucket/key',
  ),
);

const hugeNumber = fc.oneof(
  fc.constantFrom(
    2 ** 53 + 1,
    1e308,
    -1,
    0,
    -0,
    1.5,
    1e21,
    Number.MAX_SAFE_INTEGER,
    4294967296,
    65536,
    99999,
    Infinity,
    -Infinity,
    NaN,
  ),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((b) => Number(b)),
);

const key = fc.oneof(
  weirdString,
  fc.constantFrom(
    'version',
    'deployment',
    'aws',
    'regions',
    'packages',
    'scripts',
    'uploads',
    'services',
    'env',
    'dest',
    'destination',
    'source',
    'path',
    'name',
    'file',
    'order',
    'timeout',
    'health',
    'tarball_url',
    'tarball_source',
    'template',
    'total_instances',
    'instance_types',
    'machine_type',
    'image',
    'ttl',
    'spot',
    'max_price',
    'tags',
  ),
);

const scalar = fc.oneof(weirdString, hugeNumber, fc.boolean(), fc.constant(null));

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;

// ---- mutations ----

type Path = Array<string | number>;

type Op =
  | { kind: 'delete'; pick: number }
  | { kind: 'rename'; pick: number; name: string }
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'text'; pick: number; value: string }
  | { kind: 'env'; name: string; value: string }
  | { kind: 'package'; name: string }
  | { kind: 'add'; pick: number; name: string; value: unknown }
  | { kind: 'nest'; pick: number; depth: number; list: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'junk'; at: number; bytes: Uint8Array }
  | { kind: 'alias'; pick: number }
  | { kind: 'aliasBomb'; width: number; depth: number }
  | { kind: 'line'; at: number; how: 'delete' | 'duplicate' | 'tab' | 'dedent' | 'indent' }
  | { kind: 'replace'; content: string | Uint8Array }
  | { kind: 'crlfBom' };

const pick = fc.nat();
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick }),
  fc.record({ kind: fc.constant('rename' as const), pick, name: key }),
  fc.record({ kind: fc.constant('set' as const), pick, value }),
  fc.record({ kind: fc.constant('add' as const), pick, name: key, value }),
  // Strings where strings go (free text is often accepted): hostile values that get rendered.
  {
    arbitrary: fc.record({ kind: fc.constant('text' as const), pick, value: weirdString }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('env' as const),
      name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
      value: weirdString,
    }),
    weight: 2,
  },
  {
    // Package names that mean something else to a YAML 1.1 reader (cloud-init's).
    arbitrary: fc.record({
      kind: fc.constant('package' as const),
      name: fc.oneof(
        fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{1,12}$/),
        fc.constantFrom(
          'no',
          'on',
          'off',
          'yes',
          'y',
          'n',
          'null',
          '1.5',
          '0.10',
          '1.0e+3',
          '0o17',
          '0b101',
          '0x1f',
          '2001-12-14',
          '1e3',
          '.inf',
          'nan',
        ),
      ),
    }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('nest' as const),
    pick,
    depth: fc.integer({ min: 2, max: 300 }),
    list: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: pick }),
  fc.record({
    kind: fc.constant('junk' as const),
    at: pick,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('alias' as const), pick }),
  fc.record({
    kind: fc.constant('aliasBomb' as const),
    width: fc.integer({ min: 2, max: 10 }),
    depth: fc.integer({ min: 2, max: 9 }),
  }),
  fc.record({
    kind: fc.constant('line' as const),
    at: pick,
    how: fc.constantFrom('delete', 'duplicate', 'tab', 'dedent', 'indent') as fc.Arbitrary<
      'delete' | 'duplicate' | 'tab' | 'dedent' | 'indent'
    >,
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    content: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom('', '---\n', '~', '[]', '{}', '- a\n- b\n', 'a: b\n---\nc: d\n', '*x', '&a'),
    ),
  }),
  fc.record({ kind: fc.constant('crlfBom' as const) }),
);

function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...at, i]), paths(x, [...at, i], out)));
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push([...at, k]);
      paths(x, [...at, k], out);
    }
  }
  return out;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let cur: unknown = root;
  for (const seg of path.slice(0, -1)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return typeof cur === 'object' && cur !== null
    ? (cur as Record<string | number, unknown>)
    : undefined;
}

function leafAt(root: unknown, path: Path): unknown {
  return parentOf(root, path)?.[path[path.length - 1] as string | number];
}

function nest(v: unknown, depth: number, list: boolean): unknown {
  let out = v;
  for (let i = 0; i < depth; i++) out = list ? [out] : { k: out };
  return out;
}

/** Applies a structural op to the parsed document; undefined when it does not apply. */
function structural(data: unknown, o: Op): unknown {
  if (o.kind === 'package') {
    const d = (data as { deployment?: Record<string, unknown> } | null)?.deployment;
    if (typeof d !== 'object' || d === null) return undefined;
    const list = (d.packages ??= []) as unknown;
    if (!Array.isArray(list)) return undefined;
    list.push(o.name);
    return data;
  }
  if (o.kind === 'env') {
    const d = (data as { deployment?: Record<string, unknown> } | null)?.deployment;
    if (typeof d !== 'object' || d === null) return undefined;
    const env = (d.env ??= {}) as Record<string, unknown>;
    if (typeof env !== 'object' || env === null || Array.isArray(env)) return undefined;
    env[o.name] = o.value;
    return data;
  }
  const all = paths(data).filter(
    (p) =>
      o.kind !== 'text' ||
      typeof leafAt(data, p) === 'string' ||
      typeof leafAt(data, p) === 'number',
  );
  if (all.length === 0) return undefined;
  const path = all[('pick' in o ? o.pick : 0) % all.length] as Path;
  const parent = parentOf(data, path);
  const last = path[path.length - 1] as string | number;
  if (!parent) return undefined;
  switch (o.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      return data;
    case 'rename':
      if (Array.isArray(parent)) return undefined;
      parent[o.name] = parent[last];
      if (o.name !== last) delete parent[last];
      return data;
    case 'set':
    case 'text':
      parent[last] = o.value;
      return data;
    case 'add': {
      const target = parent[last];
      if (Array.isArray(target)) target.push(o.value);
      else if (typeof target === 'object' && target !== null)
        (target as Record<string, unknown>)[o.name] = o.value;
      else parent[last] = { [o.name]: o.value };
      return data;
    }
    case 'nest':
      parent[last] = nest(parent[last], o.depth, o.list);
      return data;
    default:
      return undefined;
  }
}

function lines(text: string, at: number, how: string): string {
  const ls = text.split('\n');
  const i = at % ls.length;
  const l = ls[i] ?? '';
  if (how === 'delete') ls.splice(i, 1);
  else if (how === 'duplicate') ls.splice(i, 0, l);
  else if (how === 'tab') ls[i] = l.replace(/^ +/, '\t');
  else if (how === 'dedent') ls[i] = l.replace(/^ {1,2}/, '');
  else ls[i] = `   ${l}`;
  return ls.join('\n');
}

/** The bytes of one mutated manifest file. */
function mutate(original: string, ops: readonly Op[]): Buffer {
  let text = original;
  let bytes: Buffer | undefined;
  for (const o of ops) {
    if (bytes) {
      // Already binary: only byte-level ops still apply.
      if (o.kind === 'truncate') bytes = bytes.subarray(0, o.at % (bytes.length + 1));
      else if (o.kind === 'junk') {
        const at = o.at % (bytes.length + 1);
        bytes = Buffer.concat([bytes.subarray(0, at), o.bytes, bytes.subarray(at)]);
      }
      continue;
    }
    switch (o.kind) {
      case 'delete':
      case 'rename':
      case 'set':
      case 'text':
      case 'env':
      case 'package':
      case 'add':
      case 'nest': {
        let data: unknown;
        try {
          data = parse(text);
        } catch {
          continue; // an earlier op broke the YAML: structural ops no longer apply
        }
        const changed = structural(data, o);
        if (changed !== undefined) text = stringify(changed, { aliasDuplicateObjects: false });
        break;
      }
      case 'truncate':
        text = text.slice(0, o.at % (text.length + 1));
        break;
      case 'junk': {
        const b = Buffer.from(text, 'utf8');
        const at = o.at % (b.length + 1);
        bytes = Buffer.concat([b.subarray(0, at), o.bytes, b.subarray(at)]);
        break;
      }
      case 'alias': {
        // Anchor a value line and point another value line at it.
        const ls = text.split('\n');
        const values = ls
          .map((l, i) => [l, i] as const)
          .filter(([l]) => /^\s*[\w-]+: \S/.test(l) && !l.trimStart().startsWith('#'));
        if (values.length < 2) break;
        const [a, ai] = values[o.pick % values.length] as readonly [string, number];
        const [b, bi] = values[(o.pick + 1) % values.length] as readonly [string, number];
        ls[ai] = a.replace(/: /, ': &anc ');
        ls[bi] = b.replace(/: .*$/, ': *anc');
        text = ls.join('\n');
        break;
      }
      case 'aliasBomb': {
        const out = ['bomb0: &b0 ["lol"]'];
        for (let d = 1; d <= o.depth; d++) {
          out.push(
            `bomb${d}: &b${d} [${Array.from({ length: o.width }, () => `*b${d - 1}`).join(', ')}]`,
          );
        }
        text = `${text}\n${out.join('\n')}\n`;
        break;
      }
      case 'line':
        text = lines(text, o.at, o.how);
        break;
      case 'replace':
        if (typeof o.content === 'string') text = o.content;
        else bytes = Buffer.from(o.content);
        break;
      case 'crlfBom':
        text = `\ufeff${text.replace(/\r?\n/g, '\r\n')}`;
        break;
    }
  }
  return bytes ?? Buffer.from(text, 'utf8');
}

// ---- the property ----

/** Messages of problems with a whole manifest file (reported at line 0, column 0). */
const WHOLE_MANIFEST = /is empty; expected|the limit is \d+ MiB/;

function checkLocations(
  diagnostics: readonly Diagnostic[],
  manifests: ReadonlyMap<string, Buffer>,
): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message.slice(0, 200)}`;
    if (typeof d.file !== 'string' || d.file === '') problems.push(`no file: ${where}`);
    if (d.severity !== 'error' && d.severity !== 'warning') problems.push(`severity: ${where}`);
    if (typeof d.message !== 'string' || d.message.trim() === '')
      problems.push(`no message: ${where}`);
    if (/\[object Object\]|\n\s+at \S+ \(?[^)]*:\d+:\d+\)?/.test(d.message))
      problems.push(`raw object or stack trace in the message: ${where}`);
    if (!Number.isInteger(d.line) || !Number.isInteger(d.col) || d.line < 0 || d.col < 0)
      problems.push(`bad position: ${where}`);
    if ((d.line === 0) !== (d.col === 0)) problems.push(`line and column disagree: ${where}`);
    const bytes = manifests.get(d.file);
    if (bytes && d.line === 0 && !WHOLE_MANIFEST.test(d.message))
      problems.push(`a manifest problem without a position: ${where}`);
    if (bytes && d.line > 0) {
      const lineCount = bytes.toString('latin1').split('\n').length;
      if (d.line > lineCount) problems.push(`line past the end (${lineCount} lines): ${where}`);
    }
  }
  return problems;
}

test(
  'mutated manifests: no crash, under a second each, every error located; accepted ones render valid user data and scripts',
  { timeout: 600_000 },
  async (t) => {
    const roots: string[] = [];
    const originals: Array<Map<string, string>> = [];
    for (const b of BASES) {
      const root = await mkdtemp(join(tmpdir(), `prop-${b.example}-`));
      await cp(join(EXAMPLES, b.example), root, { recursive: true });
      roots.push(root);
      const texts = new Map<string, string>();
      for (const f of b.files) texts.set(f, await readFile(join(root, f), 'utf8'));
      originals.push(texts);
      // Warm up (module loading, first compile) outside the timed runs; the examples load.
      const warm = await loadDeployment(root);
      assert.ok(warm.deployment, `${b.example}: ${JSON.stringify(warm.diagnostics)}`);
    }

    const identity = {
      repository: 'acme/prop',
      ref: 'refs/heads/main',
      sha: '0'.repeat(40),
      runId: '1-1',
    };
    const docs = new Map<string, string>();
    const scripts = new Map<string, string>();
    const stats = { runs: 0, accepted: 0, slowestMs: 0, errors: 0, wholeFile: 0 };

    try {
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: BASES.length - 1 }),
          fc.nat(),
          fc.array(op, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          async (bi, fi, ops, both) => {
            const base = BASES[bi]!;
            const root = roots[bi]!;
            const texts = originals[bi]!;
            const files = base.files;
            // One file mutated, or (sometimes) every manifest file of the example.
            const targets = both ? files : [files[fi % files.length]!];
            const written = new Map<string, Buffer>();
            for (const f of files) {
              const bytes = targets.includes(f)
                ? mutate(texts.get(f)!, ops)
                : Buffer.from(texts.get(f)!, 'utf8');
              written.set(f, bytes);
              await writeFile(join(root, f), bytes);
            }
            const t0 = performance.now();
            let result: Awaited<ReturnType<typeof loadDeployment>>;
            try {
              result = await loadDeployment(root);
            } catch (err) {
              throw new Error(`loadDeployment threw: ${(err as Error).stack ?? String(err)}`, {
                cause: err,
              });
            }
            const ms = performance.now() - t0;
            stats.runs++;
            stats.slowestMs = Math.max(stats.slowestMs, ms);
            assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);

            const errors = result.diagnostics.filter((d) => d.severity === 'error');
            stats.errors += errors.length;
            stats.wholeFile += result.diagnostics.filter((d) => d.line === 0).length;
            if (result.deployment) assert.deepEqual(errors, [], 'a deployment with errors');
            else assert.ok(errors.length > 0, 'refused without an error');
            assert.deepEqual(checkLocations(result.diagnostics, written), []);

            if (result.deployment) {
              stats.accepted++;
              const plan = await buildPlan(result.deployment, {
                deploymentId: 'prop/run',
                identity,
                secretNames: ['API_TOKEN'],
              });
              const doc = cloudConfigText(plan.userData);
              docs.set(doc, `${base.example} ${JSON.stringify(ops).slice(0, 300)}`);
              for (const s of plan.steps) {
                if (s.script) scripts.set(s.script, `${base.example}/${s.id}`);
              }
            }
          },
        ),
        { numRuns: RUNS, interruptAfterTimeLimit: 240_000 },
      );
    } finally {
      for (const r of roots) await rm(r, { recursive: true, force: true });
    }

    t.diagnostic(
      `${stats.runs} manifests, ${stats.accepted} accepted, ${stats.errors} errors (${stats.wholeFile} whole-file), ` +
        `slowest ${stats.slowestMs.toFixed(0)} ms; ${docs.size} distinct user data, ${scripts.size} distinct scripts`,
    );
    // Enough of both kinds to mean something.
    assert.ok(stats.runs >= Math.min(RUNS, 100), `only ${stats.runs} manifests tried`);
    assert.ok(stats.accepted >= stats.runs / 10, `only ${stats.accepted} accepted`);
    assert.ok(stats.accepted < stats.runs, 'every mutation was accepted');

    // The real validators, once over everything rendered.
    const docList = [...docs.keys()];
    const results = await validateCloudConfigs(docList);
    assert.deepEqual(
      results.flatMap((r, i) => (r ? [`${docs.get(docList[i]!)}: ${r}`] : [])),
      [],
    );
    const named: Record<string, string> = {};
    [...scripts].forEach(([script, name], i) => (named[`${i}:${name}`] = script));
    assert.deepEqual(await lintScripts(named), []);
  },
);
