// deployment.on_interruption: checked like a script (inside the repository, an existing file),
// its timeout bounded by what the notice leaves, each error at its line and column.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDeployment } from '../../src/validate/load.ts';
import { project, spotFiles } from './helpers.ts';

const manifest = (hook: string) =>
  `version: 1\ndeployment:\n  packages: [curl]\n  on_interruption:\n${hook}`;

test('on_interruption: path and timeout normalized, timeout 60 s by default', async (t) => {
  const withTimeout = await loadDeployment(
    await project(
      t,
      spotFiles({
        '.spot/deployment.yaml': manifest('    path: scripts/drain.sh\n    timeout: 90s\n'),
        '.spot/scripts/drain.sh': '#!/bin/bash\necho draining\n',
      }),
    ),
  );
  assert.deepEqual(
    withTimeout.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.deepEqual(withTimeout.deployment?.onInterruption, {
    path: 'scripts/drain.sh',
    timeoutSeconds: 90,
  });
  const byDefault = await loadDeployment(
    await project(
      t,
      spotFiles({
        '.spot/deployment.yaml': manifest('    path: scripts/drain.sh\n'),
        '.spot/scripts/drain.sh': '#!/bin/bash\necho draining\n',
      }),
    ),
  );
  assert.equal(byDefault.deployment?.onInterruption?.timeoutSeconds, 60);
});

async function errorsOf(t: Parameters<typeof project>[0], hook: string, extra = {}) {
  const r = await loadDeployment(
    await project(t, spotFiles({ '.spot/deployment.yaml': manifest(hook), ...extra })),
  );
  assert.equal(r.deployment, undefined);
  return r.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
}

test('on_interruption: a missing file, a path out of the repository, a too long timeout', async (t) => {
  const missing = await errorsOf(t, '    path: scripts/nope.sh\n');
  assert.equal(missing.length, 1, missing.join('\n'));
  assert.match(
    missing[0]!,
    /^\.spot\/deployment\.yaml:5:11: .*interruption hook.*scripts\/nope\.sh/,
  );

  const outside = await errorsOf(t, '    path: ../../etc/passwd\n');
  assert.equal(outside.length, 1, outside.join('\n'));
  assert.match(outside[0]!, /^\.spot\/deployment\.yaml:5:11: .*outside the repository/);

  const long = await errorsOf(t, '    path: scripts/drain.sh\n    timeout: 2m\n', {
    '.spot/scripts/drain.sh': '#!/bin/bash\n',
  });
  assert.equal(long.length, 1, long.join('\n'));
  assert.match(long[0]!, /^\.spot\/deployment\.yaml:6:14: timeout must be at most 100 s/);

  const noPath = await errorsOf(t, '    timeout: 30\n');
  assert.equal(noPath.length, 1, noPath.join('\n'));
  assert.match(noPath[0]!, /path/);
});
