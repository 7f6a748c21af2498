// The types of the deploy pipeline: what it takes (plan, options, the world), what its
// phases share (the run, the progress) and what they end with.

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BackoffOptions, Clock } from '../aws/poll.ts';
import type { SecretsSealer, StepOutcome } from '../deliver/deliver.ts';
import type { Fleet, Member } from '../deliver/fleet.ts';
import type { Host } from '../host.ts';
import type { MinHealthy } from '../inputs.ts';
import type { LaunchedInstance, LaunchResult } from '../launch/launch.ts';
import type { InstanceRegistry } from '../launch/registry.ts';
import type { Log } from '../log.ts';
import type { Plan } from '../plan/types.ts';
import type { InstanceRecord } from '../report/outputs.ts';
import type { DeployReport, Phase } from '../report/summary.ts';

export interface DeployDeps {
  clientsFor(region: string): { ec2: EC2Client; ssm: SSMClient };
  log: Log;
  registry: InstanceRegistry;
  saveState(name: string, value: string): void;
  clock?: Clock;
  /** Polls of instance states (default POLL). */
  poll?: BackoffOptions;
  /** Polls of command results (default COMMAND_POLL). */
  commandPoll?: BackoffOptions;
  /** Aborts everything in flight (cancellation, or the deadline); the cleanup then runs on
   * its own clock. */
  signal?: AbortSignal;
  /** The deploy's overall deadline (input timeout), when `signal` carries one: a failure
   * once it expired is reported as a timeout, and cleaned up with the normal budget. */
  deadline?: { ms: number; expired(): boolean };
  sealer?: SecretsSealer;
  /** Called at the points where a concurrent run of the same deployment is checked for; a
   * hook that throws fails the deploy the way any phase does (this run's instances are
   * terminated, an in-place update leaves the instances as they are). */
  hooks?: DeployHooks;
  /** The host's progress (the terminal's live view): each phase, and the fleet after it. */
  progress?: Host['progress'];
}

export interface DeployHooks {
  /** Right after the launch (or, in place, before anything else). */
  afterLaunch?(fleet: Fleet): Promise<void>;
  /** Once the instances are Online, before the first command. */
  beforeDeliver?(fleet: Fleet): Promise<void>;
  /** The deploy succeeded: these members stay (e.g. tag them ready). Inside the deploy, so a
   * failure here fails it. */
  onHealthy?(members: readonly Member[]): Promise<void>;
  /** A failed deploy keeps these instances for debugging (keep-failed). Best effort. */
  onKept?(ids: Record<string, string[]>): Promise<void>;
}

export interface DeployOptions {
  minHealthy: MinHealthy;
  keepFailed: boolean;
  onlineTimeoutSeconds: number;
  secrets: Record<string, string>;
  /** Services that must be active at the end (default: the plan's); those the manifest does
   * not start are left out by the deploy command. */
  services?: readonly string[];
  /** How long to wait for failed instances to reach `terminated`. */
  terminateTimeoutSeconds?: number;
  /** Deliver to these existing instances instead of launching (strategy update). Nothing is
   * launched and nothing is ever terminated: a failure leaves them as they are. */
  inPlace?: readonly LaunchedInstance[];
}

/** What every phase may read: the plan, the options and the world, resolved once. */
export interface Run {
  plan: Plan;
  opts: DeployOptions;
  deps: DeployDeps;
  clock: Clock;
  poll: BackoffOptions;
  commandPoll: BackoffOptions;
  /** How many instances the deploy is for, and how many must end healthy. */
  requested: number;
  minHealthy: number;
  regions: string[];
}

/** What the phases have produced so far. */
export interface Progress {
  fleet: Fleet;
  launch?: LaunchResult;
  outcomes: StepOutcome[];
  /** The run record is saved: from here on a failure terminates this run's instances. */
  launchStarted: boolean;
}

export interface Step {
  name: string;
  /** Timed steps appear in the report's phases. */
  timed: boolean;
  when?(run: Run): boolean;
  run(run: Run, p: Progress): Promise<Progress>;
}

export interface PhasesResult {
  progress: Progress;
  timings: Phase[];
  failure?: { error: unknown; phase: string };
}

export interface DeployOutcome {
  ok: boolean;
  /** Why it failed (or was cancelled), in one message. */
  error?: string;
  report: DeployReport;
  /** Instances left running: the healthy ones, plus failed ones kept by keep-failed. */
  records: InstanceRecord[];
  regions: string[];
}
