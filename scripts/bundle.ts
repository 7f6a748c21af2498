// Bundles each entry point into dist/ with esbuild. Run: npm run bundle [-- --outdir DIR]
// The AWS SDK is loaded with dynamic import() from the deploy path only, so code
// splitting keeps it out of what `validate` and `plan` load at start-up.
import { build, type Plugin } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';

/**
 * The SDK clients' schema modules key objects by computed names (`{ [_xN]: "..." }`), which
 * esbuild keeps as possible side effects: then every schema of the service stays in the
 * bundle (EC2 has thousands, over 1 MB the deploy compiles before its first call). The names
 * are string constants of the same file: written as literal keys, the schemas no command of
 * ours uses are dropped.
 */
const literalSchemaKeys: Plugin = {
  name: 'literal-schema-keys',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/][^\\/]+\.js$/ },
      async (args) => {
        const text = await readFile(args.path, 'utf8');
        const names = new Map<string, string>();
        for (const m of text.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
          names.set(m[1] as string, m[2] as string);
        }
        const contents = text.replace(
          /(^[ \t]*|[{,][ \t]*)\[(_\w+)\]:/gm,
          (all, pre: string, name: string) => {
            const value = names.get(name);
            return value === undefined ? all : `${pre}${value}:`;
          },
        );
        return { contents, loader: 'js' };
      },
    );
  },
};

const outdir = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } }).values
  .outdir;
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    index: 'src/index.ts',
    'cleanup/index': 'src/cleanup.ts',
    cli: 'src/cli.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer each package's ESM build: the AWS SDK's CommonJS build bundles into one large
  // chunk that costs the deploy about 0.5 s of CPU and 60 MiB more (measured by the bench).
  mainFields: ['module', 'main'],
  target: 'node24',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);",
  },
  plugins: [literalSchemaKeys],
  logLevel: 'warning',
});
