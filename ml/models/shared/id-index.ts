/** String id ↔ dense integer index, so models can keep their state in typed arrays. */
export class IdIndex {
  private readonly map = new Map<string, number>();
  private readonly list: string[] = [];

  get size(): number {
    return this.list.length;
  }

  get(id: string): number | undefined {
    return this.map.get(id);
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  /** Index of `id`, adding it at the end when new. */
  add(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.list.length;
      this.map.set(id, i);
      this.list.push(id);
    }
    return i;
  }

  id(index: number): string {
    const id = this.list[index];
    if (id === undefined) throw new RangeError(`no id at index ${index}`);
    return id;
  }

  ids(): readonly string[] {
    return this.list;
  }

  toJSON(): string[] {
    return [...this.list];
  }

  static from(ids: readonly string[]): IdIndex {
    const index = new IdIndex();
    for (const id of ids) index.add(id);
    return index;
  }
}
