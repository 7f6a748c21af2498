// A problem found in the user's files, located for a person (file:line:col) and for
// GitHub (an annotation). Everything a user can get wrong is reported as one of these,
// never as a stack trace.

export interface Location {
  /** Path relative to the directory the user pointed at (the `path` input). */
  file: string;
  /** 1-based line; 0 when the problem concerns the file as a whole. */
  line: number;
  /** 1-based column; 0 when unknown. */
  col: number;
}

export interface Diagnostic extends Location {
  severity: 'error' | 'warning';
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

/**
 * What the user must act on:
 * - `manifest`: the files at `path` (with a located diagnostic for each problem);
 * - `input`: an input of the step;
 * - `deploy`: the deployment or the account (capacity, permissions, another run at work, a
 *   failed step); the message says what happened and what to do.
 * main.ts turns it into annotations, in one place; anything else is a bug (a stack trace).
 */
export type ErrorKind = 'manifest' | 'input' | 'deploy';

export class ActionError extends Error {
  readonly kind: ErrorKind;
  readonly diagnostics: Diagnostic[];
  constructor(kind: ErrorKind, message: string, diagnostics: Diagnostic[] = []) {
    super(message);
    this.name = 'ActionError';
    this.kind = kind;
    this.diagnostics = diagnostics;
  }
}

/** Thrown when user input cannot be used; carries every problem found, not just the first. */
export class UserError extends ActionError {
  constructor(message: string, diagnostics: Diagnostic[] = []) {
    super('manifest', message, diagnostics);
    this.name = 'UserError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
