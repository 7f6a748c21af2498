// deployment.on_interruption: the script a spot instance runs when EC2 posts its interruption
// notice. Its path is checked like a script's (inside the repository, a file that exists);
// its time limit must leave room, within the two-minute notice, to stop the services.

import type { InterruptionHookSpec } from '../manifest/model.ts';
import type { InterruptionHook } from '../manifest/schema-types.ts';
import { durationSeconds } from '../manifest/names.ts';
import { isObj, scalar, str, type FileReporter } from './report.ts';
import type { DataPath } from './yaml.ts';

export const HOOK_DEFAULT_SECONDS = 60;
/** EC2 gives 120 s; the watcher needs the rest to stop the services. */
export const HOOK_MAX_SECONDS = 100;

/**
 * The normalized hook, or undefined (absent, or an error reported at its place). `checkPath`
 * reports a bad path and answers whether it is usable.
 */
export async function normalizeInterruptionHook(
  raw: unknown,
  r: FileReporter,
  at: (...p: Array<string | number>) => DataPath,
  checkPath: (path: string) => Promise<boolean>,
): Promise<InterruptionHookSpec | undefined> {
  if (!isObj(raw)) return undefined;
  const h = raw as Partial<InterruptionHook>;
  const path = str(h.path);
  if (path === undefined) return undefined; // the schema names the missing key
  const ok = await checkPath(path);
  let timeoutSeconds = HOOK_DEFAULT_SECONDS;
  const t = scalar(h.timeout);
  if (t !== undefined && typeof t !== 'boolean') {
    const sec = durationSeconds(t);
    if (sec === 0) r.error(at('timeout'), 'timeout must be at least 1 second');
    else if (sec !== undefined && sec > HOOK_MAX_SECONDS) {
      r.error(
        at('timeout'),
        `timeout must be at most ${HOOK_MAX_SECONDS} s: EC2's notice comes two minutes ahead, and the services must still be stopped after the hook`,
      );
      return undefined;
    } else if (sec !== undefined) timeoutSeconds = sec;
  }
  return ok ? { path, timeoutSeconds } : undefined;
}
