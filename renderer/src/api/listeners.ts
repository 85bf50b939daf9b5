/** A tiny listener set; a throwing listener must not stop the others (one bad screen ≠ dead console). */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (error) {
        console.error('A Sluice listener threw; the others still ran.', error);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}
