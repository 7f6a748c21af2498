// Hostile input: a secret (random, distinctive, full of characters that need quoting) given
// to deploy, status and destroy against the local cloud of real containers, each followed by
// its post step as the runner runs it. It must reach the instance (root-only file, mode 600,
// the value intact) and appear nowhere else: not in any log line (stdout and stderr of every
// process, post steps included), step output, state, summary, user data, tag, command
// parameter or command output the cloud recorded — as it is, by its distinctive part,
// URL-encoded, JSON-escaped, in hex, or inside base64 or gzip. A negative control shows the
// scanner finds each of those forms when one is planted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startCloud } from '../../cloud/server.ts';
import type { ActionRun } from '../../__fixtures__/action.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import {
  action,
  explain,
  inContainer,
  instancesOfDeployment,
  newRunId,
} from '../../__fixtures__/e2e.ts';
import { LeakScanner, secretForms } from './leaks.ts';

const CORE = `psd${randomBytes(12).toString('hex')}`;
/** Quotes of both kinds, shell and URL metacharacters, a percent sign, a non-ASCII letter. */
const SECRET = `${CORE}+/=&?%"'$\`\\;! é#x`;
const MASK = `::add-mask::${SECRET.replace(/%/g, '%25')}`;

interface Evidence {
  runs: Array<{ name: string; run: ActionRun }>;
  calls: unknown[];
  tags: unknown[];
  userData: Buffer[];
  commandOutputs: string[];
}

/** Feeds everything a person could read afterwards to the scanner. */
function scanAll(s: LeakScanner, e: Evidence): void {
  for (const { name, run } of e.runs) {
    // The runner consumes ::add-mask:: lines and masks the value everywhere else.
    const log = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    s.text(`${name} stdout`, log);
    s.text(`${name} stderr`, run.stderr);
    s.value(`${name} outputs`, run.outputs);
    s.value(`${name} state`, run.state);
    s.text(`${name} summary`, run.summary);
  }
  e.calls.forEach((c, i) => s.value(`call ${i}`, c));
  e.tags.forEach((t, i) => s.value(`tags ${i}`, t));
  e.userData.forEach((u, i) => {
    s.text(`user data ${i}`, u.toString('utf8'));
    s.text(`user data ${i} base64`, u.toString('base64'));
  });
  e.commandOutputs.forEach((o, i) => s.text(`command output ${i}`, o));
}

test('a secret reaches the instance and nothing else', { timeout: 300_000 }, async (t) => {
  const cloud = await startCloud({});
  try {
    const app = await makeApp();
    const deploymentId = `faults/secret-${process.pid}`;
    const inputs = {
      path: app.dir,
      'deployment-id': deploymentId,
      'online-timeout': '180s',
      secrets: `DB_PASSWORD=${SECRET}\n`,
    };
    const runs: Evidence['runs'] = [];
    // Each command as its own job step, then that step's post entry with the same inputs.
    const step = async (command: string): Promise<ActionRun> => {
      const runId = newRunId();
      const run = await action(cloud, { runId, inputs: { ...inputs, command } });
      assert.equal(run.code, 0, explain(run));
      assert.ok(run.stdout.includes(MASK), `${command}: the secret is masked`);
      const post = await action(cloud, {
        runId,
        entry: 'post',
        state: run.state,
        inputs: { ...inputs, command },
      });
      assert.equal(post.code, 0, explain(post));
      runs.push({ name: command, run }, { name: `${command} post`, run: post });
      return run;
    };

    await step('deploy');
    const [inst] = instancesOfDeployment(cloud, deploymentId);
    assert.ok(inst);
    // It reached the instance: root only, mode 600, the value intact when sourced.
    assert.equal(
      inContainer(inst, 'stat -c %a:%U:%G /etc/spot-deployer/secrets.env').trim(),
      '600:root:root',
    );
    assert.equal(
      inContainer(inst, 'set -a; . /etc/spot-deployer/secrets.env; printf %s "$DB_PASSWORD"'),
      SECRET,
    );
    const status = await step('status');
    assert.match(status.stdout, /\[site=active\]/);
    const destroyed = await step('destroy');
    assert.match(destroyed.stdout, /terminated 1 instance of faults\/secret-\d+/);

    // Everything the cloud recorded, read after the instance is gone.
    const evidence: Evidence = {
      runs,
      calls: cloud.calls(),
      tags: [...cloud.cloud.instances.values()].flatMap((i) => [
        Object.fromEntries(i.tags),
        Object.fromEntries(i.volumeTags),
      ]),
      userData: [...cloud.cloud.instances.values()].map((i) => i.userData),
      commandOutputs: [...cloud.cloud.commands.values()].flatMap((c) =>
        [...c.invocations.values()].flatMap((v) => [v.stdout, v.stderr]),
      ),
    };
    assert.ok(evidence.calls.some((c) => (c as { operation: string }).operation === 'SendCommand'));
    assert.equal(evidence.userData.length, 1);
    // The command that installed the sealed secrets is in the evidence: it opens the second
    // round, and its steps succeeded (a successful step prints only its marker lines, so what
    // the install printed never leaves the instance).
    assert.ok(
      evidence.commandOutputs.some((o) =>
        /^\[spot-deployer [0-9a-f]{12}\] start \d+-secrets \d+\n(?:.*\n)*\[spot-deployer [0-9a-f]{12}\] end \d+-secrets 0 /.test(
          o,
        ),
      ),
    );

    const scan = new LeakScanner(SECRET, CORE);
    scanAll(scan, evidence);
    t.diagnostic(`scanned ${scan.scanned} characters`);
    assert.ok(scan.scanned > 20_000, `scanned only ${scan.scanned} characters`);
    assert.deepEqual(scan.findings, []);
    // The scan did open the user data, as sent to EC2 and as the instance got it.
    const probe = new LeakScanner('#cloud-config');
    scanAll(probe, evidence);
    const where = probe.findings.filter((f) => f.form === 'raw').map((f) => f.where);
    assert.ok(
      where.some((w) => /^call \d+\.params\.UserData \(decoded\)/.test(w)),
      where.join('; '),
    );
    assert.ok(
      where.some((w) => w.startsWith('user data 0')),
      where.join('; '),
    );

    // Negative control: the same evidence with the secret planted once per form and place.
    const planted: Array<[string, (e: Evidence) => void]> = [
      ['raw in a log line', (e) => (e.runs[0]!.run.stdout += `\nconnecting with ${SECRET}\n`)],
      ['the ::add-mask:: line kept', (e) => (e.runs[0]!.run.stdout += `\n ${MASK}\n`)],
      [
        'shell-quoted in stderr',
        (e) => (e.runs[1]!.run.stderr += `'${SECRET.replaceAll("'", `'\\''`)}'`),
      ],
      [
        'URL-encoded in an output',
        (e) => (e.runs[2]!.run.outputs.x = `https://h/?p=${encodeURIComponent(SECRET)}`),
      ],
      ['JSON-escaped in the state', (e) => (e.runs[0]!.run.state.x = JSON.stringify({ SECRET }))],
      [
        'in the summary, in hex',
        (e) => (e.runs[4]!.run.summary += Buffer.from(SECRET).toString('hex')),
      ],
      ['in a tag', (e) => e.tags.push({ Name: `db ${SECRET}` })],
      ...[0, 1, 2].map((k): [string, (e: Evidence) => void] => [
        `base64 at offset ${k} in a command parameter`,
        (e) =>
          e.calls.push({
            params: {
              Parameters: {
                commands: [
                  `echo ${Buffer.concat([randomBytes(k + 3), Buffer.from(SECRET), randomBytes(4)]).toString('base64')} | base64 -d`,
                ],
              },
            },
          }),
      ]),
      [
        'gzip in user data',
        (e) => e.userData.push(gzipSync(`#cloud-config\nbootcmd: [echo ${SECRET}]\n`)),
      ],
      [
        'base64 of gzip inside a base64 cloud-config',
        (e) =>
          e.calls.push({
            operation: 'RunInstances',
            params: {
              UserData: Buffer.from(
                `#cloud-config\nwrite_files:\n- encoding: gz+b64\n  content: ${gzipSync(`PW=${SECRET}\n`).toString('base64')}\n`,
              ).toString('base64'),
            },
          }),
      ],
      ['in a command output', (e) => e.commandOutputs.push(`+ export DB_PASSWORD=${SECRET}`)],
    ];
    for (const [what, plant] of planted) {
      const copy: Evidence = structuredClone(evidence);
      plant(copy);
      const s = new LeakScanner(SECRET, CORE);
      scanAll(s, copy);
      assert.ok(s.findings.length > 0, `the scanner misses the secret ${what}`);
    }
  } finally {
    await cloud.close();
  }
});

test('the scanner finds the secret inside base64 at any alignment and inside gzip', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom('base64', 'base64url', 'gzip+base64'),
      (before, after, how) => {
        const bytes = Buffer.concat([before, Buffer.from(SECRET), after]);
        const text =
          how === 'base64'
            ? bytes.toString('base64')
            : how === 'base64url'
              ? bytes.toString('base64url')
              : gzipSync(bytes).toString('base64');
        const s = new LeakScanner(SECRET, CORE);
        s.text('planted', `prefix ${text} suffix`);
        return s.findings.length > 0;
      },
    ),
    { numRuns: 300 },
  );
  // And nothing in what does not hold it.
  const s = new LeakScanner(SECRET, CORE);
  s.text('clean', randomBytes(4096).toString('base64'));
  assert.deepEqual(s.findings, []);
  assert.ok(secretForms(SECRET, CORE).length >= 10);
});
