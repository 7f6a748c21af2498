// Where progress goes. The action logs through its host (runner.ts: collapsed groups per
// phase); tests pass a recording log. GitHub log groups do not nest: a group is one phase.

export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** Runs fn inside a collapsed log group titled `title`. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}
