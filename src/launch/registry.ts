// Every instance id this run launched, recorded the moment RunInstances returns, so that
// failure handling, signal handlers and the post step can always find them (they are also
// tagged at creation with the run tag, which the post step searches by as well).

export type RegistrySnapshot = Record<string, string[]>;

export class InstanceRegistry {
  readonly #byRegion = new Map<string, string[]>();
  readonly #onChange: ((snapshot: RegistrySnapshot) => void) | undefined;

  constructor(onChange?: (snapshot: RegistrySnapshot) => void) {
    this.#onChange = onChange;
  }

  add(region: string, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const list = this.#byRegion.get(region) ?? [];
    for (const id of ids) if (!list.includes(id)) list.push(id);
    this.#byRegion.set(region, list);
    this.#onChange?.(this.snapshot());
  }

  /** Marks instances as gone (terminated by us); they are no longer this run's to clean. */
  remove(region: string, ids: readonly string[]): void {
    const list = this.#byRegion.get(region);
    if (!list) return;
    const left = list.filter((id) => !ids.includes(id));
    if (left.length === list.length) return;
    if (left.length === 0) this.#byRegion.delete(region);
    else this.#byRegion.set(region, left);
    this.#onChange?.(this.snapshot());
  }

  snapshot(): RegistrySnapshot {
    return Object.fromEntries([...this.#byRegion].map(([r, ids]) => [r, [...ids]]));
  }

  get size(): number {
    let n = 0;
    for (const ids of this.#byRegion.values()) n += ids.length;
    return n;
  }
}
