// Where a path lies relative to the repository: the one test that every stage (discovery,
// validation, rendering) applies before it trusts a path.

import { isAbsolute, relative } from 'node:path';

/** Whether `child` is `parent` or lies under it (both absolute, compared lexically). */
export function inside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
