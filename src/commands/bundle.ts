// spot-deployer bundle — the deployment's tarball_source packed exactly as a deploy packs it
// (plan/render/files.ts packDirectory: the same deterministic bytes), written to a file with
// its sha256, to host as a release tarball and name with tarball_url + tarball_sha256.

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../diagnostics.ts';
import { packDirectory, sha256Hex } from '../plan/render/files.ts';
import { loadDeployment } from '../validate/load.ts';

export async function bundleCommand(
  path: string,
  out: string,
): Promise<{ file: string; sha256: string; bytes: number; source: string }> {
  const res = await loadDeployment(resolve(path));
  if (!res.deployment) {
    throw new UserError(`the manifest at '${path}' is not valid`, res.diagnostics);
  }
  const t = res.deployment.tarball;
  if (t?.kind !== 'source') {
    throw new UserError(
      `the manifest at '${path}' has no tarball_source to bundle` +
        (t?.kind === 'url' ? ' (it already names a tarball_url)' : ''),
    );
  }
  const data = await packDirectory(res.deployment, t.path, `tarball_source (${t.path})`);
  const file = resolve(out);
  await writeFile(file, data);
  return { file, sha256: sha256Hex(data), bytes: data.length, source: t.path };
}
