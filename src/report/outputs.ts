// Step outputs: the deployment's instances as JSON arrays, the same shape for deploy and status.

export interface InstanceRecord {
  id: string;
  region: string;
  zone: string;
  type: string;
  lifecycle: 'spot' | 'on-demand';
  state: string;
  'public-ip': string;
  'private-ip': string;
  /** healthy, unhealthy (a step or a service failed), unknown (not checked). */
  health: string;
}

/** What deploy and status know of an instance, whichever way they found it. */
export interface SeenInstance {
  id: string;
  region: string;
  zone?: string;
  instanceType: string;
  lifecycle: 'spot' | 'on-demand';
  state: string;
  publicIp?: string;
  privateIp?: string;
}

export function instanceRecord(i: SeenInstance, health: string): InstanceRecord {
  return {
    id: i.id,
    region: i.region,
    zone: i.zone ?? '',
    type: i.instanceType,
    lifecycle: i.lifecycle,
    state: i.state,
    'public-ip': i.publicIp ?? '',
    'private-ip': i.privateIp ?? '',
    health,
  };
}

/** The outputs that describe the deployment's instances, in the order they are set. */
export function instanceOutputs(
  deploymentId: string,
  records: readonly InstanceRecord[],
  regions: readonly string[],
): Array<[string, string]> {
  return [
    ['deployment-id', deploymentId],
    ['instance-ids', JSON.stringify(records.map((r) => r.id))],
    ['public-ips', JSON.stringify(records.map((r) => r['public-ip']).filter((ip) => ip !== ''))],
    ['private-ips', JSON.stringify(records.map((r) => r['private-ip']).filter((ip) => ip !== ''))],
    ['instances', JSON.stringify(records)],
    ['regions', JSON.stringify(regions)],
  ];
}
