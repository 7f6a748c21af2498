import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-4G5IXWVH.js";
import "./chunk-MY3JGSCD.js";

// src/commands/generate.ts
async function generateCommand(_inputs, _reporter) {
  throw new UserError("generate is not built yet");
}
export {
  generateCommand
};
//# sourceMappingURL=generate-64EXRUR4.js.map
