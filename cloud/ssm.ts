// The SSM operations of the local cloud (JSON 1.1): public AMI parameters, the managed-node
// inventory and Run Command with AWS-RunShellScript, with AWS's limits and errors.

import { imageForParameter } from './catalog.ts';
import { isActive, type Cloud, type Command, type Instance, type Invocation } from './cloud.ts';
import { AwsError, paginate, pluginOutput, sleep, truncatePrefix, wildcardMatch } from './util.ts';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Handler = (cloud: Cloud, region: string, input: Input) => Output | Promise<Output>;

const MAX_TARGETS = 50;
const DOCUMENT_LIMIT = 64 * 1024;
const STDOUT_LIMIT = 24_000;
const STDERR_LIMIT = 8_000;
const PLUGIN = 'aws:runShellScript';
const AGENT_VERSION = '3.3.1142.0';

/** The AWS-RunShellScript document as SSM stores it; its size counts toward the 64 KB limit. */
const RUN_SHELL_SCRIPT = JSON.stringify({
  schemaVersion: '1.2',
  description: 'Run a shell script or specify the commands to run.',
  parameters: {
    commands: {
      type: 'StringList',
      description: '(Required) Specify a shell script or a command to run.',
      minItems: 1,
      displayType: 'textarea',
    },
    workingDirectory: {
      type: 'String',
      default: '',
      description: '(Optional) The path to the working directory on your instance.',
      maxChars: 4096,
    },
    executionTimeout: {
      type: 'String',
      default: '3600',
      description:
        '(Optional) The time in seconds for a command to complete before it is considered to have failed. Default is 3600 (1 hour). Maximum is 172800 (48 hours).',
      allowedPattern:
        '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)',
    },
  },
  runtimeConfig: {
    'aws:runShellScript': {
      properties: [
        {
          id: '0.aws:runShellScript',
          runCommand: '{{ commands }}',
          workingDirectory: '{{ workingDirectory }}',
          timeoutSeconds: '{{ executionTimeout }}',
        },
      ],
    },
  },
});

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const epoch = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

function validation(field: string, value: unknown, constraint: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${JSON.stringify(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function maxResults(input: Input, min: number, max: number, dflt: number): number {
  if (input.MaxResults === undefined) return dflt;
  const n = Number(input.MaxResults);
  if (!Number.isInteger(n) || n < min)
    throw validation(
      'maxResults',
      input.MaxResults,
      `Member must have value greater than or equal to ${min}`,
    );
  if (n > max)
    throw validation(
      'maxResults',
      input.MaxResults,
      `Member must have value less than or equal to ${max}`,
    );
  return n;
}

const invalidToken = () => new AwsError('InvalidNextToken', 'The specified token is not valid.');

// ---- parameters ----

function parameter(region: string, name: string): Output | undefined {
  const image = imageForParameter(region, name);
  if (!image) return undefined;
  return {
    Name: name,
    Type: 'String',
    Value: image.imageId,
    Version: 1,
    LastModifiedDate: epoch(new Date(image.creationDate)),
    ARN: `arn:aws:ssm:${region}::parameter${name}`,
    DataType: 'text',
  };
}

const getParameter: Handler = (_cloud, region, input) => {
  const name = str(input.Name) ?? '';
  const p = parameter(region, name);
  if (!p) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
  return { Parameter: p };
};

const getParameters: Handler = (_cloud, region, input) => {
  const names = arr<string>(input.Names);
  if (names.length < 1 || names.length > 10) {
    throw validation(
      'names',
      names,
      `Member must have length ${names.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
    );
  }
  const found: Output[] = [];
  const invalid: string[] = [];
  for (const n of names) {
    const p = parameter(region, n);
    if (p) found.push(p);
    else invalid.push(n);
  }
  return { Parameters: found, InvalidParameters: invalid };
};

// ---- managed nodes ----

function infoShape(inst: Instance): Output {
  return {
    InstanceId: inst.id,
    PingStatus: inst.agent === 'online' && inst.state === 'running' ? 'Online' : 'ConnectionLost',
    LastPingDateTime: epoch(inst.lastPing),
    AgentVersion: AGENT_VERSION,
    IsLatestVersion: false,
    PlatformType: 'Linux',
    PlatformName: inst.image.platformName,
    PlatformVersion: inst.image.platformVersion,
    ResourceType: 'EC2Instance',
    IPAddress: inst.privateIp,
    ComputerName: `ip-${inst.privateIp.replace(/\./g, '-')}.${inst.region}.compute.internal`,
    RegistrationDate: epoch(inst.agentRegisteredAt),
    SourceId: inst.id,
    SourceType: 'AWS::EC2::Instance',
    IamRole: inst.iamInstanceProfile?.Arn.split('/').pop(),
  };
}

const INFO_KEYS: Record<string, (i: Instance, shape: Output) => string[]> = {
  InstanceIds: (i) => [i.id],
  PingStatus: (_i, s) => [String(s.PingStatus)],
  PlatformTypes: () => ['Linux'],
  ResourceType: () => ['EC2Instance'],
  AgentVersion: () => [AGENT_VERSION],
  IamRole: (_i, s) => (s.IamRole ? [String(s.IamRole)] : []),
  AssociationStatus: () => [],
  ActivationIds: () => [],
};

const describeInstanceInformation: Handler = (cloud, region, input) => {
  const tests: Array<(i: Instance, s: Output) => boolean> = [];
  for (const f of arr<{ key?: string; valueSet?: string[] }>(input.InstanceInformationFilterList)) {
    const read = INFO_KEYS[f.key ?? ''];
    if (!read)
      throw new AwsError(
        'InvalidInstanceInformationFilterValue',
        `The filter key ${f.key} is not valid.`,
      );
    const values = f.valueSet ?? [];
    if (!values.length)
      throw new AwsError(
        'InvalidInstanceInformationFilterValue',
        'The filter values cannot be empty.',
      );
    tests.push((i, s) => read(i, s).some((v) => values.includes(v)));
  }
  for (const f of arr<{ Key?: string; Values?: string[] }>(input.Filters)) {
    const key = f.Key ?? '';
    const values = f.Values ?? [];
    if (key.startsWith('tag:')) {
      const tag = key.slice(4);
      tests.push((i) => i.tags.has(tag) && values.some((v) => wildcardMatch(v, i.tags.get(tag)!)));
      continue;
    }
    if (key === 'tag-key') {
      tests.push((i) => [...i.tags.keys()].some((k) => values.includes(k)));
      continue;
    }
    const read = INFO_KEYS[key];
    if (!read) throw new AwsError('InvalidFilterKey', `The filter key ${key} is not valid.`);
    tests.push((i, s) => read(i, s).some((v) => values.includes(v)));
  }
  const registered = cloud
    .instancesIn(region)
    .filter((i) => i.agentRegisteredAt !== undefined)
    .map((i) => ({ i, s: infoShape(i) }))
    .filter(({ i, s }) => tests.every((t) => t(i, s)));
  const { page, nextToken } = paginate(
    registered,
    input,
    maxResults(input, 5, 50, 50),
    invalidToken,
  );
  return { InstanceInformationList: page.map((x) => x.s), NextToken: nextToken };
};

// ---- Run Command ----

function documentName(input: Input): string {
  const name = str(input.DocumentName) ?? '';
  const short = name.replace(/^arn:aws:ssm:[^:]*:[^:]*:document\//, '');
  if (short !== 'AWS-RunShellScript') {
    throw new AwsError('InvalidDocument', `Document with name ${name} does not exist.`);
  }
  return short;
}

function commandParameters(input: Input): Record<string, string[]> {
  const raw = (input.Parameters ?? {}) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!['commands', 'workingDirectory', 'executionTimeout'].includes(k)) {
      throw new AwsError('InvalidParameters', `Parameter "${k}" is not defined in the document.`);
    }
    out[k] = arr<unknown>(v).map(String);
  }
  if (!out.commands?.length) {
    throw new AwsError(
      'InvalidParameters',
      'Parameters provided do not satisfy the document: "commands" is required.',
    );
  }
  const timeout = out.executionTimeout?.[0];
  if (
    timeout !== undefined &&
    !(/^\d+$/.test(timeout) && Number(timeout) >= 1 && Number(timeout) <= 172_800)
  ) {
    throw new AwsError(
      'InvalidParameters',
      `Parameter "executionTimeout" "${timeout}" does not match the allowed pattern.`,
    );
  }
  return out;
}

function targetInstances(
  cloud: Cloud,
  region: string,
  input: Input,
): { ids: string[]; targets: Array<{ Key: string; Values: string[] }> } {
  const ids = arr<string>(input.InstanceIds);
  const targets = arr<{ Key?: string; Values?: string[] }>(input.Targets).map((t) => ({
    Key: t.Key ?? '',
    Values: t.Values ?? [],
  }));
  if (ids.length && targets.length) {
    throw new AwsError('InvalidParameters', 'Only one of InstanceIds or Targets may be specified.');
  }
  if (ids.length > MAX_TARGETS) {
    throw validation(
      'instanceIds',
      ids,
      `Member must have length less than or equal to ${MAX_TARGETS}`,
    );
  }
  if (new Set(ids).size !== ids.length)
    throw new AwsError('DuplicateInstanceId', 'Instance Id is duplicated.');
  if (!ids.length && !targets.length) {
    throw new AwsError('InvalidParameters', 'Either InstanceIds or Targets must be specified.');
  }
  if (ids.length) return { ids, targets: [] };
  let pool = cloud.instancesIn(region).filter((i) => i.state === 'running' && i.agent === 'online');
  for (const t of targets) {
    if (t.Key === 'InstanceIds') pool = pool.filter((i) => t.Values.includes(i.id));
    else if (t.Key.startsWith('tag:')) {
      const key = t.Key.slice(4);
      pool = pool.filter((i) => i.tags.has(key) && t.Values.includes(i.tags.get(key)!));
    } else if (t.Key === 'tag-key') pool = pool.filter((i) => t.Values.some((k) => i.tags.has(k)));
    else throw new AwsError('InvalidParameters', `Target key ${t.Key} is not supported.`);
  }
  return { ids: pool.map((i) => i.id), targets };
}

const sendCommand: Handler = (cloud, region, input) => {
  const doc = documentName(input);
  const parameters = commandParameters(input);
  const size =
    Buffer.byteLength(RUN_SHELL_SCRIPT) + Buffer.byteLength(JSON.stringify(input.Parameters ?? {}));
  if (size > DOCUMENT_LIMIT) {
    throw new AwsError(
      'MaxDocumentSizeExceeded',
      `The size limit of a document is 64 KB. The document and parameters are ${size} bytes.`,
    );
  }
  const timeoutSeconds = Number(input.TimeoutSeconds ?? 3600);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30 || timeoutSeconds > 2_592_000) {
    throw validation(
      'timeoutSeconds',
      input.TimeoutSeconds,
      'Member must have value greater than or equal to 30',
    );
  }
  const { ids, targets } = targetInstances(cloud, region, input);
  // An agent that registered moments ago is not yet reachable for commands (SendCommand's
  // InvalidInstanceId: "not registered or not reachable at that moment").
  const lag = cloud.fidelity.registrationLagMs;
  const invalid = ids.filter((id) => {
    const inst = cloud.instances.get(id);
    return (
      !inst ||
      inst.region !== region ||
      inst.state !== 'running' ||
      inst.agent !== 'online' ||
      Date.now() - (inst.agentRegisteredAt?.getTime() ?? 0) < lag
    );
  });
  if (invalid.length) {
    throw new AwsError(
      'InvalidInstanceId',
      `Instances [[${invalid.join(', ')}]] not in a valid state for account ${cloud.accountId}`,
    );
  }
  const now = new Date();
  const cmd: Command = {
    id: cloud.ids.uuid(),
    region,
    documentName: doc,
    comment: str(input.Comment),
    parameters,
    instanceIds: ids,
    targets,
    requestedAt: now,
    expiresAfter: new Date(
      now.getTime() + (timeoutSeconds + Number(parameters.executionTimeout?.[0] ?? 3600)) * 1000,
    ),
    timeoutSeconds,
    maxConcurrency: str(input.MaxConcurrency) ?? '50',
    maxErrors: str(input.MaxErrors) ?? '0',
    invocations: new Map(),
    cancelled: false,
  };
  cloud.commands.set(cmd.id, cmd);
  for (const id of ids) {
    const inv: Invocation = {
      commandId: cmd.id,
      instanceId: id,
      status: 'Pending',
      statusDetails: 'Pending',
      responseCode: -1,
      stdout: '',
      stderr: '',
      startedAt: undefined,
      endedAt: undefined,
      visibleAt: now.getTime() + (cloud.options.invocationDelayMs ?? 0),
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    cmd.invocations.set(id, inv);
  }
  // The answer shows the command as AWS does, Pending; delivery starts right after.
  const answer = { Command: commandShape(cmd) };
  for (const inv of cmd.invocations.values())
    cloud.runInvocation(cmd, inv, cloud.instances.get(inv.instanceId)!);
  return answer;
};

/**
 * SendCommand as a service with a limited rate: each request takes a little while to answer,
 * and more than `sendCommandConcurrency` at once in a region are refused as throttled.
 */
const sendCommandLimited: Handler = async (cloud, region, input) => {
  const { sendCommandConcurrency, sendCommandLatencyMs } = cloud.fidelity;
  const inFlight = cloud.sendsInFlight.get(region) ?? 0;
  if (inFlight >= sendCommandConcurrency)
    throw new AwsError('ThrottlingException', 'Rate exceeded');
  cloud.sendsInFlight.set(region, inFlight + 1);
  try {
    if (sendCommandLatencyMs > 0) await sleep(sendCommandLatencyMs);
    return sendCommand(cloud, region, input);
  } finally {
    cloud.sendsInFlight.set(region, (cloud.sendsInFlight.get(region) ?? 1) - 1);
  }
};

function commandStatus(cmd: Command): { status: string; completed: number; errors: number } {
  const invs = [...cmd.invocations.values()];
  const completed = invs.filter((i) => !isActive(i.status)).length;
  const errors = invs.filter((i) => i.status === 'Failed' || i.status === 'TimedOut').length;
  let status: string;
  if (invs.some((i) => isActive(i.status))) {
    status = invs.every((i) => i.status === 'Pending')
      ? 'Pending'
      : cmd.cancelled
        ? 'Cancelling'
        : 'InProgress';
  } else if (invs.every((i) => i.status === 'Success')) status = 'Success';
  else if (invs.some((i) => i.status === 'Failed')) status = 'Failed';
  else if (invs.some((i) => i.status === 'TimedOut')) status = 'TimedOut';
  else if (invs.some((i) => i.status === 'Cancelled')) status = 'Cancelled';
  else status = 'Failed';
  return { status, completed, errors };
}

function commandShape(cmd: Command): Output {
  const { status, completed, errors } = commandStatus(cmd);
  return {
    CommandId: cmd.id,
    DocumentName: cmd.documentName,
    DocumentVersion: '$DEFAULT',
    Comment: cmd.comment ?? '',
    ExpiresAfter: epoch(cmd.expiresAfter),
    Parameters: cmd.parameters,
    InstanceIds: cmd.instanceIds,
    Targets: cmd.targets,
    RequestedDateTime: epoch(cmd.requestedAt),
    Status: status,
    StatusDetails: status,
    OutputS3Region: cmd.region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
    MaxConcurrency: cmd.maxConcurrency,
    MaxErrors: cmd.maxErrors,
    TargetCount: cmd.invocations.size,
    CompletedCount: completed,
    ErrorCount: errors,
    DeliveryTimedOutCount: 0,
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    TimeoutSeconds: cmd.timeoutSeconds,
  };
}

function findCommand(cloud: Cloud, region: string, id: unknown): Command {
  const cmd = typeof id === 'string' ? cloud.commands.get(id) : undefined;
  if (!cmd || cmd.region !== region) throw new AwsError('InvalidCommandId', '');
  return cmd;
}

function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3)}S`;
}

const getCommandInvocation: Handler = (cloud, region, input) => {
  const cmdId = str(input.CommandId) ?? '';
  const instanceId = str(input.InstanceId) ?? '';
  if (!/^i-[0-9a-f]{8,17}$/.test(instanceId) && !/^mi-[0-9a-f]{17}$/.test(instanceId)) {
    throw new AwsError('InvalidInstanceId', '');
  }
  if (!/^[0-9a-f-]{36}$/.test(cmdId)) throw new AwsError('InvalidCommandId', '');
  const pluginName = str(input.PluginName);
  if (pluginName !== undefined && pluginName !== PLUGIN)
    throw new AwsError('InvalidPluginName', '');
  const cmd = cloud.commands.get(cmdId);
  const inv = cmd?.region === region ? cmd.invocations.get(instanceId) : undefined;
  if (!cmd || !inv || Date.now() < inv.visibleAt) throw new AwsError('InvocationDoesNotExist', '');
  const finished = !isActive(inv.status);
  return {
    CommandId: cmd.id,
    InstanceId: inv.instanceId,
    Comment: cmd.comment ?? '',
    DocumentName: cmd.documentName,
    DocumentVersion: '$DEFAULT',
    PluginName: PLUGIN,
    ResponseCode: inv.responseCode,
    ExecutionStartDateTime: inv.startedAt?.toISOString() ?? '',
    ExecutionElapsedTime: inv.startedAt
      ? isoDuration((inv.endedAt ?? new Date()).getTime() - inv.startedAt.getTime())
      : '',
    ExecutionEndDateTime: inv.endedAt?.toISOString() ?? '',
    Status: inv.status,
    StatusDetails: inv.statusDetails,
    StandardOutputContent: finished ? truncatePrefix(inv.stdout, STDOUT_LIMIT) : '',
    StandardOutputUrl: '',
    StandardErrorContent: finished ? truncatePrefix(inv.stderr, STDERR_LIMIT) : '',
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
};

function invocationShape(cmd: Command, inv: Invocation, details: boolean, cloud: Cloud): Output {
  const inst = cloud.instances.get(inv.instanceId);
  const finished = !isActive(inv.status);
  return {
    CommandId: cmd.id,
    InstanceId: inv.instanceId,
    InstanceName: inst
      ? `ip-${inst.privateIp.replace(/\./g, '-')}.${inst.region}.compute.internal`
      : '',
    Comment: cmd.comment ?? '',
    DocumentName: cmd.documentName,
    DocumentVersion: '$DEFAULT',
    RequestedDateTime: epoch(cmd.requestedAt),
    Status: inv.status,
    StatusDetails: inv.statusDetails,
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: details
      ? [
          {
            Name: PLUGIN,
            Status: inv.status,
            StatusDetails: inv.statusDetails,
            ResponseCode: inv.responseCode,
            ResponseStartDateTime: epoch(inv.startedAt),
            ResponseFinishDateTime: epoch(inv.endedAt),
            Output: finished ? pluginOutput(inv.stdout, inv.stderr) : '',
            StandardOutputUrl: '',
            StandardErrorUrl: '',
            OutputS3Region: cmd.region,
            OutputS3BucketName: '',
            OutputS3KeyPrefix: '',
          },
        ]
      : [],
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

function commandFilters(input: Input): (c: Command, status: string) => boolean {
  const tests = arr<{ key?: string; value?: string }>(input.Filters).map((f) => {
    const value = f.value ?? '';
    switch (f.key) {
      case 'Status':
        return (_c: Command, s: string) => s === value;
      case 'DocumentName':
        return (c: Command) => c.documentName === value;
      case 'InvokedAfter':
        return (c: Command) => c.requestedAt >= new Date(value);
      case 'InvokedBefore':
        return (c: Command) => c.requestedAt <= new Date(value);
      case 'ExecutionStage':
        return (_c: Command, s: string) =>
          value === 'Executing'
            ? ['Pending', 'InProgress', 'Cancelling'].includes(s)
            : !['Pending', 'InProgress', 'Cancelling'].includes(s);
      default:
        throw new AwsError('InvalidFilterKey', `The filter key ${String(f.key)} is not valid.`);
    }
  });
  return (c, s) => tests.every((t) => t(c, s));
}

const listCommandInvocations: Handler = (cloud, region, input) => {
  const cmdId = str(input.CommandId);
  const instanceId = str(input.InstanceId);
  const details = input.Details === true;
  const filter = commandFilters(input);
  const now = Date.now();
  const commands = cmdId
    ? [cloud.commands.get(cmdId)].filter((c): c is Command => !!c && c.region === region)
    : [...cloud.commands.values()].filter((c) => c.region === region).reverse();
  if (cmdId && !commands.length && !/^[0-9a-f-]{36}$/.test(cmdId))
    throw new AwsError('InvalidCommandId', '');
  const rows: Array<{ cmd: Command; inv: Invocation }> = [];
  for (const cmd of commands) {
    for (const inv of cmd.invocations.values()) {
      if (now < inv.visibleAt) continue;
      if (instanceId && inv.instanceId !== instanceId) continue;
      if (!filter(cmd, inv.status)) continue;
      rows.push({ cmd, inv });
    }
  }
  const { page, nextToken } = paginate(rows, input, maxResults(input, 1, 50, 50), invalidToken);
  return {
    CommandInvocations: page.map(({ cmd, inv }) => invocationShape(cmd, inv, details, cloud)),
    NextToken: nextToken,
  };
};

const listCommands: Handler = (cloud, region, input) => {
  const cmdId = str(input.CommandId);
  const instanceId = str(input.InstanceId);
  const filter = commandFilters(input);
  let commands = [...cloud.commands.values()].filter((c) => c.region === region).reverse();
  if (cmdId) commands = commands.filter((c) => c.id === cmdId);
  if (instanceId) commands = commands.filter((c) => c.invocations.has(instanceId));
  commands = commands.filter((c) => filter(c, commandStatus(c).status));
  const { page, nextToken } = paginate(commands, input, maxResults(input, 1, 50, 50), invalidToken);
  return { Commands: page.map(commandShape), NextToken: nextToken };
};

const cancelCommand: Handler = (cloud, region, input) => {
  const cmd = findCommand(cloud, region, input.CommandId);
  const ids = arr<string>(input.InstanceIds);
  for (const id of ids) {
    if (!cmd.invocations.has(id))
      throw new AwsError('InvalidInstanceId', `Instance ${id} is not part of command ${cmd.id}.`);
  }
  cmd.cancelled = true;
  for (const inv of cmd.invocations.values()) {
    if ((ids.length && !ids.includes(inv.instanceId)) || !isActive(inv.status)) continue;
    inv.status = 'Cancelling';
    inv.statusDetails = 'Cancelling';
    inv.abort.abort();
  }
  return {};
};

export const SSM_HANDLERS: Record<string, Handler> = {
  GetParameter: getParameter,
  GetParameters: getParameters,
  DescribeInstanceInformation: describeInstanceInformation,
  SendCommand: sendCommandLimited,
  GetCommandInvocation: getCommandInvocation,
  ListCommandInvocations: listCommandInvocations,
  ListCommands: listCommands,
  CancelCommand: cancelCommand,
};
