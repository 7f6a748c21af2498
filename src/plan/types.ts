// The plan: a plain, JSON-serialisable description of everything a deploy will do,
// built from the validated manifest and the action's inputs without touching the network.
// `plan` prints it, tests assert on it, `deploy` executes it. It never holds a secret value.

import type { OsName } from '../manifest/model.ts';

/** Tag keys the action puts on everything it creates; destroy and status find resources by them. */
export const TAG = {
  deployment: 'spot-deployer:deployment',
  run: 'spot-deployer:run',
  repository: 'spot-deployer:repository',
  ref: 'spot-deployer:ref',
  sha: 'spot-deployer:sha',
  digest: 'spot-deployer:manifest-digest',
  managedBy: 'spot-deployer:managed-by',
  /** 'deploying' from creation until the deploy found the instance healthy, then 'ready';
   * 'rebalance' once status saw EC2 recommend rebalancing it (the next deploy replaces it). */
  phase: 'spot-deployer:phase',
  /** The TTL in seconds, when there is one (the instance powers off this long after boot). */
  ttl: 'spot-deployer:ttl',
} as const;

export interface RunIdentity {
  /** owner/name, or '' outside GitHub. */
  repository: string;
  ref: string;
  sha: string;
  /** `${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}`, or a random id outside GitHub. Tagged on every instance. */
  runId: string;
}

export interface Plan {
  version: 1;
  deploymentId: string;
  /** sha256 over the manifest files and every byte that would be delivered. */
  manifestDigest: string;
  identity: RunIdentity;
  regions: RegionPlan[];
  userData: UserData;
  /** Remote commands, in order. Steps sharing a `parallelGroup` may run concurrently. */
  steps: RemoteStep[];
  /** Unit names (without .service) whose health `status` reports. */
  services: string[];
  /** Names (never values) of the secrets the deploy will deliver. */
  secretNames: string[];
}

export interface RegionPlan {
  region: string;
  count: number;
  /** Capacity pools, tried in order until `count` is met. */
  pools: CapacityPool[];
  image: ImageSelector;
  /** Every tag for instances, volumes and spot requests, user tags included. */
  tags: Record<string, string>;
  market: MarketOptions;
  instance: InstanceSettings;
}

export interface CapacityPool {
  instanceType: string;
  /** Absent: let EC2 pick the default subnet of any zone. */
  subnetId?: string;
}

export type ImageSelector =
  | { kind: 'ami'; id: string }
  | {
      kind: 'auto';
      os: OsName;
      /** Public SSM parameter names, chosen at launch by the pool's architecture. */
      parameters: { x86_64: string; arm64: string };
    };

export interface MarketOptions {
  /** USD per hour; absent means capped at the on-demand price. */
  maxPrice?: string;
  onDemandFallback: boolean;
}

export interface InstanceSettings {
  instanceProfile?: string;
  associatePublicIp: boolean;
  rootVolumeGb: number;
  /** Always 'required' (IMDSv2). */
  httpTokens: 'required';
  shutdownBehavior: 'terminate';
}

export interface UserData {
  /** The #cloud-config document as text (before any compression). */
  text: string;
  /** What is sent to EC2 before base64: `text` itself, or its gzip. Base64 in plan.json. */
  bytesBase64: string;
  encoding: 'plain' | 'gzip';
  rawSize: number;
  sentSize: number;
  /** Packages that did not fit in the user data; the first remote step installs them. */
  deferredPackages?: string[];
}

export type StepKind = 'prepare' | 'upload' | 'tarball' | 'env' | 'secrets' | 'script' | 'services';

export interface RemoteStep {
  /** Stable, file-name-safe id, e.g. "03-upload-app"; `plan --out` writes commands/<id>.sh. */
  id: string;
  kind: StepKind;
  /** One line for logs: what this step does (never secret). */
  description: string;
  /** The shell script sent as the AWS-RunShellScript `commands` parameter. Empty for
   * kind 'secrets', whose command is built at delivery time, when the instances' keys are
   * known (see deliver/). */
  script: string;
  timeoutSeconds: number;
  /** Steps with the same group have no order among themselves (upload chunks). */
  parallelGroup?: string;
  /** Bytes of file payload this command carries (for the benchmark and logs). */
  payloadBytes: number;
  /** For kind 'services': the started services it proves active and settled (and passing
   * their probes); success of this step on an instance is its service verification, so no
   * separate check is sent. */
  services?: string[];
}
