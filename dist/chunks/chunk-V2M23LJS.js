import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/aws/regions.ts
function regionsToSearch(given, record) {
  const all = [
    ...given,
    ...record?.regions ?? [],
    ...record?.instances.map((i) => i.region) ?? []
  ];
  return [...new Set(all.filter((r) => r !== ""))];
}

export {
  regionsToSearch
};
//# sourceMappingURL=chunk-V2M23LJS.js.map
