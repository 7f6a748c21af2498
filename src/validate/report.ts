// Collects located diagnostics for one manifest file.

import type { Diagnostic } from '../diagnostics.ts';
import { locate, pointerOf, type DataPath, type YamlFile } from './yaml.ts';

export type LocateMode = 'value' | 'key' | 'container';

export interface FileReporter {
  readonly file: string;
  error(path: DataPath, message: string, mode?: LocateMode): void;
  warn(path: DataPath, message: string, mode?: LocateMode): void;
  /** Line of a path (for "first at line N" in messages). */
  line(path: DataPath): number;
  /** True when the schema reported something at or under `path`. */
  schemaErrorUnder(path: DataPath): boolean;
}

/**
 * A reporter for `y` that appends to `out`. Errors at paths the schema already reported
 * (`schemaErrorPaths`) are dropped so one mistake gives one message.
 */
export function fileReporter(
  y: YamlFile,
  out: Diagnostic[],
  schemaErrorPaths: ReadonlySet<string> = new Set(),
): FileReporter {
  const add = (
    severity: Diagnostic['severity'],
    path: DataPath,
    message: string,
    mode: LocateMode,
  ) => {
    if (severity === 'error' && schemaErrorPaths.has(pointerOf(path))) return;
    const pos = locate(y, path, mode);
    out.push({ file: y.file, line: pos.line, col: pos.col, severity, message });
  };
  return {
    file: y.file,
    error: (path, message, mode = 'value') => add('error', path, message, mode),
    warn: (path, message, mode = 'value') => add('warning', path, message, mode),
    line: (path) => locate(y, path, 'value').line,
    schemaErrorUnder: (path) => {
      const p = pointerOf(path);
      for (const e of schemaErrorPaths) if (e === p || e.startsWith(p + '/')) return true;
      return false;
    },
  };
}

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : undefined;
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export const scalar = (v: unknown): string | number | boolean | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
