// The layering of src/: imports flow one way along the pipeline. A module may import its
// own layer and the layers below it, never one above (a stage never imports a later stage).
// `npm run depcheck` (run by .ci/run) fails on any import that breaks this, and on cycles.
// docs/architecture.md draws the same picture. There is no list of tolerated violations.

/** Lowest first. Each entry: a name and the paths (regular expressions) it holds. */
const LAYERS = [
  {
    name: 'base',
    paths: [
      '^src/diagnostics[.]ts$',
      '^src/log[.]ts$',
      '^src/manifest/',
      '^src/plan/types[.]ts$',
      '^src/aws/',
    ],
  },
  { name: 'discover', paths: ['^src/discover/'] },
  { name: 'validate', paths: ['^src/validate/'] },
  { name: 'plan', paths: ['^src/plan/', '^src/generate/'] },
  { name: 'inputs', paths: ['^src/inputs[.]ts$', '^src/identity[.]ts$'] },
  { name: 'launch', paths: ['^src/launch/'] },
  { name: 'deliver', paths: ['^src/deliver/'] },
  { name: 'verify', paths: ['^src/verify/'] },
  { name: 'report', paths: ['^src/report/'] },
  { name: 'destroy', paths: ['^src/destroy/'] },
  { name: 'github', paths: ['^src/github/'] },
  { name: 'orchestration', paths: ['^src/host[.]ts$', '^src/pipeline/'] },
  // What logs, exec and list share (the remote scripts, their run and report over the host).
  { name: 'operate', paths: ['^src/operate/'] },
  { name: 'commands', paths: ['^src/commands/'] },
  {
    // The hosts and entry points: only these talk to the runner (workflow commands); the
    // command line's own parts (terminal/: arguments, its host, the live view) are entry too.
    name: 'entry',
    paths: [
      '^src/main[.]ts$',
      '^src/post[.]ts$',
      '^src/cleanup[.]ts$',
      '^src/index[.]ts$',
      '^src/cli[.]ts$',
      '^src/action-host[.]ts$',
      '^src/annotate[.]ts$',
      '^src/runner[.]ts$',
      '^src/cancellation[.]ts$',
      '^src/terminal/',
    ],
  },
];

const either = (paths) => `(${paths.join('|')})`;

/** A layer's own paths, less those of any layer below that they would also match
 * (src/plan/types.ts is base, not plan). */
function own(i) {
  const below = LAYERS.slice(0, i).flatMap((l) => l.paths);
  return { path: either(LAYERS[i].paths), ...(below.length ? { pathNot: either(below) } : {}) };
}

const backward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} may import only itself and the layers below: ${LAYERS.slice(0, i)
    .map((l) => l.name)
    .join(', ')}`,
  severity: 'error',
  from: own(i),
  to: {
    path: either(LAYERS.slice(i + 1).flatMap((l) => l.paths)),
    pathNot: either(LAYERS.slice(0, i + 1).flatMap((l) => l.paths)),
  },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...backward,
    {
      name: 'every-module-has-a-layer',
      comment: 'a new folder or file of src/ is placed in LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: either(LAYERS.flatMap((l) => l.paths)) },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '[.]generated[.]ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a type from a later stage is a backward import too.
    moduleSystems: ['es6'],
  },
};
