// A problem in the user's files as a GitHub annotation, where it is (file, line, column).

import type { Diagnostic } from './diagnostics.ts';
import * as core from './runner.ts';

export function annotate(d: Diagnostic): void {
  const props = {
    file: d.file,
    ...(d.line > 0 ? { startLine: d.line } : {}),
    ...(d.col > 0 ? { startColumn: d.col } : {}),
  };
  if (d.severity === 'error') core.error(d.message, props);
  else core.warning(d.message, props);
}
