import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-ARQ7VHQ4.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-MY3JGSCD.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-TL2VDIZ6.js.map
