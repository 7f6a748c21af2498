import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-7A7OQUKO.js";
import "./chunk-4HOHSJLH.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-5RNFVK3I.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-5X5ACXF6.js.map
