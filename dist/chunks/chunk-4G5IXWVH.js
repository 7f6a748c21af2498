import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/diagnostics.ts
function formatDiagnostic(d) {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}
var UserError = class extends Error {
  diagnostics;
  constructor(message, diagnostics = []) {
    super(message);
    this.name = "UserError";
    this.diagnostics = diagnostics;
  }
};
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

export {
  formatDiagnostic,
  UserError,
  errorMessage
};
//# sourceMappingURL=chunk-4G5IXWVH.js.map
