// A Log that records what the action would have printed, for assertions.

import type { Log } from '../src/log.ts';

export interface MemoryLog extends Log {
  lines: string[];
  text(): string;
}

export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(m),
    warning: (m) => void lines.push(`warning: ${m}`),
    group: async (title, fn) => {
      lines.push(`::group::${title}`);
      try {
        return await fn();
      } finally {
        lines.push('::endgroup::');
      }
    },
    text: () => lines.join('\n'),
  };
}
