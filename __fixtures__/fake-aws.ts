// A small in-memory EC2 + SSM behind aws-sdk-client-mock, for unit tests of the deploy
// pipeline's logic (the end-to-end tests use the local cloud with real containers instead).

import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParametersCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import { answerMerged } from './agent.ts';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeInstance {
  id: string;
  region: string;
  type: string;
  zone: string;
  state: string;
  spot: boolean;
  tags: Record<string, string>;
}

export interface FakeAwsOptions {
  /** Capacity error code for a RunInstances of this type (and market), if any. */
  capacity?: (type: string, market: 'spot' | 'on-demand') => string | undefined;
  /** Exit code of a script on an instance. */
  exit?: (instanceId: string, script: string) => number;
  /** Output of a script on an instance. */
  output?: (instanceId: string, script: string) => string;
  /** Instances that never come Online in SSM. */
  neverOnline?: (instanceId: string) => boolean;
  /** Called on every request, before it is answered (e.g. to abort). */
  onCall?: (name: string) => void;
}

export function fakeAws(opts: FakeAwsOptions = {}) {
  const ec2 = mockClient(EC2Client);
  const ssm = mockClient(SSMClient);
  const instances = new Map<string, FakeInstance>();
  const commands = new Map<string, SendCommandCommandInput>();
  const calls: string[] = [];
  let n = 0;
  const call = (name: string) => {
    calls.push(name);
    opts.onCall?.(name);
  };
  const view = (i: FakeInstance): Instance => ({
    InstanceId: i.id,
    InstanceType: i.type as Instance['InstanceType'],
    State: { Name: i.state as NonNullable<Instance['State']>['Name'] },
    Placement: { AvailabilityZone: i.zone },
    PrivateIpAddress: `10.0.0.${instances.size}`,
    ...(i.spot ? { InstanceLifecycle: 'spot' as const } : {}),
    Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
  });

  ec2.on(DescribeInstanceTypesCommand).callsFake(async (input) => {
    call('DescribeInstanceTypes');
    return {
      InstanceTypes: (input.InstanceTypes ?? []).map((t: string) => ({
        InstanceType: t,
        ProcessorInfo: { SupportedArchitectures: [t.includes('g.') ? 'arm64' : 'x86_64'] },
      })),
    };
  });
  ssm.on(GetParametersCommand).callsFake(async (input) => {
    call('GetParameters');
    return {
      Parameters: (input.Names ?? []).map((Name: string, i: number) => ({
        Name,
        Value: `ami-${i}`,
      })),
    };
  });
  ec2.on(DescribeImagesCommand).callsFake(async () => {
    call('DescribeImages');
    return { Images: [] };
  });
  ec2.on(RunInstancesCommand).callsFake(async (input: RunInstancesCommandInput) => {
    call('RunInstances');
    const market = input.InstanceMarketOptions?.MarketType === 'spot' ? 'spot' : 'on-demand';
    const code = opts.capacity?.(input.InstanceType ?? '', market);
    if (code)
      throw new EC2ServiceException({ name: code, $fault: 'server', $metadata: {}, message: code });
    const tags = Object.fromEntries(
      (input.TagSpecifications?.find((t) => t.ResourceType === 'instance')?.Tags ?? []).map((t) => [
        t.Key,
        t.Value,
      ]),
    );
    const out: Instance[] = [];
    for (let k = 0; k < (input.MaxCount ?? 1); k++) {
      const i: FakeInstance = {
        id: `i-${(++n).toString(16).padStart(17, '0')}`,
        region: 'us-east-1',
        type: input.InstanceType ?? '',
        zone: 'us-east-1a',
        state: 'pending',
        spot: market === 'spot',
        tags: { ...(tags as Record<string, string>) },
      };
      instances.set(i.id, i);
      out.push(view(i));
    }
    return { Instances: out };
  });
  ec2.on(DescribeInstancesCommand).callsFake(async (input) => {
    call('DescribeInstances');
    let list: FakeInstance[];
    if (input.InstanceIds) {
      list = input.InstanceIds.map((id: string) => instances.get(id)).filter(
        (i: FakeInstance | undefined) => i !== undefined,
      );
      // Pending instances start running when first looked at.
      for (const i of list) if (i.state === 'pending') i.state = 'running';
    } else {
      list = [...instances.values()].filter((i) =>
        (input.Filters ?? []).every((f: { Name?: string; Values?: string[] }) => {
          if (f.Name?.startsWith('tag:'))
            return (f.Values ?? []).includes(i.tags[f.Name.slice(4)] ?? '\0');
          if (f.Name === 'instance-state-name') return (f.Values ?? []).includes(i.state);
          return true;
        }),
      );
    }
    return { Reservations: [{ Instances: list.map(view) }] };
  });
  ec2.on(CreateTagsCommand).callsFake(async (input) => {
    call('CreateTags');
    for (const id of input.Resources ?? []) {
      const i = instances.get(id);
      if (i) for (const t of input.Tags ?? []) i.tags[t.Key ?? ''] = t.Value ?? '';
    }
    return {};
  });
  ec2.on(DeleteTagsCommand).callsFake(async (input) => {
    call('DeleteTags');
    for (const id of input.Resources ?? []) {
      const i = instances.get(id);
      if (i) for (const t of input.Tags ?? []) delete i.tags[t.Key ?? ''];
    }
    return {};
  });
  ec2.on(TerminateInstancesCommand).callsFake(async (input) => {
    call('TerminateInstances');
    for (const id of input.InstanceIds ?? []) {
      const i = instances.get(id);
      if (i) i.state = 'terminated';
    }
    return {};
  });
  ec2.on(DescribeSpotPriceHistoryCommand).callsFake(async (input) => {
    call('DescribeSpotPriceHistory');
    return {
      SpotPriceHistory: (input.InstanceTypes ?? []).map((t: string) => ({
        InstanceType: t,
        AvailabilityZone: 'us-east-1a',
        SpotPrice: '0.0035',
        Timestamp: new Date(),
      })),
    };
  });
  ssm.on(DescribeInstanceInformationCommand).callsFake(async (input) => {
    call('DescribeInstanceInformation');
    const ids: string[] = input.Filters?.[0]?.Values ?? [];
    return {
      InstanceInformationList: ids
        .filter((id) => !opts.neverOnline?.(id) && instances.get(id)?.state === 'running')
        .map((id) => ({ InstanceId: id, PingStatus: 'Online' })),
    };
  });
  ssm.on(SendCommandCommand).callsFake(async (input: SendCommandCommandInput) => {
    call('SendCommand');
    const id = `cmd-${commands.size + 1}`;
    commands.set(id, input);
    return { Command: { CommandId: id } };
  });
  // A command that carries several steps ends as its steps do (`exit`, `output` per step).
  const result = (commandId: string, instanceId: string) => {
    const script = commands.get(commandId)?.Parameters?.commands?.[0] ?? '';
    const one = (body: string) => ({
      exitCode: opts.exit?.(instanceId, body) ?? 0,
      stdout: opts.output?.(instanceId, body) ?? '',
      stderr: '',
    });
    const r = answerMerged(script, one) ?? one(script);
    return { code: r.exitCode, output: r.stdout };
  };
  ssm.on(ListCommandInvocationsCommand).callsFake(async (input) => {
    call('ListCommandInvocations');
    const cmd = commands.get(input.CommandId ?? '');
    return {
      CommandInvocations: (cmd?.InstanceIds ?? []).map((InstanceId) => {
        const r = result(input.CommandId ?? '', InstanceId);
        return {
          InstanceId,
          Status: r.code === 0 ? 'Success' : 'Failed',
          CommandPlugins: [{ ResponseCode: r.code, Output: r.output }],
        };
      }),
    };
  });
  ssm.on(GetCommandInvocationCommand).callsFake(async (input) => {
    call('GetCommandInvocation');
    const r = result(input.CommandId ?? '', input.InstanceId ?? '');
    return {
      Status: 'Failed',
      ResponseCode: r.code,
      StandardOutputContent: r.output,
      StandardErrorContent: 'it broke\n',
    };
  });
  return {
    ec2,
    ssm,
    instances,
    commands,
    calls,
    live: () => [...instances.values()].filter((i) => i.state !== 'terminated'),
    restore: () => {
      ec2.restore();
      ssm.restore();
    },
  };
}
