// Keeps the README's tables of inputs and outputs in step with action.yml.
//   node scripts/docs.ts          rewrite README.md
//   node scripts/docs.ts --check  exit 1 when README.md is stale (the tests call this)
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (s: string) =>
  s
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

export function renderTables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionYml;
  const inputs = [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${i.default ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`,
    ),
  ].join('\n');
  return { inputs, outputs };
}

/** The README with fresh tables, formatted the way `prettier --write` formats it. */
export async function updateReadme(readme: string, actionYml: string): Promise<string> {
  const options = (await resolveConfig('README.md')) ?? {};
  return format(replaceTables(readme, actionYml), { ...options, parser: 'markdown' });
}

function replaceTables(readme: string, actionYml: string): string {
  const t = renderTables(actionYml);
  const put = (text: string, tag: string, body: string) => {
    const re = new RegExp(`(<!-- ${tag}:start -->)[\\s\\S]*?(<!-- ${tag}:end -->)`);
    if (!re.test(text)) throw new Error(`README.md has no <!-- ${tag}:start/end --> markers`);
    return text.replace(re, (_m, a: string, b: string) => `${a}\n${body}\n${b}`);
  };
  return put(put(readme, 'inputs', t.inputs), 'outputs', t.outputs);
}

if (import.meta.main) {
  const readme = readFileSync('README.md', 'utf8');
  const next = await updateReadme(readme, readFileSync('action.yml', 'utf8'));
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md tables differ from action.yml: run `node scripts/docs.ts`');
      process.exit(1);
    }
  } else {
    writeFileSync('README.md', next);
  }
}
