// `plan --out DIR`: the plan laid out for a person to review.
//   DIR/plan.json          the whole plan (user data bytes in base64)
//   DIR/user-data          the exact bytes sent to EC2, before base64
//   DIR/commands/NN-x.sh   one file per remote command, in the order it would run

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from './types.ts';

export async function writePlan(plan: Plan, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const commandsDir = join(dir, 'commands');
  await rm(commandsDir, { recursive: true, force: true });
  await mkdir(commandsDir, { recursive: true });
  const written: string[] = [];
  const put = async (path: string, data: string | Buffer, mode = 0o644) => {
    await writeFile(path, data, { mode });
    written.push(path);
  };
  await put(join(dir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
  await put(join(dir, 'user-data'), Buffer.from(plan.userData.bytesBase64, 'base64'));
  for (const step of plan.steps) {
    await put(join(commandsDir, `${step.id}.sh`), step.script, 0o755);
  }
  return written;
}
