// The EC2 Query protocol, server side, driven by the SDK's own schemas: a form-encoded request
// becomes the SDK-shaped input object (the inverse of the SDK's query serializer with EC2
// settings: capitalised keys, flattened lists), and an SDK-shaped output object becomes the XML
// EC2 answers with (element names from the members' xmlName traits, list items as <item>).
// Reading the schemas rather than hand-writing element names keeps every shape exactly what the
// SDK, and botocore (same service model), expect.

import * as ec2 from '@aws-sdk/client-ec2';
import { NormalizedSchema } from '@smithy/core/schema';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

type Schema = Parameters<typeof NormalizedSchema.of>[0];

export interface Ec2OperationSchema {
  name: string;
  input: NormalizedSchema;
  output: NormalizedSchema;
}

const cache = new Map<string, Ec2OperationSchema | undefined>();

/** The SDK's schema of an EC2 operation, or undefined if the SDK has no such operation. */
export function ec2Operation(name: string): Ec2OperationSchema | undefined {
  if (cache.has(name)) return cache.get(name);
  const op = (ec2 as unknown as Record<string, unknown>)[`${name}$`];
  let found: Ec2OperationSchema | undefined;
  if (Array.isArray(op) && op[0] === 9 && op[2] === name) {
    found = {
      name,
      input: NormalizedSchema.of(op[4] as Schema),
      output: NormalizedSchema.of(op[5] as Schema),
    };
  }
  cache.set(name, found);
  return found;
}

/** A request key tree: `A.1.B=x` becomes {A: {1: {B: 'x'}}}. */
interface KeyNode {
  value?: string;
  children: Map<string, KeyNode>;
}

function keyTree(params: URLSearchParams): KeyNode {
  const root: KeyNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }
  return root;
}

function capitalize(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** The query key of a structure member under the EC2 protocol. */
function queryKey(memberName: string, member: NormalizedSchema): string {
  const traits = member.getMergedTraits();
  if (typeof traits.ec2QueryName === 'string') return traits.ec2QueryName;
  return capitalize(typeof traits.xmlName === 'string' ? traits.xmlName : memberName);
}

function readNode(schema: NormalizedSchema, node: KeyNode): unknown {
  if (schema.isListSchema()) {
    const item = schema.getValueSchema();
    return [...node.children.entries()]
      .filter(([k]) => /^\d+$/.test(k))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, child]) => readNode(item, child));
  }
  if (schema.isMapSchema()) {
    const out: Record<string, unknown> = {};
    const valueSchema = schema.getValueSchema();
    for (const [, entry] of node.children) {
      const k = entry.children.get('Key')?.value ?? entry.children.get('key')?.value;
      const v = entry.children.get('Value') ?? entry.children.get('value');
      if (k !== undefined && v) out[k] = readNode(valueSchema, v);
    }
    return out;
  }
  if (schema.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [memberName, member] of schema.structIterator()) {
      const child = node.children.get(queryKey(memberName, member));
      if (child) out[memberName] = readNode(member, child);
    }
    return out;
  }
  const text = node.value ?? '';
  if (schema.isBooleanSchema()) return text === 'true';
  if (schema.isNumericSchema()) return Number(text);
  if (schema.isTimestampSchema())
    return new Date(/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : text);
  if (schema.isBlobSchema()) return Buffer.from(text, 'base64');
  return text;
}

/** Parses an EC2 Query request body into the SDK-shaped input of the operation. */
export function parseEc2Request(
  op: Ec2OperationSchema,
  params: URLSearchParams,
): Record<string, unknown> {
  return readNode(op.input, keyTree(params)) as Record<string, unknown>;
}

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function writeValue(schema: NormalizedSchema, value: unknown, out: string[]): void {
  if (value === undefined || value === null) return;
  if (schema.isListSchema()) {
    const item = schema.getValueSchema();
    const itemName = (item.getMergedTraits().xmlName as string | undefined) ?? 'member';
    for (const v of value as unknown[]) {
      out.push(`<${itemName}>`);
      writeValue(item, v, out);
      out.push(`</${itemName}>`);
    }
    return;
  }
  if (schema.isStructSchema()) {
    const obj = value as Record<string, unknown>;
    for (const [memberName, member] of schema.structIterator()) {
      const v = obj[memberName];
      if (v === undefined || v === null) continue;
      const name = (member.getMemberTraits().xmlName as string | undefined) ?? memberName;
      if (member.isListSchema() && member.getMergedTraits().xmlFlattened) {
        const item = member.getValueSchema();
        for (const each of v as unknown[]) {
          out.push(`<${name}>`);
          writeValue(item, each, out);
          out.push(`</${name}>`);
        }
        continue;
      }
      if (member.isListSchema() && (v as unknown[]).length === 0) {
        out.push(`<${name}/>`);
        continue;
      }
      out.push(`<${name}>`);
      writeValue(member, v, out);
      out.push(`</${name}>`);
    }
    return;
  }
  if (schema.isTimestampSchema()) {
    const d = value instanceof Date ? value : new Date(value as string | number);
    out.push(d.toISOString());
    return;
  }
  if (schema.isBlobSchema()) {
    out.push(Buffer.from(value as Uint8Array).toString('base64'));
    return;
  }
  out.push(xmlEscape(String(value)));
}

/** The XML body of a successful EC2 answer. */
export function writeEc2Response(
  op: Ec2OperationSchema,
  output: Record<string, unknown>,
  requestId: string,
): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<${op.name}Response xmlns="${EC2_XMLNS}">`,
    `<requestId>${requestId}</requestId>`,
  ];
  writeValue(op.output, output, out);
  out.push(`</${op.name}Response>`);
  return out.join('');
}

/** The XML body of an EC2 error (served with HTTP 400, or 503 for throttling). */
export function writeEc2Error(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>' +
    `<Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `</Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}
