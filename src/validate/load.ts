// discover → parse → schema → semantic checks → normalized Deployment.
// Every problem is collected (not just the first) and located.

import type { Diagnostic } from '../diagnostics.ts';
import type { Deployment } from '../manifest/model.ts';

export interface LoadResult {
  /** Present only when there is no error-severity diagnostic. */
  deployment?: Deployment;
  /** Errors and warnings, in file then position order. */
  diagnostics: Diagnostic[];
}

export async function loadDeployment(_root: string): Promise<LoadResult> {
  return {
    diagnostics: [
      {
        file: '.',
        line: 0,
        col: 0,
        severity: 'error',
        message: 'manifest loading is not built yet',
      },
    ],
  };
}
