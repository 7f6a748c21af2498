// The newcomer's main job: deploy the bundled example through the bundled action (dist/),
// with inputs as a workflow passes them, to a local cloud whose instances are real
// systemd-nspawn containers; show the outputs and the app answering; then status, destroy
// and the post step, and prove nothing is left. No AWS account involved.
//   npm run demo            (scripts/demo.sh installs what this needs first)

import { startCloud } from '../cloud/server.ts';
import { runAction, type ActionRun, type RunOptions } from '../__fixtures__/action.ts';
import { TAG } from '../src/plan/types.ts';

if (process.argv.includes('--help')) {
  process.stdout.write(
    'usage: npm run demo\n  deploys examples/nodejs-app (or $DEMO_EXAMPLE) through dist/ to a local cloud, then destroys it\n',
  );
  process.exit(0);
}

const example = process.env.DEMO_EXAMPLE ?? 'examples/nodejs-app';
const deploymentId = 'demo/nodejs-app';
const runId = String(Date.now());

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

async function step(
  title: string,
  o: Omit<RunOptions, 'cloudUrl' | 'runId' | 'bundle'>,
  url: string,
) {
  banner(title);
  const run: ActionRun = await runAction({
    ...o,
    cloudUrl: url,
    runId,
    bundle: true,
    // Show the action's log as the runner would.
    onSpawn: (child) => {
      child.stdout?.on('data', (d: Buffer) => process.stdout.write(d));
      child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    },
  });
  if (run.code !== 0) {
    throw new Error(
      `${title} failed (exit ${run.code}): ${run.errors.join('; ') || 'see the log above'}`,
    );
  }
  return run;
}

const cloud = await startCloud({});
let failed = false;
try {
  process.stdout.write(`local cloud at ${cloud.url} (EC2 + SSM; instances are containers)\n`);
  const inputs = { path: example, 'deployment-id': deploymentId, 'instance-profile': 'demo-ssm' };
  const deploy = await step('deploy', { inputs: { ...inputs, command: 'deploy' } }, cloud.url);
  banner('step outputs');
  for (const [k, v] of Object.entries(deploy.outputs)) process.stdout.write(`${k} = ${v}\n`);

  banner('the app answers (from this machine, as a user would)');
  const res = await fetch('http://127.0.0.1:8080/');
  process.stdout.write(`GET http://127.0.0.1:8080/ -> ${res.status} ${await res.text()}\n`);

  await step('status', { inputs: { ...inputs, command: 'status' } }, cloud.url);
  await step('destroy', { inputs: { ...inputs, command: 'destroy' } }, cloud.url);
  await step(
    'post step',
    { inputs: { ...inputs, command: 'deploy' }, entry: 'post', state: deploy.state },
    cloud.url,
  );

  const left = cloud
    .instances()
    .filter((i) => i.tags[TAG.deployment] === deploymentId && i.state !== 'terminated');
  banner('what is left');
  process.stdout.write(
    left.length === 0
      ? 'no instance of the demo is left running\n'
      : `LEFT: ${left.map((i) => i.id).join(' ')}\n`,
  );
  if (left.length > 0) failed = true;
} catch (e) {
  failed = true;
  process.stderr.write(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}\n`);
} finally {
  await cloud.close();
}
process.exitCode = failed ? 1 : 0;
