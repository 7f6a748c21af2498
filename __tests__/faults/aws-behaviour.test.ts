// What AWS documents and the local cloud now does by default, against the whole action on the
// simulated backend: offerings that differ by region and zone, an account without the spot
// service-linked role, an instance profile IAM is still propagating, and a headline that
// names the one reason every pool gave. (cloud/README.md's fidelity table cites the sources.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zonesOf } from '../../cloud/catalog.ts';
import { explain } from '../../__fixtures__/e2e.ts';
import { assertNothingOfRun, deployApp, simulated } from './support.ts';

test('a type the region does not offer: DescribeInstanceTypes refuses the list, its pool is skipped, the next launches', async () => {
  const d = await deployApp(
    simulated(),
    { region: 'sa-east-1', instanceTypes: ['c7i.large', 't3.micro'], total: 1 },
    {},
    'faults/offerings',
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    const lookups = d.cloud.calls().filter((c) => c.operation === 'DescribeInstanceTypes');
    assert.equal(lookups[0]?.error, 'InvalidInstanceType', 'the whole list is refused first');
    assert.deepEqual(d.launches, [['t3.micro', 'spot', 'ok']]);
    assert.match(
      d.r.summary,
      /c7i\.large in any zone \(spot\): skipped, .*not offered in sa-east-1/,
    );
  } finally {
    await d.cloud.close();
  }
});

test('a type one zone does not offer: RunInstances answers Unsupported, the next pool launches', async () => {
  const zoneC = zonesOf('us-west-2')[2]!;
  const d = await deployApp(
    simulated(),
    { instanceTypes: ['c7i.large', 't3.micro'], subnets: [zoneC.subnetId], total: 1 },
    {},
    'faults/offerings',
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    assert.deepEqual(d.launches, [
      ['c7i.large', 'spot', 'Unsupported'],
      ['t3.micro', 'spot', 'ok'],
    ]);
  } finally {
    await d.cloud.close();
  }
});

test('every pool skipped for one reason: the headline says that reason, not capacity', async () => {
  const d = await deployApp(
    simulated(),
    { region: 'sa-east-1', instanceTypes: ['c7i.large', 'm7g.large'], total: 1 },
    {},
    'faults/offerings',
  );
  try {
    assert.equal(d.r.code, 1, explain(d.r));
    assert.match(
      d.r.errors[0] ?? '',
      /^deploy failed: the instance types are not offered where asked: launched 0 of 1, 1 needed\nsa-east-1: launched 0 of 1; tried c7i\.large in any zone \(spot\): skipped, instance type c7i\.large is not offered in sa-east-1; m7g\.large/,
    );
    assert.deepEqual(d.launches, []);
  } finally {
    await d.cloud.close();
  }
});

test('an account without the spot service-linked role: the error is named with what to do', async () => {
  const d = await deployApp(
    simulated({ fidelity: { noSpotServiceLinkedRole: true } }),
    { instanceTypes: ['t3.micro'], total: 1 },
    {},
    'faults/spot-role',
  );
  try {
    assert.equal(d.r.code, 1, explain(d.r));
    const message = d.r.errors.join('\n');
    assert.match(message, /AuthFailure\.ServiceLinkedRoleCreationNotPermitted/);
    assert.match(message, /AWSServiceRoleForEC2Spot/);
    assert.match(
      message,
      /iam:CreateServiceLinkedRole .*iam:AWSServiceName = spot\.amazonaws\.com/,
    );
    assert.match(
      message,
      /aws iam create-service-linked-role --aws-service-name spot\.amazonaws\.com/,
    );
    assert.deepEqual(d.launches, [
      ['t3.micro', 'spot', 'AuthFailure.ServiceLinkedRoleCreationNotPermitted'],
    ]);
    await assertNothingOfRun(d.cloud, d.runId);
  } finally {
    await d.cloud.close();
  }
});

test('an instance profile IAM is still propagating: RunInstances is asked again until it is accepted', async () => {
  const d = await deployApp(
    simulated({ fidelity: { propagatingProfiles: { 'spot-deployer-ssm': 2500 } } }),
    { instanceTypes: ['t3.micro'], total: 1 },
    {},
    'faults/new-profile',
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    assert.ok(d.launches.length >= 2, JSON.stringify(d.launches));
    assert.deepEqual(d.launches.at(-1), ['t3.micro', 'spot', 'ok']);
    for (const l of d.launches.slice(0, -1)) {
      assert.deepEqual(l, ['t3.micro', 'spot', 'InvalidParameterValue']);
    }
    assert.match(d.r.stdout, /instance profile refused \(IAM may still be propagating it\)/);
  } finally {
    await d.cloud.close();
  }
});
