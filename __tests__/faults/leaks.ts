// Looks for a secret in text the way someone reading logs, API history or user data could
// find it: as it is, by a distinctive part of it (so quoted or escaped too), URL-encoded (both
// flavours), JSON-escaped, in hex, and inside base64 at any alignment
// (a value base64-encoded as part of a larger blob does not encode to base64(value)). Base64
// blobs and gzip streams found along the way are opened and searched too, a few levels deep
// (user data is base64 of gzip of a #cloud-config whose files are base64 again).

import { gunzipSync } from 'node:zlib';

export interface Finding {
  /** Where the text came from, e.g. "deploy stdout" or "call 12 RunInstances UserData". */
  where: string;
  /** Which form of the secret: raw, url, form, hex, base64@0..2, base64url@0..2. */
  form: string;
}

/**
 * The searchable forms of a secret. `core`, a distinctive part of it without punctuation,
 * also finds the secret quoted or escaped in ways not listed (JSON, shell, workflow commands).
 */
export function secretForms(
  secret: string,
  core?: string,
): Array<{ form: string; needle: string }> {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [
    { form: 'raw', needle: secret },
    ...(core !== undefined ? [{ form: 'core', needle: core }] : []),
    { form: 'url', needle: encodeURIComponent(secret) },
    { form: 'form', needle: new URLSearchParams({ x: secret }).toString().slice(2) },
    { form: 'json', needle: JSON.stringify(secret).slice(1, -1) },
    { form: 'hex', needle: bytes.toString('hex') },
  ];
  for (const [name, text] of [['', secret], ...(core !== undefined ? [['core ', core]] : [])]) {
    const raw = Buffer.from(text as string, 'utf8');
    for (let offset = 0; offset < 3; offset++) {
      // `offset` bytes before the value shift it inside base64's 3-byte groups: drop the
      // group the prefix shares, and a last group the following bytes would change.
      const b64 = Buffer.concat([Buffer.alloc(offset), raw]).toString('base64');
      const skipStart = offset > 0 ? 4 : 0;
      const skipEnd = (offset + raw.length) % 3 === 0 ? 0 : 4;
      const part = b64.replace(/=+$/, '').slice(skipStart, b64.length - skipEnd);
      out.push({ form: `${name}base64@${offset}`, needle: part });
      out.push({
        form: `${name}base64url@${offset}`,
        needle: part.replaceAll('+', '-').replaceAll('/', '_'),
      });
    }
  }
  return out.filter((f) => f.needle.length >= 8);
}

/** Runs of base64 (or base64url), also wrapped over lines. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}|(?:[A-Za-z0-9+/]{8,}={0,2}\r?\n){2,}/g;

/** Texts hidden in `text`: base64 runs decoded, and gzip streams among them opened. */
function decodings(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0].replace(/\s+/g, '').replaceAll('-', '+').replaceAll('_', '/');
    // The run may start a character or three before the encoded data does.
    for (let shift = 0; shift < 4; shift++) {
      const buf = Buffer.from(run.slice(shift), 'base64');
      if (buf.length === 0) continue;
      if (buf[0] === 0x1f && buf[1] === 0x8b) {
        try {
          out.push(gunzipSync(buf).toString('utf8'));
        } catch {
          // not a whole gzip stream
        }
      }
      if (shift === 0) out.push(buf.toString('utf8'));
    }
  }
  return out;
}

export class LeakScanner {
  readonly #forms: Array<{ form: string; needle: string }>;
  readonly findings: Finding[] = [];
  /** Characters searched (all levels), to show that the scan looked at something. */
  scanned = 0;

  constructor(secret: string, core?: string) {
    this.#forms = secretForms(secret, core);
  }

  /** Searches `text`, then what is base64-encoded or gzipped inside it, `depth` levels down. */
  text(where: string, text: string, depth = 3): void {
    this.scanned += text.length;
    for (const f of this.#forms) {
      if (text.includes(f.needle)) this.findings.push({ where, form: f.form });
    }
    if (depth > 0) {
      for (const inner of decodings(text)) this.text(`${where} (decoded)`, inner, depth - 1);
    }
  }

  /** Every key and string of a JSON-like value (API parameters, outputs, tags). */
  value(where: string, v: unknown): void {
    if (typeof v === 'string') this.text(where, v);
    else if (Array.isArray(v)) v.forEach((x, i) => this.value(`${where}[${i}]`, x));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        this.text(`${where} key`, k, 0);
        this.value(`${where}.${k}`, x);
      }
    }
  }
}
