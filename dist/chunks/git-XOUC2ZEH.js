import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  deploymentIdFromGit,
  gitEnv,
  repositoryOfRemote
} from "./chunk-AI2PSSK5.js";
import "./chunk-7IZJ57RE.js";
import "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";
export {
  deploymentIdFromGit,
  gitEnv,
  repositoryOfRemote
};
//# sourceMappingURL=git-XOUC2ZEH.js.map
