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
  /** A notice says what the action chose for the user, and how to choose otherwise. */
  severity: 'error' | 'warning' | 'notice';
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

/** Thrown when user input cannot be used; carries every problem found, not just the first. */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[] = []) {
    super(message);
    this.name = 'UserError';
    this.diagnostics = diagnostics;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
