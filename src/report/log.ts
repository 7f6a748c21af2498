// Where progress goes. The action logs through runner.ts (collapsed groups per phase);
// tests pass a recording log. GitHub log groups do not nest: a group is one phase.

import * as core from '../runner.ts';

export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** Runs fn inside a collapsed log group titled `title`. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export const coreLog: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  group: (title, fn) => core.group(title, fn),
};
