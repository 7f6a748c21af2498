import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  deploymentIdFromGit,
  gitEnv,
  repositoryOfRemote
} from "./chunk-63JJSYQO.js";
import "./chunk-DPXUJE6X.js";
import "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";
export {
  deploymentIdFromGit,
  gitEnv,
  repositoryOfRemote
};
//# sourceMappingURL=git-HPQPI2QY.js.map
