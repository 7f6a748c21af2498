// The rules of eslint.config.js that keep src/ in shape, as `npm run lint` (and so .ci/run)
// applies them: no function of src/ over 100 lines, whatever its form (declaration, arrow,
// method, IIFE), no file of src/commands/ over 250 lines (the generated validators alone
// are left out); below the entry layer, no process.env and no AWS clients of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The rules that fire on `code` as if it were the file `path` of the repository. */
async function rulesOn(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

/** `n` lines of body statements. */
const body = (n: number) =>
  Array.from({ length: n }, (_, i) => `  globalThis.x${i} = ${i};`).join('\n');

const FORMS: Record<string, (n: number) => string> = {
  declaration: (n) => `export function f(): void {\n${body(n)}\n}\n`,
  arrow: (n) => `export const f = (): void => {\n${body(n)}\n};\n`,
  method: (n) => `export const o = {\n  m(): void {\n${body(n)}\n  },\n};\n`,
  iife: (n) => `(() => {\n${body(n)}\n})();\n`,
};

for (const [form, code] of Object.entries(FORMS)) {
  test(`a function (${form}) over 100 lines anywhere in src/ is an error; at 100 it is not`, async () => {
    // With its opening and closing lines, a body of 99 makes 101 lines, of 98 makes 100.
    for (const path of ['src/launch/x.ts', 'src/validate/x.ts', 'src/cli.ts']) {
      assert.ok(
        (await rulesOn(path, code(99))).includes('max-lines-per-function'),
        `${form} in ${path}`,
      );
      assert.deepEqual(await rulesOn(path, code(98)), [], `${form} in ${path}`);
    }
  });
}

test('a file of src/commands/ over 250 lines is an error, elsewhere not', async () => {
  const code = Array.from(
    { length: 26 },
    (_, i) => `export function f${i}(): void {\n${body(8)}\n}\n`,
  ).join('');
  assert.ok((await rulesOn('src/commands/x.ts', code)).includes('max-lines'));
  assert.ok(!(await rulesOn('src/pipeline/x.ts', code)).includes('max-lines'));
});

test('the generated validators are the one file left out of the function rule', async () => {
  const rule = async (path: string) =>
    ((await eslint.calculateConfigForFile(join(ROOT, path))) as { rules?: Record<string, unknown> })
      .rules?.['max-lines-per-function'];
  assert.equal(await rule('src/validate/validators.generated.ts'), undefined);
  for (const path of ['src/validate/schema.ts', 'src/manifest/schema-types.ts', 'src/main.ts'])
    assert.ok(await rule(path), path);
});

test('below the entry layer nothing reads process.env or creates the AWS clients', async () => {
  const env = 'export const region = process.env.AWS_REGION;\n';
  const clients = "import { Clients } from '../aws/clients.ts';\nexport const c = new Clients();\n";
  for (const path of ['src/pipeline/x.ts', 'src/commands/x.ts', 'src/github/x.ts']) {
    assert.deepEqual(await rulesOn(path, env), ['no-restricted-properties'], path);
    assert.deepEqual(await rulesOn(path, clients), ['no-restricted-syntax'], path);
  }
  for (const path of ['src/action-host.ts', 'src/main.ts', 'src/terminal/x.ts']) {
    assert.deepEqual(await rulesOn(path, env), [], path);
    assert.deepEqual(await rulesOn(path, clients), [], path);
  }
});
