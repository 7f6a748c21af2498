import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-AXXBBMGX.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-MY3JGSCD.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-AQGQRP2A.js.map
