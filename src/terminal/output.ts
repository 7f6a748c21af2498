// Where the terminal commands write: on a terminal, a live view redrawn in place; otherwise
// plain lines (a phase line each time a phase changes); with --json, only the final JSON
// document. The view itself is terminal/view.ts.

import { phaseLine, renderView, type ViewState } from './view.ts';

export type OutputMode = 'tty' | 'plain' | 'json';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function outputMode(stream: Stream, json: boolean): OutputMode {
  return json ? 'json' : stream.isTTY ? 'tty' : 'plain';
}

/** Where a terminal command reads and writes. */
export interface Io {
  out: Stream;
  err: Stream;
  env: Record<string, string | undefined>;
}

export class LiveView {
  #drawn = 0;
  #last: ViewState | undefined;
  #said = new Set<string>();
  readonly mode: OutputMode;
  readonly #out: Stream;

  constructor(out: Stream, mode: OutputMode) {
    this.#out = out;
    this.mode = mode;
  }

  /** Shows the state: redrawn over the previous one on a terminal, new phase lines else. */
  update(s: ViewState): void {
    if (this.mode === 'json') return;
    if (this.mode === 'plain') {
      for (const p of s.phases) {
        const line = phaseLine(p);
        if (p.state === 'pending' || this.#said.has(line)) continue;
        this.#said.add(line);
        this.#out.write(line + '\n');
      }
      return;
    }
    this.#last = s;
    const lines = renderView(s);
    // Back to the start of the previous drawing, clear to the end of the screen, draw.
    const back = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[J` : '';
    this.#out.write(back + lines.join('\n') + '\n');
    this.#drawn = lines.length;
  }

  /** A line of the log: on a terminal written above the view (which is drawn again under
   * it); otherwise to `fallback` (standard error, keeping standard output for the result). */
  print(line: string, fallback: Stream): void {
    if (this.mode !== 'tty') {
      fallback.write(line + '\n');
      return;
    }
    const back = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[J` : '';
    this.#out.write(back + line + '\n');
    this.#drawn = 0;
    if (this.#last) this.update(this.#last);
  }

  /** The final state: on a terminal, the view as it ends; plain, the phases and the table. */
  finish(s: ViewState): void {
    if (this.mode === 'json') return;
    if (this.mode === 'tty') return this.update(s);
    this.update(s);
    if (s.instances.length > 0)
      this.#out.write(
        renderView({ ...s, phases: [] })
          .slice(1)
          .join('\n') + '\n',
      );
  }
}
