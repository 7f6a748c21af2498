// Which of the layouts a directory holds, in the original tool's order:
//   1. .spot/ with config.yaml and deployment.yaml
//   2. deployment/ with setup.sh or init.sh (the convention layout; cloud settings from
//      .spot/config.yaml or, where the original tool kept them, config.yaml at the root)
// A tarball deployment is a .spot/ whose deployment.yaml names tarball_url or tarball_source.

import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { inside } from '../manifest/paths.ts';

export type Discovered =
  | {
      layout: 'spot';
      baseDir: string;
      baseRel: '.spot';
      configFile: string;
      deploymentFile: string;
    }
  | {
      layout: 'convention';
      baseDir: string;
      baseRel: 'deployment';
      /** Absent when neither config.yaml is there: the cloud settings then default. */
      configFile?: string;
    };

export const SPOT_DIR = '.spot';
export const CONVENTION_DIR = 'deployment';
/** The convention layout's main script, first found wins. */
export const MAIN_SCRIPTS = ['setup.sh', 'init.sh'];

async function kind(p: string): Promise<'file' | 'dir' | 'other' | undefined> {
  try {
    const st = await stat(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

function problem(file: string, message: string): Diagnostic {
  return { file, line: 0, col: 0, severity: 'error', message };
}

async function staysInside(root: string, p: string): Promise<boolean> {
  try {
    return inside(await realpath(root), await realpath(p));
  } catch {
    return false;
  }
}

/** A .spot/ without both files: which are missing, and a hint for .yml spellings. */
async function incompleteSpot(
  spot: string,
  hasConfig: boolean,
  hasDeployment: boolean,
): Promise<Diagnostic> {
  const missing: string[] = [];
  const hints: string[] = [];
  for (const [name, present] of [
    ['config.yaml', hasConfig],
    ['deployment.yaml', hasDeployment],
  ] as const) {
    if (present) continue;
    missing.push(name);
    const yml = name.replace(/\.yaml$/, '.yml');
    if ((await kind(join(spot, yml))) === 'file')
      hints.push(`rename .spot/${yml} to .spot/${name}`);
  }
  return problem(
    SPOT_DIR,
    `.spot/ needs config.yaml and deployment.yaml; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing` +
      (hints.length > 0 ? ` (${hints.join('; ')})` : ''),
  );
}

/** The convention layout's main script, when deployment/ has one. */
async function mainScript(conv: string): Promise<string | undefined> {
  for (const m of MAIN_SCRIPTS) if ((await kind(join(conv, m))) === 'file') return m;
  return undefined;
}

/** The convention layout, with its cloud settings' file when there is one. */
async function conventionFound(
  root: string,
  conv: string,
  hasSpotConfig: boolean,
): Promise<{ found?: Discovered; diagnostics: Diagnostic[] }> {
  if (!(await staysInside(root, conv))) {
    return {
      diagnostics: [
        problem(CONVENTION_DIR, 'deployment is a symbolic link that leads outside the repository'),
      ],
    };
  }
  let configFile: string | undefined;
  if (hasSpotConfig) configFile = `${SPOT_DIR}/config.yaml`;
  else if ((await kind(join(root, 'config.yaml'))) === 'file') configFile = 'config.yaml';
  return {
    found: {
      layout: 'convention',
      baseDir: conv,
      baseRel: CONVENTION_DIR,
      ...(configFile !== undefined ? { configFile } : {}),
    },
    diagnostics: [],
  };
}

/** Finds the layout under `root` (absolute), or says what was looked for. */
export async function discover(
  root: string,
): Promise<{ found?: Discovered; diagnostics: Diagnostic[] }> {
  const rootKind = await kind(root);
  if (rootKind === undefined) return { diagnostics: [problem('.', `directory ${root} not found`)] };
  if (rootKind !== 'dir') return { diagnostics: [problem('.', `${root} is not a directory`)] };

  const spot = join(root, SPOT_DIR);
  const conv = join(root, CONVENTION_DIR);
  const spotIsDir = (await kind(spot)) === 'dir';
  const hasConfig = spotIsDir && (await kind(join(spot, 'config.yaml'))) === 'file';
  const hasDeployment = spotIsDir && (await kind(join(spot, 'deployment.yaml'))) === 'file';
  const convIsDir = (await kind(conv)) === 'dir';
  const main = convIsDir ? await mainScript(conv) : undefined;

  if (hasConfig && hasDeployment) {
    if (!(await staysInside(root, spot))) {
      return {
        diagnostics: [
          problem(SPOT_DIR, '.spot is a symbolic link that leads outside the repository'),
        ],
      };
    }
    return {
      found: {
        layout: 'spot',
        baseDir: spot,
        baseRel: SPOT_DIR,
        configFile: `${SPOT_DIR}/config.yaml`,
        deploymentFile: `${SPOT_DIR}/deployment.yaml`,
      },
      diagnostics: [],
    };
  }

  if (main !== undefined) return conventionFound(root, conv, hasConfig);

  if (spotIsDir) return { diagnostics: [await incompleteSpot(spot, hasConfig, hasDeployment)] };

  if (convIsDir) {
    return {
      diagnostics: [
        problem(
          CONVENTION_DIR,
          `deployment/ has neither ${MAIN_SCRIPTS.join(' nor ')}, which the convention layout runs first; add one, or run 'spot-deployer generate' to create a .spot/ instead`,
        ),
      ],
    };
  }

  // The original tool's own layout without the deployment/ it also needed to find it.
  const tree =
    (await kind(join(root, 'instance-files'))) === 'dir'
      ? ` instance-files/ is here: as with the original tool, it is delivered once a deployment/ with a setup.sh (which may do nothing) sits beside it.`
      : '';
  return {
    diagnostics: [
      problem(
        '.',
        `no deployment found in ${root}: looked for .spot/config.yaml with .spot/deployment.yaml, ` +
          `and for deployment/setup.sh or deployment/init.sh.${tree} Run 'spot-deployer generate' to create a .spot/ to start from`,
      ),
    ],
  };
}
