// What an instance runs on: a real container (default) or a simulation (for benchmarks with
// a hundred instances and more, where only the API traffic matters).

import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  Container,
  STOPPED_EXIT_CODE,
  rootfsForImage,
  rootfsPath,
  type ExecResult,
} from './container.ts';
import { GATEWAY, type InstanceNetwork, type Networks } from './network.ts';

export interface BootRequest {
  /** Unique on this machine (used as the container's machine name). */
  name: string;
  instanceId: string;
  hostname: string;
  region: string;
  userData: Buffer;
  /** The instance's private address (its own network namespace holds it). */
  privateIp: string;
  /** The image it boots (the container backend picks the root file system from it). */
  image: { platformName: string; platformVersion: string };
  /** cloud.cfg.d snippet naming the image's default user (cloud/users.ts). */
  defaultUserConfig?: string;
  /**
   * Starts the instance's metadata service (imds.ts) listening on `host`, the address the
   * instance reaches the host at, and resolves with its endpoint; the backend calls it before
   * the machine boots (once that address exists), and every unit inside sees the endpoint as
   * AWS_EC2_METADATA_SERVICE_ENDPOINT.
   */
  startMetadata?: (host: string) => Promise<string>;
}

export interface RunningInstance {
  /** Until the OS finished booting (systemd up, cloud-init done). */
  waitBooted(timeoutMs: number): Promise<void>;
  exec(
    script: string,
    opts: { timeoutMs?: number; signal?: AbortSignal; cwd?: string; commandId?: string },
  ): Promise<ExecResult>;
  stop(): Promise<void>;
  /** Resolves when the machine stopped by itself or was stopped. */
  readonly exited: Promise<unknown>;
  /** What the inventory shows about the machine (container name, init pid...). */
  describe(): Record<string, unknown>;
}

export interface InstanceBackend {
  readonly kind: 'container' | 'simulated';
  boot(req: BootRequest): Promise<RunningInstance>;
}

export interface ContainerBackendOptions {
  rootfs?: string;
  privateNetwork?: boolean;
  /** Each container in its own network namespace at its private address (network.ts). */
  networks?: Networks;
}

export function containerBackend(opts: ContainerBackendOptions = {}): InstanceBackend {
  return {
    kind: 'container',
    async boot(req) {
      let net: InstanceNetwork | undefined;
      if (opts.networks) {
        net = await opts.networks.create(
          req.privateIp,
          join(tmpdir(), `spot-cloud-${req.name}.apt`),
        );
      }
      let c: Container;
      try {
        // Inside its own network the instance reaches the host at the host end of its veth.
        const metadataEndpoint = await req.startMetadata?.(net ? GATEWAY : '127.0.0.1');
        c = await Container.boot({
          name: req.name,
          userData: req.userData,
          instanceId: req.instanceId,
          hostname: req.hostname,
          region: req.region,
          rootfs: rootfsForImage(req.image, opts.rootfs ?? rootfsPath()),
          ...(opts.privateNetwork ? { privateNetwork: true } : {}),
          ...(req.defaultUserConfig !== undefined
            ? { defaultUserConfig: req.defaultUserConfig }
            : {}),
          ...(metadataEndpoint
            ? { systemEnvironment: { AWS_EC2_METADATA_SERVICE_ENDPOINT: metadataEndpoint } }
            : {}),
          ...(net
            ? {
                netnsPath: net.netnsPath,
                bindReadOnly: [
                  [net.aptProxyConf, '/etc/apt/apt.conf.d/90spot-cloud-proxy'],
                ] as Array<[string, string]>,
              }
            : {}),
        });
      } catch (err) {
        await net?.remove();
        throw err;
      }
      const stop = async () => {
        await c.stop();
        await net?.remove();
      };
      return {
        waitBooted: (ms) => c.waitBooted(ms),
        exec: (script, o) =>
          c.exec(script, {
            ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
            ...(o.signal ? { signal: o.signal } : {}),
            ...(o.cwd ? { cwd: o.cwd } : {}),
            ...(o.commandId ? { commandId: o.commandId } : {}),
          }),
        stop,
        exited: c.exited,
        describe: () => ({ container: c.name, leaderPid: c.leaderPid, running: c.running }),
      };
    },
  };
}

export interface SimulatedBackendOptions {
  /** From start to "booted" (cloud-init done). Default 200 ms. */
  bootMs?: number;
  /** How long every command takes. Default 20 ms. */
  commandMs?: number;
  /** Commands whose text matches fail with exit code 1 and this text on stderr. */
  failCommands?: RegExp;
  /** What a successful command prints on standard output, by its script and instance.
   * Default: nothing. */
  stdout?: (script: string, instanceId: string) => string;
  /** How an instance answers a command, by its script and instance (exit code and output);
   * undefined falls back to `failCommands` and `stdout`. Default: none. */
  answer?: (script: string, instanceId: string) => SimulatedAnswer | undefined;
  /** Test tooling: every command finishes only once this settles (after commandMs), so a
   * test can hold a deploy in delivery for as long as it needs. Default: none. */
  holdCommands?: Promise<unknown>;
}

export interface SimulatedAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** How much longer than commandMs the command takes (past its limit, it is stopped). */
  afterMs?: number;
}

/** True once `p` settles, false if `signal` aborts first. */
function settles(p: Promise<unknown>, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    signal?.addEventListener('abort', () => resolve(false), { once: true });
    p.then(
      () => resolve(true),
      () => resolve(true),
    );
  });
}

export function simulatedBackend(opts: SimulatedBackendOptions = {}): InstanceBackend {
  const bootMs = opts.bootMs ?? 200;
  const commandMs = opts.commandMs ?? 20;
  return {
    kind: 'simulated',
    async boot(req) {
      // Nothing inside reads it, but the metadata tree is there, as for a container.
      await req.startMetadata?.('127.0.0.1');
      const started = Date.now();
      let stopped = false;
      let resolveExit!: () => void;
      const exited = new Promise<void>((r) => (resolveExit = r));
      const sleep = (ms: number, signal?: AbortSignal) =>
        new Promise<boolean>((resolve) => {
          if (signal?.aborted) return resolve(false);
          const t = setTimeout(() => resolve(true), ms);
          signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              resolve(false);
            },
            { once: true },
          );
        });
      return {
        async waitBooted(timeoutMs) {
          const left = bootMs - (Date.now() - started);
          if (left > timeoutMs) {
            await sleep(timeoutMs);
            throw new Error(`${req.instanceId} did not finish booting in ${timeoutMs} ms`);
          }
          if (left > 0) await sleep(left);
          if (stopped) throw new Error(`${req.instanceId} stopped while booting`);
        },
        async exec(script, o) {
          if (stopped) throw new Error(`${req.instanceId} is not running`);
          const limit = o.timeoutMs ?? Infinity;
          const finished = await sleep(Math.min(commandMs, limit), o.signal);
          if (!finished || commandMs > limit) {
            return {
              exitCode: STOPPED_EXIT_CODE,
              stdout: '',
              stderr: '',
              timedOut: finished,
            };
          }
          if (opts.holdCommands && !(await settles(opts.holdCommands, o.signal))) {
            return { exitCode: STOPPED_EXIT_CODE, stdout: '', stderr: '', timedOut: false };
          }
          const answer = opts.answer?.(script, req.instanceId);
          if (answer?.afterMs) {
            const left = limit - commandMs;
            const done = await sleep(Math.min(answer.afterMs, left), o.signal);
            if (!done || answer.afterMs > left) {
              return { exitCode: STOPPED_EXIT_CODE, stdout: '', stderr: '', timedOut: done };
            }
          }
          if (answer) {
            const { exitCode, stdout, stderr } = answer;
            return { exitCode, stdout, stderr, timedOut: false };
          }
          if (opts.failCommands?.test(script)) {
            return { exitCode: 1, stdout: '', stderr: 'simulated failure\n', timedOut: false };
          }
          return {
            exitCode: 0,
            stdout: opts.stdout?.(script, req.instanceId) ?? '',
            stderr: '',
            timedOut: false,
          };
        },
        async stop() {
          stopped = true;
          resolveExit();
        },
        exited,
        describe: () => ({ simulated: true, running: !stopped }),
      };
    },
  };
}
