// The least-privilege policy in docs/iam-policy.json against what the action really does:
// every command (deploy with each strategy, unchanged, forced, failing and kept, status,
// destroy, the post step) runs against the local cloud, which records every AWS call; each
// operation must be allowed by the policy, and the policy allows nothing the action does not
// use. validate and plan make no call at all. The tag conditions are checked statement by
// statement.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningCloud } from '../../cloud/server.ts';
import { simulatedAgent } from '../../__fixtures__/agent.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { TAG } from '../../src/plan/types.ts';
import { callLog, editSpot, simulatedCloud } from './support.ts';

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const ROOT = join(import.meta.dirname, '../..');
const policy = JSON.parse(readFileSync(join(ROOT, 'docs/iam-policy.json'), 'utf8')) as {
  Version: string;
  Statement: Statement[];
};
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const allows = (s: Statement, a: string) => s.Effect === 'Allow' && list(s.Action).includes(a);
const allowed = new Set(
  policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)),
);

/** service:Operation of every call the cloud recorded, by the run that made it. */
const used = new Map<string, Set<string>>();

let cloud: RunningCloud;
before(async () => {
  // Simulated instances answer the secrets key command with a real public key.
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  cloud = await simulatedCloud({
    simulated: { answer: simulatedAgent({ fail: /name=failing-setup/, keyOf: () => pem }) },
  });
});
after(async () => {
  await cloud?.close();
});

async function run(label: string, o: Parameters<typeof action>[1]) {
  const calls = callLog(cloud);
  const r = await action(cloud, o);
  const ops = new Set(calls.since().map((c) => `${c.service}:${c.operation}`));
  used.set(label, ops);
  return { r, ops };
}

test(
  'every AWS operation of every command is allowed by docs/iam-policy.json, and nothing more',
  { timeout: 240_000 },
  async () => {
    const app = await makeApp();
    const base = {
      path: app.dir,
      'deployment-id': `iam/app-${process.pid}`,
      'online-timeout': '60s',
    };
    const deploy = (label: string, extra: Record<string, string> = {}) =>
      run(label, { runId: newRunId(), inputs: { ...base, command: 'deploy', ...extra } });

    // Offline commands make no call at all.
    for (const command of ['validate', 'plan']) {
      const out = await mkdtemp(join(tmpdir(), 'iam-plan-'));
      const { r, ops } = await run(command, {
        runId: newRunId(),
        inputs: { ...base, command, 'plan-out': out },
      });
      assert.equal(r.code, 0, explain(r));
      assert.deepEqual([...ops], [], `${command} calls AWS`);
    }

    let { r } = await deploy('deploy (first)', { secrets: 'API_TOKEN=first-value' });
    assert.equal(r.code, 0, explain(r));
    // A rotated secret alone is no change: its value is in neither the digest nor a tag.
    ({ r } = await deploy('deploy (unchanged)', { secrets: 'API_TOKEN=second-value' }));
    assert.equal(r.outputs.changed, 'false', explain(r));
    const tagValues = JSON.stringify(cloud.instances().map((i) => i.tags));
    for (const v of ['first-value', 'second-value']) {
      assert.ok(!tagValues.includes(v));
      assert.ok(!tagValues.includes(createHash('sha256').update(v).digest('hex').slice(0, 12)));
    }
    for (const [label, strategy] of [
      ['deploy (update)', 'update'],
      ['deploy (replace)', 'replace'],
      ['deploy (recreate)', 'recreate'],
    ] as const) {
      editSpot(app.dir, 'www/index.html', (t) => `${t}<p>${label}</p>\n`);
      ({ r } = await deploy(label, { strategy }));
      assert.equal(r.code, 0, explain(r));
      assert.equal(r.outputs.changed, 'true');
    }
    ({ r } = await deploy('deploy (forced update)', {
      force: 'true',
      strategy: 'update',
      secrets: 'API_TOKEN=second-value',
    }));
    assert.equal(r.code, 0, explain(r));
    assert.equal(r.outputs.changed, 'true');

    const status = await run('status', {
      runId: newRunId(),
      inputs: { ...base, command: 'status' },
    });
    assert.equal(status.r.code, 0, explain(status.r));

    // A deploy whose script fails: the failure's output is read, its instance terminated, and
    // the post step looks for leftovers. With keep-failed, the kept instance is tagged failed.
    const bad = await makeApp();
    editSpot(bad.dir, 'deployment.yaml', (t) => t.replace('name: setup', 'name: failing-setup'));
    const badInputs = {
      path: bad.dir,
      'deployment-id': `iam/bad-${process.pid}`,
      'online-timeout': '60s',
    };
    for (const keep of ['false', 'true']) {
      const runId = newRunId();
      const failed = await run(`deploy (failing, keep-failed ${keep})`, {
        runId,
        inputs: { ...badInputs, command: 'deploy', 'keep-failed': keep },
      });
      assert.equal(failed.r.code, 1, explain(failed.r));
      const post = await run(`post (keep-failed ${keep})`, {
        runId,
        entry: 'post',
        state: failed.r.state,
        inputs: {},
      });
      assert.equal(post.r.code, 0, explain(post.r));
    }
    const kept = cloud
      .instances()
      .filter(
        (i) => i.tags[TAG.deployment] === badInputs['deployment-id'] && i.state === 'running',
      );
    assert.deepEqual(
      kept.map((i) => i.tags[TAG.phase]),
      ['failed'],
      'the kept instance is no longer deploying',
    );

    for (const inputs of [base, badInputs]) {
      const d = await run(`destroy ${inputs['deployment-id']}`, {
        runId: newRunId(),
        inputs: { ...inputs, command: 'destroy' },
      });
      assert.equal(d.r.code, 0, explain(d.r));
    }

    const missing: string[] = [];
    for (const [label, ops] of used) {
      for (const op of ops) if (!allowed.has(op)) missing.push(`${op} (${label})`);
    }
    assert.deepEqual(missing, [], 'operations the policy does not allow');

    // Least privilege: every allowed action is one the action performs (iam:PassRole is
    // checked by EC2 inside RunInstances, and so is iam:CreateServiceLinkedRole, which EC2
    // uses on the first spot request of an account; CancelCommand only runs for commands
    // that outlive their timeout, see src/deliver/commands.ts).
    const all = new Set([...used.values()].flatMap((s) => [...s]));
    const implicit = new Set(['iam:PassRole', 'iam:CreateServiceLinkedRole', 'ssm:CancelCommand']);
    const src = readFileSync(join(ROOT, 'src/deliver/commands.ts'), 'utf8');
    assert.match(src, /new CancelCommandCommand\(/);
    assert.deepEqual(
      [...allowed].filter((a) => !all.has(a) && !implicit.has(a)),
      [],
      'actions the policy allows but the action never uses',
    );
  },
);

test('the policy lets EC2 create the spot service-linked role, and no other role', () => {
  const slr = policy.Statement.filter((s) => allows(s, 'iam:CreateServiceLinkedRole'));
  assert.equal(slr.length, 1);
  const [s] = slr as [Statement];
  assert.deepEqual(list(s.Action), ['iam:CreateServiceLinkedRole']);
  assert.equal(s.Condition?.StringEquals?.['iam:AWSServiceName'], 'spot.amazonaws.com');
  assert.deepEqual(list(s.Resource), [
    'arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot',
  ]);
});

test('the policy can only launch tagged, and only tag, command and terminate what it created', () => {
  assert.equal(policy.Version, '2012-10-17');
  for (const s of policy.Statement) {
    assert.equal(s.Effect, 'Allow', s.Sid);
    for (const a of list(s.Action)) assert.doesNotMatch(a, /\*/, `${s.Sid}: wildcard action ${a}`);
  }
  const managed = { 'aws:ResourceTag/spot-deployer:managed-by': 'portable-spot-deployer' };

  // RunInstances creates instances, volumes and spot requests only with the request tags.
  const run = policy.Statement.filter((s) => allows(s, 'ec2:RunInstances'));
  const creating = run.filter((s) =>
    list(s.Resource).some((r) => /:(instance|volume|spot-instances-request)\/\*$/.test(r)),
  );
  assert.equal(creating.length, 1);
  const [launch] = creating as [Statement];
  assert.deepEqual(list(launch.Resource).sort(), [
    'arn:aws:ec2:*:*:instance/*',
    'arn:aws:ec2:*:*:spot-instances-request/*',
    'arn:aws:ec2:*:*:volume/*',
  ]);
  assert.equal(
    launch.Condition?.StringEquals?.['aws:RequestTag/spot-deployer:managed-by'],
    'portable-spot-deployer',
  );
  assert.equal(launch.Condition?.StringEquals?.['aws:RequestTag/spot-deployer:phase'], 'deploying');
  assert.equal(launch.Condition?.Null?.['aws:RequestTag/spot-deployer:deployment'], 'false');
  for (const s of run.filter((x) => x !== launch)) {
    for (const r of list(s.Resource))
      assert.doesNotMatch(
        r,
        /:(instance|volume)\//,
        `${s.Sid} lets RunInstances create untagged ${r}`,
      );
  }

  // CreateTags: while launching, or the deploy's own keys on instances it manages.
  const tagging = policy.Statement.filter((s) => allows(s, 'ec2:CreateTags'));
  assert.equal(tagging.length, 2);
  for (const s of tagging) {
    const onCreate = s.Condition?.StringEquals?.['ec2:CreateAction'] === 'RunInstances';
    const own =
      s.Condition?.StringEquals?.['aws:ResourceTag/spot-deployer:managed-by'] ===
      'portable-spot-deployer';
    assert.ok(onCreate !== own, `${s.Sid}: exactly one of the two conditions`);
    if (own) {
      const keys = list(s.Condition?.['ForAllValues:StringLike']?.['aws:TagKeys'] ?? []);
      assert.ok(keys.length > 0, `${s.Sid} limits the tag keys`);
      for (const k of keys)
        assert.match(k, /^spot-deployer:(phase|manifest-digest|sha|ref|updating:\*)$/);
      assert.ok(!keys.some((k) => k.includes('managed-by') || k.includes('deployment')));
    }
  }
  // DeleteTags and TerminateInstances only on instances it manages.
  for (const a of ['ec2:DeleteTags', 'ec2:TerminateInstances']) {
    const ss = policy.Statement.filter((s) => allows(s, a));
    assert.ok(ss.length > 0, a);
    for (const s of ss) {
      assert.deepEqual(list(s.Resource), ['arn:aws:ec2:*:*:instance/*'], `${s.Sid} (${a})`);
      assert.deepEqual(s.Condition?.StringEquals, managed, `${s.Sid} (${a})`);
    }
  }
  // PassRole: the instance role only, to EC2 only.
  const pass = policy.Statement.filter((s) => allows(s, 'iam:PassRole'));
  assert.equal(pass.length, 1);
  for (const r of list((pass[0] as Statement).Resource))
    assert.match(r, /^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/);
  assert.equal(
    (pass[0] as Statement).Condition?.StringEquals?.['iam:PassedToService'],
    'ec2.amazonaws.com',
  );
  // SendCommand: the AWS-RunShellScript document, to instances with the tag.
  const send = policy.Statement.filter((s) => allows(s, 'ssm:SendCommand'));
  const resources = send.flatMap((s) => list(s.Resource).map((r) => ({ r, s })));
  assert.deepEqual(resources.map((x) => x.r).sort(), [
    'arn:aws:ec2:*:*:instance/*',
    'arn:aws:ssm:*::document/AWS-RunShellScript',
  ]);
  const toInstances = resources.find((x) => x.r.includes(':instance/'))?.s;
  assert.deepEqual(toInstances?.Condition?.StringEquals, {
    'ssm:resourceTag/spot-deployer:managed-by': 'portable-spot-deployer',
  });
});

test(
  'plan applies the input overrides: same digest as the deploy that launches them',
  { timeout: 120_000 },
  async () => {
    const app = await makeApp();
    const overrides = { 'instance-profile': 'other-ssm', ttl: '2h', 'max-price': '0.02' };
    const inputs = {
      path: app.dir,
      'deployment-id': `iam/plan-${process.pid}`,
      'online-timeout': '60s',
    };
    const planned = async (extra: Record<string, string>) => {
      const out = await mkdtemp(join(tmpdir(), 'plan-'));
      const r = await action(cloud, {
        runId: newRunId(),
        inputs: { ...inputs, ...extra, command: 'plan', 'plan-out': out },
      });
      assert.equal(r.code, 0, explain(r));
      return {
        r,
        plan: JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as {
          regions: Array<{ instance: { instanceProfile: string }; market: { maxPrice?: string } }>;
          userData: { text: string };
        },
      };
    };
    const plain = await planned({});
    const amended = await planned(overrides);
    assert.notEqual(amended.r.outputs['manifest-digest'], plain.r.outputs['manifest-digest']);
    assert.equal(amended.plan.regions[0]?.instance.instanceProfile, 'other-ssm');
    assert.equal(amended.plan.regions[0]?.market.maxPrice, '0.02');
    assert.match(
      amended.plan.userData.text,
      /\$\(date \+%s\) \+ 7200 /,
      'the ttl is in the user data',
    );

    const deployed = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, ...overrides, command: 'deploy', strategy: 'update' },
    });
    assert.equal(deployed.code, 0, explain(deployed));
    // An update of a deployment without instances launches them.
    assert.match(
      deployed.stdout,
      /update: the deployment has no running instance to update; launching a new set/,
    );
    assert.equal(deployed.outputs['manifest-digest'], amended.r.outputs['manifest-digest']);
    const launched = cloud
      .instances()
      .filter((i) => i.tags[TAG.deployment] === inputs['deployment-id']);
    assert.deepEqual(
      launched.map((i) => i.tags[TAG.digest]),
      [amended.r.outputs['manifest-digest']],
    );
    const destroyed = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'destroy' },
    });
    assert.equal(destroyed.code, 0, explain(destroyed));
  },
);
