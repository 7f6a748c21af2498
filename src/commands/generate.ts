import type { Reporter } from './validate.ts';
import { UserError } from '../diagnostics.ts';

export async function generateCommand(
  _inputs: { path: string; force: boolean },
  _reporter: Reporter,
): Promise<void> {
  throw new UserError('generate is not built yet');
}
