// The repository's examples, loaded the way the action loads them, rendered, and put
// through the real validators: cloud-init's schema (strict), bash -n and shellcheck.

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSteps } from '../../src/plan/steps.ts';
import { renderUserData } from '../../src/plan/userdata.ts';
import { loadDeployment } from '../../src/validate/load.ts';
import { cloudConfigText, lintScripts, validateCloudConfigs } from './helpers.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

test('every example renders user data cloud-init accepts and scripts shellcheck accepts', async () => {
  const names = (await readdir(EXAMPLES, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name !== 'workflows')
    .map((e) => e.name)
    .sort();
  assert.ok(names.length >= 3, `examples: ${names.join(', ')}`);
  const docs: string[] = [];
  const scripts: Record<string, string> = {};
  for (const name of names) {
    const { deployment, diagnostics } = await loadDeployment(join(EXAMPLES, name));
    assert.ok(deployment, `${name}: ${diagnostics.map((d) => d.message).join('; ')}`);
    for (const ttl of [undefined, 3600]) {
      const ud = renderUserData(deployment, ttl ? { ttlSeconds: ttl } : {});
      docs.push(cloudConfigText(ud));
      const steps = await renderSteps(deployment, { secretNames: ['API_TOKEN'], userData: ud });
      assert.equal(steps[0]?.kind, 'prepare', name);
      if (deployment.services.length) assert.equal(steps.at(-1)?.kind, 'services', name);
      for (const s of steps) if (s.script) scripts[`${name}/${ttl ?? 0}/${s.id}`] = s.script;
    }
  }
  const results = await validateCloudConfigs(docs);
  assert.deepEqual(results.map((r, i) => (r ? `${i}: ${r}` : '')).filter(Boolean), []);
  assert.deepEqual(await lintScripts(scripts), []);
});
