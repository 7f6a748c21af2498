// The HTTP front of the local cloud: one port answers EC2 Query (form POST, XML) and SSM JSON
// 1.1 (X-Amz-Target), taking the region from the SigV4 credential scope, plus a small admin
// API under /_cloud/ for tests and benchmarks.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Cloud, type CallRecord, type CloudOptions, type InstanceView } from './cloud.ts';
import { EC2_HANDLERS } from './ec2.ts';
import { ec2Operation, parseEc2Request, writeEc2Error, writeEc2Response } from './ec2-serde.ts';
import { SSM_HANDLERS } from './ssm.ts';
import { AwsError } from './util.ts';

export interface StartOptions extends CloudOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
}

export interface RunningCloud {
  url: string;
  cloud: Cloud;
  calls(): CallRecord[];
  instances(): InstanceView[];
  /** Terminates every instance (stopping its container) and clears all state and records. */
  reset(): Promise<void>;
  /** Stops serving and stops every container. */
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

function regionOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization ?? '';
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  return m?.[1];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AwsError('RequestEntityTooLarge', 'Request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  requestId: string,
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amz-request-id': requestId,
  });
  res.end(body);
}

export async function startCloud(opts: StartOptions = {}): Promise<RunningCloud> {
  const cloud = new Cloud(opts);

  const handleEc2 = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    region: string,
    started: number,
  ) => {
    const requestId = randomUUID();
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const op = ec2Operation(action);
    let input: Record<string, unknown> = {};
    let status = 200;
    let error: string | undefined;
    try {
      const handler = EC2_HANDLERS[action];
      if (!op || !handler) {
        throw new AwsError(
          'InvalidAction',
          `The action ${action} is not valid for this web service.`,
        );
      }
      input = parseEc2Request(op, params);
      if (cloud.throttled(action))
        throw new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
      const output = await handler(cloud, region, input);
      send(res, 200, 'text/xml;charset=UTF-8', writeEc2Response(op, output, requestId), requestId);
    } catch (err) {
      const e =
        err instanceof AwsError
          ? err
          : new AwsError('InternalError', `An internal error has occurred: ${String(err)}`, 500);
      if (!(err instanceof AwsError))
        cloud.log(`EC2 ${action} failed: ${(err as Error).stack ?? String(err)}`);
      status = e.status;
      error = e.code;
      send(
        res,
        e.status,
        'text/xml;charset=UTF-8',
        writeEc2Error(e.code, e.message, requestId),
        requestId,
      );
    }
    cloud.record({
      time: new Date(started).toISOString(),
      service: 'ec2',
      operation: action,
      region,
      params: input,
      status,
      ...(error ? { error } : {}),
      durationMs: Date.now() - started,
    });
    void req;
  };

  const handleSsm = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    region: string,
    started: number,
  ) => {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^AmazonSSM\./, '');
    let input: Record<string, unknown> = {};
    let status = 200;
    let error: string | undefined;
    try {
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        throw new AwsError('SerializationException', 'Could not parse request body into json');
      }
      const handler = SSM_HANDLERS[operation];
      if (!target.startsWith('AmazonSSM.') || !handler) {
        throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
      }
      if (cloud.throttled(operation)) throw new AwsError('ThrottlingException', 'Rate exceeded');
      const output = await handler(cloud, region, input);
      send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(output), requestId);
    } catch (err) {
      const e =
        err instanceof AwsError ? err : new AwsError('InternalServerError', String(err), 500);
      if (!(err instanceof AwsError))
        cloud.log(`SSM ${operation} failed: ${(err as Error).stack ?? String(err)}`);
      status = e.status;
      error = e.code;
      const payload: Record<string, string> = { __type: e.code };
      if (e.message) payload.Message = e.message;
      send(res, e.status, 'application/x-amz-json-1.1', JSON.stringify(payload), requestId);
    }
    cloud.record({
      time: new Date(started).toISOString(),
      service: 'ssm',
      operation,
      region,
      params: input,
      status,
      ...(error ? { error } : {}),
      durationMs: Date.now() - started,
    });
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const json = (status: number, value: unknown) =>
      send(res, status, 'application/json', JSON.stringify(value, null, 2), randomUUID());
    const path = url.pathname;
    if (req.method === 'GET' && path === '/_cloud/calls') {
      const since = Number(url.searchParams.get('since') ?? 0);
      return json(
        200,
        cloud.records.filter((r) => r.seq > since),
      );
    }
    if (req.method === 'GET' && path === '/_cloud/instances') {
      return json(
        200,
        [...cloud.instances.values()].map((i) => cloud.view(i)),
      );
    }
    if (req.method === 'GET' && path === '/_cloud/health')
      return json(200, { ok: true, backend: cloud.backend.kind });
    if (req.method === 'POST' && path === '/_cloud/reset') {
      await cloud.reset();
      return json(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/_cloud/capacity') {
      // {KEY: N} sets a cap (KEY as --capacity), {KEY: null} lifts it: capacity comes and goes.
      const caps = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<
        string,
        number | null
      >;
      return json(200, cloud.setCapacity(caps));
    }
    const m = /^\/_cloud\/instances\/(i-[0-9a-f]+)\/(interrupt|rebalance|terminate)$/.exec(path);
    if (req.method === 'POST' && m) {
      const inst = cloud.instances.get(m[1]!);
      if (!inst) return json(404, { error: `no instance ${m[1]}` });
      if (m[2] === 'interrupt') void cloud.interrupt(inst);
      else if (m[2] === 'rebalance') cloud.rebalance(inst);
      else void cloud.terminate(inst);
      return json(200, cloud.view(inst));
    }
    return json(404, { error: `no admin route ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    void (async () => {
      try {
        if (url.pathname.startsWith('/_cloud/')) return await handleAdmin(req, res, url);
        const body = await readBody(req);
        const region = regionOf(req);
        const isSsm = String(req.headers['x-amz-target'] ?? '').startsWith('AmazonSSM.');
        if (!region) {
          const id = randomUUID();
          const msg = 'Request is missing Authentication Token';
          if (isSsm)
            return send(
              res,
              400,
              'application/x-amz-json-1.1',
              JSON.stringify({ __type: 'MissingAuthenticationTokenException', Message: msg }),
              id,
            );
          return send(
            res,
            401,
            'text/xml;charset=UTF-8',
            writeEc2Error('AuthFailure', msg, id),
            id,
          );
        }
        if (isSsm) return await handleSsm(req, res, body, region, started);
        return await handleEc2(req, res, body, region, started);
      } catch (err) {
        if (!res.headersSent) send(res, 500, 'text/plain', String(err), randomUUID());
        else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    cloud,
    calls: () => [...cloud.records],
    instances: () => [...cloud.instances.values()].map((i) => cloud.view(i)),
    reset: () => cloud.reset(),
    close: () => {
      closing ??= (async () => {
        server.closeIdleConnections();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await cloud.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
