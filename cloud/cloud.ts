// The local cloud's state: instances per region and their life (pending -> running ->
// shutting-down -> terminated), their SSM agent, Run Command invocations, and the knobs that
// inject the faults real clouds have. The EC2 and SSM front ends (ec2.ts, ssm.ts) read and
// change this state; server.ts puts HTTP in front.

import { randomBytes } from 'node:crypto';
import {
  containerBackend,
  simulatedBackend,
  type InstanceBackend,
  type RunningInstance,
  type SimulatedBackendOptions,
} from './backend.ts';
import { ACCOUNT_ID, type ImageInfo, type InstanceTypeInfo, type Zone } from './catalog.ts';
import { STOPPED_EXIT_CODE, rootfsPath } from './container.ts';
import { MetadataService, metadataTime } from './imds.ts';
import { Networks, releasePrivateIp, reservePrivateIp } from './network.ts';
import { defaultUserConfig, defaultUserOf } from './users.ts';
import { Rng } from './util.ts';

export interface LatencyOptions {
  /** pending -> running (at least; a container must also have started). Default 300 ms. */
  pendingToRunningMs?: number;
  /** Booted (cloud-init done) -> SSM agent Online. Default 0. */
  runningToOnlineMs?: number;
  /** shutting-down -> terminated (at least; the container must also have stopped). Default 300 ms. */
  terminateMs?: number;
}

/**
 * Behaviours AWS documents that an API client must cope with. Each is on by default, with a
 * window short enough for tests; each can be tuned or switched off (cloud/README.md, the
 * fidelity table, names the AWS documentation of each).
 */
export interface FidelityOptions {
  /** HTTP status of capacity errors: EC2 lists them among its server errors (5xx). Default 500. */
  capacityErrorStatus?: number;
  /** For this long after RunInstances, DescribeInstances by id, CreateTags and
   * TerminateInstances answer InvalidInstanceID.NotFound for the new ids. Default 500 ms. */
  consistencyMs?: number;
  /** For this long after an agent registered, SendCommand refuses its instance with
   * InvalidInstanceId. Default 1000 ms. */
  registrationLagMs?: number;
  /** An invocation whose instance goes away stays InProgress until its execution timeout
   * (true, as on AWS) or fails at once (false). Default true. */
  lostInvocationsStayInProgress?: boolean;
  /** SendCommand requests served at once per region; more are answered ThrottlingException.
   * Default 20. */
  sendCommandConcurrency?: number;
  /** Time SendCommand takes to answer. Default 50 ms. */
  sendCommandLatencyMs?: number;
  /** The account has no AWSServiceRoleForEC2Spot and the caller may not create it: spot
   * launches fail with AuthFailure.ServiceLinkedRoleCreationNotPermitted. Default false. */
  noSpotServiceLinkedRole?: boolean;
  /** Instance profiles created just now: RunInstances refuses each (InvalidParameterValue)
   * for this many ms after the first RunInstances that names it, as IAM propagates it.
   * Default none. */
  propagatingProfiles?: Record<string, number>;
  /** Offerings: `TYPE@REGION` or `TYPE@ZONE` (TYPE may hold `*`) that are not offered there.
   * Default: NOT_OFFERED (catalog.ts). */
  notOffered?: string[];
}

export interface CloudOptions {
  /** AWS behaviours on by default (see FidelityOptions). */
  fidelity?: FidelityOptions;
  /** 'container' (default): every instance is a systemd-nspawn container. */
  backend?: 'container' | 'simulated';
  simulated?: SimulatedBackendOptions;
  /** Root file system for containers (default: $SPOT_ROOTFS or the newest cached one). */
  rootfs?: string;
  /**
   * Containers get a loopback-only network (default false): no address the host can reach,
   * and no apt. Overrides `network`.
   */
  privateNetwork?: boolean;
  /**
   * Containers' network: `namespace` (default) gives each instance its own network namespace
   * at its private IP, reachable from the host, apt through the cloud's proxy to the Debian
   * mirror (network.ts); `host` shares the host's network (one port per machine).
   */
  network?: 'namespace' | 'host';
  /** Seed for ids and injected throttling, so runs repeat. Default 1. */
  seed?: number;
  latency?: LatencyOptions;
  /**
   * Capacity limits. Keys: `[spot:|on-demand:]TYPE[@ZONE|@REGION]`, TYPE may be `*`. Each key
   * caps the live (pending or running) instances it matches; a launch beyond a cap fails with
   * InsufficientInstanceCapacity (or launches fewer, between MinCount and MaxCount).
   */
  capacity?: Record<string, number>;
  /** Fraction (0..1) of API calls answered RequestLimitExceeded / ThrottlingException. */
  throttle?: { rate: number; operations?: string[] };
  /**
   * Spot interruptions: the nth instance launched (1-based, cloud-wide) gets an interruption
   * notice afterMs after it runs, and is reclaimed noticeMs later.
   */
  interruptions?: Array<{ nth: number; afterMs: number }>;
  /** The window between an interruption notice and the reclaim (EC2: two minutes). Default 10 s. */
  noticeMs?: number;
  /** Rebalance recommendations: the nth spot instance launched gets one afterMs after it runs. */
  rebalances?: Array<{ nth: number; afterMs: number }>;
  /**
   * The address each instance's metadata service listens on, one port per instance (default:
   * where the instance reaches the host, the host end of its own network, network.ts GATEWAY,
   * or 127.0.0.1 on the host's network and in the simulation); the instance is told the
   * endpoint through AWS_EC2_METADATA_SERVICE_ENDPOINT.
   */
  metadataHost?: (inst: Instance) => string;
  /** The nth instances launched (1-based) whose SSM agent never comes online. */
  neverOnline?: number[];
  /** Commands whose text matches this pattern hang (until their timeout or a cancel). */
  hangCommands?: string | RegExp;
  /** Without an instance profile the SSM agent cannot register, as on AWS. Default true. */
  requireInstanceProfile?: boolean;
  /** Instance profile names that exist; unset means every name exists. */
  instanceProfiles?: string[];
  /** GetCommandInvocation answers InvocationDoesNotExist for this long after SendCommand. Default 0. */
  invocationDelayMs?: number;
  /** Longest a container may take to boot before the instance is reported impaired. Default 180 s. */
  bootTimeoutMs?: number;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

export type InstanceStateName =
  'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export const REASONS = {
  user: {
    Code: 'Client.UserInitiatedShutdown',
    Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
  },
  spot: {
    Code: 'Server.SpotInstanceTermination',
    Message: 'Server.SpotInstanceTermination: Spot instance termination',
  },
  self: {
    Code: 'Client.InstanceInitiatedShutdown',
    Message: 'Client.InstanceInitiatedShutdown: Instance initiated shutdown',
  },
  launch: {
    Code: 'Server.InternalError',
    Message: 'Server.InternalError: Internal error on launch',
  },
} as const;

export interface StateReason {
  Code: string;
  Message: string;
}

export interface BlockDevice {
  deviceName: string;
  volumeId: string;
  deleteOnTermination: boolean;
  volumeSize: number;
  volumeType: string;
  encrypted: boolean;
}

export interface Instance {
  id: string;
  nth: number;
  region: string;
  zone: Zone;
  reservationId: string;
  requesterId?: string;
  type: InstanceTypeInfo;
  image: ImageInfo;
  state: InstanceStateName;
  stateReason: StateReason | undefined;
  stateTransitionReason: string;
  launchTime: Date;
  tags: Map<string, string>;
  volumeTags: Map<string, string>;
  lifecycle: 'spot' | 'on-demand';
  spotRequestId: string | undefined;
  spotMaxPrice: string | undefined;
  privateIp: string;
  publicIp: string | undefined;
  subnetId: string;
  vpcId: string;
  securityGroups: Array<{ GroupId: string; GroupName: string }>;
  clientToken: string | undefined;
  amiLaunchIndex: number;
  userData: Buffer;
  iamInstanceProfile: { Arn: string; Id: string } | undefined;
  metadataOptions: Record<string, unknown>;
  blockDevices: BlockDevice[];
  shutdownBehavior: 'stop' | 'terminate';
  ebsOptimized: boolean;
  keyName: string | undefined;
  /** SSM agent: not yet registered, Online, never (knob or no profile), or lost with the instance. */
  agent: 'pending' | 'online' | 'never' | 'lost';
  agentRegisteredAt: Date | undefined;
  lastPing: Date | undefined;
  bootError: string | undefined;
  machine: RunningInstance | undefined;
  /** The instance's metadata service (imds.ts), from launch until terminated. */
  metadata?: MetadataService | undefined;
  /** When an interruption notice was posted (the reclaim follows noticeMs later). */
  noticeAt?: Date;
  /** Settles when the backend has started (or failed to start) the machine. */
  started: Promise<void>;
  terminating: Promise<void> | undefined;
  timers: Set<NodeJS.Timeout>;
}

export type InvocationStatus =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Success'
  | 'Cancelled'
  | 'TimedOut'
  | 'Failed'
  | 'Cancelling';

export interface Invocation {
  commandId: string;
  instanceId: string;
  status: InvocationStatus;
  statusDetails: string;
  responseCode: number;
  stdout: string;
  stderr: string;
  startedAt: Date | undefined;
  endedAt: Date | undefined;
  visibleAt: number;
  /** The instance went away while it ran: what the machine says no longer counts. */
  lost?: boolean;
  abort: AbortController;
  done: Promise<void>;
}

export interface Command {
  id: string;
  region: string;
  documentName: string;
  comment: string | undefined;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets: Array<{ Key: string; Values: string[] }>;
  requestedAt: Date;
  expiresAfter: Date;
  timeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  invocations: Map<string, Invocation>;
  cancelled: boolean;
}

export interface CallRecord {
  seq: number;
  time: string;
  service: 'ec2' | 'ssm';
  operation: string;
  region: string;
  /** The request parameters as the SDK shapes them (EC2 UserData stays base64, as sent). */
  params: unknown;
  /** The AWS error code answered, if any. */
  error?: string;
  status: number;
  durationMs: number;
}

export interface InstanceView {
  id: string;
  nth: number;
  region: string;
  zone: string;
  type: string;
  arch: string;
  imageId: string;
  state: InstanceStateName;
  stateReason: StateReason | undefined;
  lifecycle: 'spot' | 'on-demand';
  agent: Instance['agent'];
  tags: Record<string, string>;
  privateIp: string;
  publicIp: string | undefined;
  launchTime: string;
  bootError: string | undefined;
  machine: Record<string, unknown> | undefined;
  /** The instance's metadata endpoint (what AWS_EC2_METADATA_SERVICE_ENDPOINT says inside). */
  metadataUrl: string | undefined;
  /** When an interruption notice was posted, if one was. */
  noticeTime: string | undefined;
}

export class Cloud {
  readonly options: CloudOptions;
  readonly backend: InstanceBackend;
  readonly accountId = ACCOUNT_ID;
  /** A per-process tag in container names, so two clouds on one machine never collide. */
  readonly tag = randomBytes(2).toString('hex');
  readonly ids: Rng;
  readonly faults: Rng;
  readonly instances = new Map<string, Instance>();
  readonly commands = new Map<string, Command>();
  /** Idempotency: region/clientToken -> the request's fingerprint and its answer. */
  readonly clientTokens = new Map<string, { fingerprint: string; result: unknown }>();
  readonly launchTemplates = new Map<string, LaunchTemplate>();
  readonly records: CallRecord[] = [];
  #seq = 0;
  /** Interruptions under way (notice posted, reclaim to follow), and their notice windows. */
  #reclaims = new WeakMap<Instance, Promise<void>>();
  #noticeWaits = new Map<Instance, () => void>();
  #launched = 0;
  readonly startedAt = Date.now();
  /** When a propagating instance profile was first named by a RunInstances (ec2.ts). */
  readonly profilesFirstNamed = new Map<string, number>();
  /** SendCommand requests being served, per region. */
  readonly sendsInFlight = new Map<string, number>();
  #closed = false;
  readonly hang: RegExp | undefined;
  /** Per-instance network namespaces (container backend, `network: 'namespace'`). */
  readonly networks: Networks | undefined;

  constructor(options: CloudOptions = {}) {
    this.options = options;
    const seed = options.seed ?? 1;
    this.ids = new Rng(seed);
    this.faults = new Rng(seed ^ 0x9e3779b9);
    if (options.backend === 'simulated') {
      this.backend = simulatedBackend(options.simulated);
    } else {
      if (process.getuid?.() !== 0) {
        throw new Error('the container backend boots systemd-nspawn containers and needs root');
      }
      // Fail now, not at the first launch, when there is no root file system to boot.
      const privateNetwork = options.privateNetwork ?? false;
      if (!privateNetwork && (options.network ?? 'namespace') === 'namespace') {
        this.networks = new Networks();
        void Networks.removeStale();
      }
      this.backend = containerBackend({
        rootfs: options.rootfs ?? rootfsPath(),
        privateNetwork,
        ...(this.networks ? { networks: this.networks } : {}),
      });
    }
    this.hang =
      options.hangCommands === undefined
        ? undefined
        : typeof options.hangCommands === 'string'
          ? new RegExp(options.hangCommands)
          : options.hangCommands;
  }

  /** The fidelity options with their defaults filled in. */
  get fidelity(): Required<Omit<FidelityOptions, 'notOffered' | 'propagatingProfiles'>> &
    Pick<FidelityOptions, 'notOffered' | 'propagatingProfiles'> {
    const f = this.options.fidelity ?? {};
    return {
      capacityErrorStatus: f.capacityErrorStatus ?? 500,
      consistencyMs: f.consistencyMs ?? 500,
      registrationLagMs: f.registrationLagMs ?? 1000,
      lostInvocationsStayInProgress: f.lostInvocationsStayInProgress ?? true,
      sendCommandConcurrency: f.sendCommandConcurrency ?? 20,
      sendCommandLatencyMs: f.sendCommandLatencyMs ?? 50,
      noSpotServiceLinkedRole: f.noSpotServiceLinkedRole ?? false,
      ...(f.propagatingProfiles ? { propagatingProfiles: f.propagatingProfiles } : {}),
      ...(f.notOffered ? { notOffered: f.notOffered } : {}),
    };
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  record(r: Omit<CallRecord, 'seq'>): CallRecord {
    const rec = { seq: ++this.#seq, ...r };
    this.records.push(rec);
    return rec;
  }

  /** Whether this call is answered with a throttling error (the fault generator decides). */
  throttled(operation: string): boolean {
    const t = this.options.throttle;
    if (!t || t.rate <= 0) return false;
    if (t.operations && !t.operations.includes(operation)) return false;
    return this.faults.next() < t.rate;
  }

  /**
   * The private IP of the nth instance in a zone's subnet. With per-instance networks the
   * address is reserved machine-wide (the host routes it to that instance), so the next free
   * one is taken when another cloud on this machine holds it.
   */
  privateIpFor(zone: Zone, nth: number): string {
    const at = (k: number) => {
      const host = 4 + (k % 4000);
      return `172.31.${zone.index * 16 + Math.floor(host / 256)}.${host % 256}`;
    };
    if (!this.networks) return at(nth);
    for (let k = nth; k < nth + 4000; k++) {
      const ip = at(k);
      if (reservePrivateIp(ip)) return ip;
    }
    throw new Error(`no free private address in ${zone.name}`);
  }

  #releaseIp(inst: Instance): void {
    if (this.networks) releasePrivateIp(inst.privateIp);
  }

  nextOrdinal(): number {
    return ++this.#launched;
  }

  instancesIn(region: string): Instance[] {
    return [...this.instances.values()].filter((i) => i.region === region);
  }

  #timer(inst: Instance, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      inst.timers.delete(t);
      fn();
    }, ms);
    inst.timers.add(t);
  }

  /** Starts an instance's machine and moves it through its life. */
  start(inst: Instance, machineName: string): void {
    const lat = this.options.latency ?? {};
    const bornAt = Date.now();
    this.log(
      `${inst.region} ${inst.id} pending (${inst.type.name}, ${inst.lifecycle}, ${inst.zone.name})`,
    );
    let resolveStarted!: () => void;
    inst.started = new Promise((r) => (resolveStarted = r));
    this.backend
      .boot({
        name: machineName,
        instanceId: inst.id,
        hostname: `ip-${inst.privateIp.replace(/\./g, '-')}`,
        region: inst.region,
        userData: inst.userData,
        privateIp: inst.privateIp,
        image: inst.image,
        ...bootUser(inst.image),
        startMetadata: (host) =>
          this.#startMetadata(inst, this.options.metadataHost?.(inst) ?? host),
      })
      .then(
        (machine) => {
          inst.machine = machine;
          resolveStarted();
          if (inst.state !== 'pending') return; // terminated while starting: terminate() stops it
          void machine.exited.then(() => this.#machineExited(inst));
          const wait = Math.max(0, (lat.pendingToRunningMs ?? 300) - (Date.now() - bornAt));
          this.#timer(inst, wait, () => this.#running(inst));
        },
        (err: unknown) => {
          inst.bootError = err instanceof Error ? err.message : String(err);
          this.log(`${inst.region} ${inst.id} failed to start: ${inst.bootError}`);
          resolveStarted();
          if (inst.state === 'pending') {
            inst.state = 'shutting-down';
            inst.stateReason = { ...REASONS.launch };
            inst.terminating = Promise.resolve();
            this.#timer(inst, lat.terminateMs ?? 300, () => {
              inst.state = 'terminated';
              this.#releaseIp(inst);
              void this.#stopMetadata(inst);
            });
          }
        },
      );
  }

  #running(inst: Instance): void {
    if (inst.state !== 'pending') return;
    inst.state = 'running';
    this.log(`${inst.region} ${inst.id} running`);
    for (const k of this.options.interruptions ?? []) {
      if (k.nth === inst.nth && inst.lifecycle === 'spot') {
        this.#timer(inst, k.afterMs, () => void this.interrupt(inst));
      }
    }
    for (const k of this.options.rebalances ?? []) {
      if (k.nth === inst.nth && inst.lifecycle === 'spot') {
        this.#timer(inst, k.afterMs, () => this.rebalance(inst));
      }
    }
    const neverOnline =
      (this.options.neverOnline ?? []).includes(inst.nth) ||
      ((this.options.requireInstanceProfile ?? true) && !inst.iamInstanceProfile);
    if (neverOnline) inst.agent = 'never';
    const machine = inst.machine!;
    machine.waitBooted(this.options.bootTimeoutMs ?? 180_000).then(
      () => {
        this.log(`${inst.region} ${inst.id} booted`);
        if (inst.agent !== 'pending') return;
        this.#timer(inst, this.options.latency?.runningToOnlineMs ?? 0, () => {
          if (inst.state !== 'running' || inst.agent !== 'pending') return;
          inst.agent = 'online';
          inst.agentRegisteredAt = new Date();
          inst.lastPing = new Date();
          this.log(`${inst.region} ${inst.id} SSM agent online`);
        });
      },
      (err: unknown) => {
        inst.bootError = err instanceof Error ? err.message : String(err);
        this.log(`${inst.region} ${inst.id} did not boot: ${inst.bootError}`);
      },
    );
  }

  /** The machine went away without us: an OS shutdown (e.g. a time-to-live timer). */
  #machineExited(inst: Instance): void {
    if (inst.terminating || this.#closed) return;
    if (inst.state !== 'running' && inst.state !== 'pending') return;
    this.log(`${inst.region} ${inst.id} shut itself down`);
    if (inst.shutdownBehavior === 'terminate') {
      void this.terminate(inst, REASONS.self);
    } else {
      inst.state = 'stopped';
      inst.stateReason = { ...REASONS.self };
      inst.agent = inst.agent === 'online' ? 'lost' : inst.agent;
      this.#endInvocations(inst);
    }
  }

  /**
   * A spot reclaim: the interruption notice appears in the instance's metadata, and noticeMs
   * later (default options.noticeMs, 10 s) the instance goes the way of a terminate, with the
   * spot reason. Resolves once it is terminated. A second call during the window changes
   * nothing.
   */
  interrupt(inst: Instance, noticeMs = this.options.noticeMs ?? 10_000): Promise<void> {
    const pending = this.#reclaims.get(inst);
    if (pending) return pending;
    if (inst.state !== 'running' && inst.state !== 'pending') return Promise.resolve();
    const reclaim = this.#reclaim(inst, noticeMs);
    this.#reclaims.set(inst, reclaim);
    return reclaim;
  }

  async #reclaim(inst: Instance, noticeMs: number): Promise<void> {
    inst.noticeAt = new Date();
    const at = new Date(inst.noticeAt.getTime() + noticeMs);
    inst.metadata?.notice({ action: 'terminate', time: metadataTime(at) });
    this.log(`${inst.region} ${inst.id} spot interruption notice (reclaim in ${noticeMs} ms)`);
    if (noticeMs > 0) {
      // ends early if the instance is terminated meanwhile (terminate() clears the timers)
      await new Promise<void>((resolve) => {
        this.#noticeWaits.set(inst, resolve);
        this.#timer(inst, noticeMs, resolve);
      });
      this.#noticeWaits.delete(inst);
    }
    if (inst.terminating) return inst.terminating;
    this.log(`${inst.region} ${inst.id} spot interruption`);
    await this.terminate(inst, REASONS.spot);
  }

  /** A rebalance recommendation: shown in the instance's metadata; nothing else happens. */
  /** Sets capacity caps (KEY as the `capacity` option) at run time; null lifts one. The
   * caps in force after the change. */
  setCapacity(caps: Record<string, number | null>): Record<string, number> {
    const now = { ...this.options.capacity };
    for (const [key, limit] of Object.entries(caps)) {
      if (!/^(?:(spot|on-demand):)?([^@]+)(?:@(.+))?$/.test(key))
        throw new Error(`bad capacity key ${key}`);
      if (limit === null) delete now[key];
      else now[key] = limit;
    }
    this.options.capacity = now;
    this.log(`capacity: ${JSON.stringify(now)}`);
    return now;
  }

  rebalance(inst: Instance): void {
    if (inst.state !== 'running' && inst.state !== 'pending') return;
    inst.metadata?.rebalance(metadataTime(new Date()));
    this.log(`${inst.region} ${inst.id} rebalance recommendation`);
  }

  /**
   * The instance's metadata service on `host`, started by the backend before the machine boots
   * (once the address the instance reaches the host at exists); its endpoint.
   */
  async #startMetadata(inst: Instance, host: string): Promise<string> {
    inst.metadata = await MetadataService.start({
      host,
      facts: () => ({
        instanceId: inst.id,
        instanceType: inst.type.name,
        zone: inst.zone.name,
        region: inst.region,
        lifecycle: inst.lifecycle,
        amiId: inst.image.imageId,
        localIpv4: inst.privateIp,
        httpTokens: inst.metadataOptions.HttpTokens === 'optional' ? 'optional' : 'required',
      }),
    });
    return inst.metadata.url;
  }

  async #stopMetadata(inst: Instance): Promise<void> {
    const m = inst.metadata;
    inst.metadata = undefined;
    await m?.close();
  }

  /** shutting-down now, terminated once the machine is gone and the latency has passed. */
  terminate(inst: Instance, reason: StateReason = REASONS.user): Promise<void> {
    if (inst.terminating) return inst.terminating;
    if (inst.state === 'terminated') return Promise.resolve();
    const now = new Date();
    inst.state = 'shutting-down';
    inst.stateReason = { ...reason };
    // As DescribeInstances shows it: "User initiated (… GMT)" for TerminateInstances,
    // "Service initiated (… GMT)" when EC2 itself acts (a spot reclaim).
    const at = `(${now.toISOString().replace('T', ' ').slice(0, 19)} GMT)`;
    inst.stateTransitionReason =
      reason === REASONS.user
        ? `User initiated ${at}`
        : reason.Code.startsWith('Server.')
          ? `Service initiated ${at}`
          : reason.Message;
    if (inst.agent === 'online') inst.agent = 'lost';
    if (inst.agent === 'pending') inst.agent = 'never';
    for (const t of inst.timers) clearTimeout(t);
    inst.timers.clear();
    this.#noticeWaits.get(inst)?.();
    this.#endInvocations(inst);
    this.log(`${inst.region} ${inst.id} shutting-down (${reason.Code})`);
    const minimum = new Promise<void>((r) =>
      setTimeout(r, this.options.latency?.terminateMs ?? 300),
    );
    inst.terminating = (async () => {
      await inst.started;
      await inst.machine?.stop().catch((err: unknown) => {
        this.log(`${inst.id}: stopping the machine failed: ${String(err)}`);
      });
      await minimum;
      inst.state = 'terminated';
      this.#releaseIp(inst);
      await this.#stopMetadata(inst);
      this.log(`${inst.region} ${inst.id} terminated`);
    })();
    return inst.terminating;
  }

  /**
   * Invocations still running on an instance that went away: as on AWS, they stay InProgress
   * (the agent cannot report any more) until their execution timeout, then TimedOut; with
   * `lostInvocationsStayInProgress: false` they end as Failed at once.
   */
  #endInvocations(inst: Instance): void {
    for (const cmd of this.commands.values()) {
      const inv = cmd.invocations.get(inst.id);
      if (!inv || !isActive(inv.status)) continue;
      if (this.fidelity.lostInvocationsStayInProgress) {
        this.#loseInvocation(cmd, inv);
        continue;
      }
      inv.status = 'Failed';
      inv.statusDetails = 'Failed';
      inv.responseCode = -1;
      inv.endedAt = new Date();
      inv.abort.abort();
    }
  }

  readonly #lostTimers = new Set<NodeJS.Timeout>();

  #loseInvocation(cmd: Command, inv: Invocation): void {
    inv.lost = true;
    inv.abort.abort();
    const execMs = Number(cmd.parameters.executionTimeout?.[0] ?? 3600) * 1000;
    const left = (inv.startedAt?.getTime() ?? Date.now()) + execMs - Date.now();
    const t = setTimeout(
      () => {
        this.#lostTimers.delete(t);
        if (!isActive(inv.status)) return;
        inv.status = 'TimedOut';
        inv.statusDetails = 'ExecutionTimedOut';
        inv.responseCode = -1;
        inv.endedAt = new Date();
      },
      Math.max(0, left),
    );
    t.unref();
    this.#lostTimers.add(t);
  }

  /** Runs one invocation on its instance, as the agent would. */
  runInvocation(cmd: Command, inv: Invocation, inst: Instance): void {
    const script = (cmd.parameters.commands ?? []).join('\n');
    const execSeconds = Number(cmd.parameters.executionTimeout?.[0] ?? 3600);
    const cwd = cmd.parameters.workingDirectory?.[0];
    inv.status = 'InProgress';
    inv.statusDetails = 'InProgress';
    inv.startedAt = new Date();
    const finish = (
      status: InvocationStatus,
      details: string,
      code: number,
      out = '',
      err = '',
    ) => {
      if (!isActive(inv.status) || inv.lost) return; // already ended, or the instance is gone
      inv.status = status;
      inv.statusDetails = details;
      inv.responseCode = code;
      inv.stdout = out;
      inv.stderr = err;
      inv.endedAt = new Date();
    };
    const machine = inst.machine;
    if (this.hang?.test(script) || !machine) {
      inv.done = new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          finish('TimedOut', 'ExecutionTimedOut', STOPPED_EXIT_CODE);
          resolve();
        }, execSeconds * 1000);
        inv.abort.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            finish('Cancelled', 'Cancelled', STOPPED_EXIT_CODE);
            resolve();
          },
          { once: true },
        );
      });
      return;
    }
    inv.done = machine
      .exec(script, {
        timeoutMs: execSeconds * 1000,
        signal: inv.abort.signal,
        commandId: cmd.id,
        ...(cwd ? { cwd } : {}),
      })
      .then(
        (r) => {
          if (r.timedOut)
            finish('TimedOut', 'ExecutionTimedOut', STOPPED_EXIT_CODE, r.stdout, r.stderr);
          else if (inv.abort.signal.aborted)
            finish('Cancelled', 'Cancelled', STOPPED_EXIT_CODE, r.stdout, r.stderr);
          else if (r.exitCode === 0) finish('Success', 'Success', 0, r.stdout, r.stderr);
          else finish('Failed', 'Failed', r.exitCode, r.stdout, r.stderr);
        },
        (err: unknown) => finish('Failed', 'Failed', -1, '', `${String(err)}\n`),
      );
  }

  view(inst: Instance): InstanceView {
    return {
      id: inst.id,
      nth: inst.nth,
      region: inst.region,
      zone: inst.zone.name,
      type: inst.type.name,
      arch: inst.type.arch,
      imageId: inst.image.imageId,
      state: inst.state,
      stateReason: inst.stateReason,
      lifecycle: inst.lifecycle,
      agent: inst.agent,
      tags: Object.fromEntries(inst.tags),
      privateIp: inst.privateIp,
      publicIp: inst.publicIp,
      launchTime: inst.launchTime.toISOString(),
      bootError: inst.bootError,
      machine: inst.machine?.describe(),
      metadataUrl: inst.metadata?.url,
      noticeTime: inst.noticeAt?.toISOString(),
    };
  }

  /** Terminates everything and forgets all state (instances, commands, records). */
  async reset(): Promise<void> {
    await Promise.all([...this.instances.values()].map((i) => this.terminate(i)));
    await Promise.all(
      [...this.commands.values()].flatMap((c) => [...c.invocations.values()].map((i) => i.done)),
    );
    for (const t of this.#lostTimers) clearTimeout(t);
    this.#lostTimers.clear();
    this.instances.clear();
    this.commands.clear();
    this.clientTokens.clear();
    this.launchTemplates.clear();
    this.records.length = 0;
  }

  async close(): Promise<void> {
    await this.reset();
    this.#closed = true;
    await this.networks?.close();
  }
}

export interface LaunchTemplate {
  id: string;
  name: string;
  region: string;
  createdAt: Date;
  versions: Array<Record<string, unknown>>;
  defaultVersion: number;
  tags: Map<string, string>;
}

export function isActive(status: InvocationStatus): boolean {
  return (
    status === 'Pending' ||
    status === 'InProgress' ||
    status === 'Delayed' ||
    status === 'Cancelling'
  );
}

/** The image's default user, for the machine to create at boot (cloud/users.ts). */
function bootUser(image: ImageInfo): { defaultUserConfig?: string } {
  const user = defaultUserOf(image);
  return user ? { defaultUserConfig: defaultUserConfig(user) } : {};
}
