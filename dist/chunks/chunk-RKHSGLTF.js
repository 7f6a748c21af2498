import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  error,
  warning
} from "./chunk-6QLUEHOR.js";

// src/annotate.ts
function annotate(d) {
  const props = {
    file: d.file,
    ...d.line > 0 ? { startLine: d.line } : {},
    ...d.col > 0 ? { startColumn: d.col } : {}
  };
  if (d.severity === "error") error(d.message, props);
  else warning(d.message, props);
}

export {
  annotate
};
//# sourceMappingURL=chunk-RKHSGLTF.js.map
