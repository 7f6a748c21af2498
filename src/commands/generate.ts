// `spot-deployer generate [DIR] [--force]`: scaffold a .spot/ to start from.

import { chmod, lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../diagnostics.ts';
import { SCAFFOLD } from '../generate/templates.ts';
import type { Reporter } from './validate.ts';

export async function generateCommand(
  inputs: { path: string; force: boolean },
  reporter: Reporter,
): Promise<void> {
  const root = resolve(inputs.path);
  const spot = join(root, '.spot');
  try {
    const st = await lstat(root);
    if (!st.isDirectory()) throw new UserError(`${inputs.path} is not a directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // A directory that does not exist yet is created.
  }
  let exists = false;
  try {
    const st = await lstat(spot);
    exists = true;
    if (!st.isDirectory())
      throw new UserError(`${join(inputs.path, '.spot')} exists and is not a directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  if (exists && !inputs.force) {
    throw new UserError(
      `${join(inputs.path, '.spot')} already exists; use --force to overwrite its example files (other files are kept)`,
    );
  }
  const written: string[] = [];
  try {
    for (const f of SCAFFOLD) {
      const target = join(spot, f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.text, { mode: f.mode });
      await chmod(target, f.mode);
      written.push(join('.spot', f.path));
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new UserError(`cannot write .spot/ in ${inputs.path}: ${code}`);
  }
  for (const w of written) reporter.info(`created ${w}`);
  reporter.info(
    `next: edit .spot/config.yaml (regions, instances) and .spot/deployment.yaml, ` +
      `then run: spot-deployer validate ${inputs.path}`,
  );
}
