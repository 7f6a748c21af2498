// The schemas are the one source of truth: the committed types and validators must be
// what they generate, the schemas must be good enough for editor completion, and their
// errors must read well.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateAll } from '../../scripts/gen-manifest.ts';
import { loadDeployment } from '../../src/validate/load.ts';
import { closest, editDistance } from '../../src/validate/suggest.ts';
import { project, spotFiles } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('src/manifest/schema-types.ts and the standalone validators are fresh (npm run gen:types)', async () => {
  const generated = await generateAll();
  for (const [file, text] of Object.entries(generated)) {
    const committed = readFileSync(join(ROOT, file), 'utf8');
    assert.ok(committed === text, `${file} is stale: run npm run gen:types`);
  }
});

type Schema = { [k: string]: unknown };
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

test('every property in both schemas has a description (editors show them)', () => {
  for (const name of ['config', 'deployment']) {
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'schema', `${name}.schema.json`), 'utf8'),
    ) as Schema;
    assert.match(String(schema.$schema), /draft-07/);
    assert.match(String(schema.$id), /^https:\/\/.+\/schema\/\w+\.schema\.json$/);
    const definitions = isObj(schema.definitions) ? schema.definitions : {};
    const missing: string[] = [];
    const walk = (s: unknown, path: string) => {
      if (Array.isArray(s)) s.forEach((x, i) => walk(x, `${path}/${i}`));
      if (!isObj(s)) return;
      if (isObj(s.properties)) {
        for (const [k, v] of Object.entries(s.properties)) {
          const ref = isObj(v) && typeof v.$ref === 'string' ? v.$ref : undefined;
          const target = ref ? definitions[ref.replace('#/definitions/', '')] : undefined;
          const description = (isObj(v) && v.description) ?? (isObj(target) && target.description);
          if (typeof description !== 'string' || description === '')
            missing.push(`${path}/properties/${k}`);
        }
      }
      for (const [k, v] of Object.entries(s)) walk(v, `${path}/${k}`);
    };
    walk(schema, name);
    assert.deepEqual(missing, []);
  }
});

test('edit distance and suggestions', () => {
  assert.equal(editDistance('destinaton', 'destination'), 1);
  assert.equal(editDistance('ab', 'ba'), 1, 'a swap is one edit');
  assert.equal(closest('destinaton', ['source', 'destination', 'dest']), 'destination');
  assert.equal(closest('total-instances', ['total_instances']), 'total_instances');
  assert.equal(closest('zzz', ['source', 'destination']), undefined);
});

async function messages(t: import('node:test').TestContext, files: Record<string, string>) {
  const result = await loadDeployment(await project(t, spotFiles(files)));
  return result.diagnostics.map((d) => `${d.line}:${d.col} ${d.severity}: ${d.message}`);
}

test('unknown keys get a suggestion, or the list of allowed keys', async (t) => {
  assert.deepEqual(
    await messages(t, {
      '.spot/config.yaml':
        'aws:\n  total-instances: 2\n  colour: blue\nregions:\n  us-west-2: {}\n',
    }),
    [
      "2:3 error: unknown key 'total-instances' in 'aws'; did you mean 'total_instances'?",
      "3:3 error: unknown key 'colour' in 'aws'; expected one of: total_instances, os, instance_profile, spot, spot_price_limit, instance_storage_gb, associate_public_ip, ttl, tags",
    ],
  );
});

test('config keys written at the top level are pointed to aws:', async (t) => {
  assert.deepEqual(
    await messages(t, { '.spot/config.yaml': 'total_instances: 2\nregions:\n  us-west-2: {}\n' }),
    ["1:1 error: unknown key 'total_instances'; it belongs under 'aws:'"],
  );
});

test('messages are written for people, not raw Ajv text', async (t) => {
  const all = await messages(t, {
    '.spot/config.yaml':
      'aws:\n  total_instances: 1.5\n  associate_public_ip: yes\n  tags: [a]\nregions:\n  - {}\n',
    '.spot/deployment.yaml':
      'version: 1\ndeployment:\n  packages: curl\n  scripts: [{path: 3}]\n  services: [{file: a.service, health: {http: ftp://x}}]\n',
  });
  assert.ok(all.length >= 6, all.join('\n'));
  for (const m of all) {
    assert.doesNotMatch(
      m,
      /must NOT|must match pattern|must be (object|array|string|integer)\b|additional properties/,
      m,
    );
  }
  assert.ok(
    all.includes("2:20 error: 'aws.total_instances' must be a whole number, not 1.5"),
    all.join('\n'),
  );
  assert.ok(
    all.includes("3:24 error: 'aws.associate_public_ip' must be true or false, not 'yes'"),
    all.join('\n'),
  );
});
