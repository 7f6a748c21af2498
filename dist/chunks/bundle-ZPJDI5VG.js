import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  packDirectory,
  sha256Hex
} from "./chunk-3HBCK5FV.js";
import "./chunk-ET7XX2IW.js";
import "./chunk-MGZNPMRM.js";
import {
  loadDeployment
} from "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import "./chunk-NIG5AYO3.js";
import {
  UserError
} from "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/bundle.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
async function bundleCommand(path, out) {
  const res = await loadDeployment(resolve(path));
  if (!res.deployment) {
    throw new UserError(`the manifest at '${path}' is not valid`, res.diagnostics);
  }
  const t = res.deployment.tarball;
  if (t?.kind !== "source") {
    throw new UserError(
      `the manifest at '${path}' has no tarball_source to bundle` + (t?.kind === "url" ? " (it already names a tarball_url)" : "")
    );
  }
  const data = await packDirectory(res.deployment, t.path, `tarball_source (${t.path})`);
  const file = resolve(out);
  await writeFile(file, data);
  return { file, sha256: sha256Hex(data), bytes: data.length, source: t.path };
}
export {
  bundleCommand
};
//# sourceMappingURL=bundle-ZPJDI5VG.js.map
