// Decoded, resized images in memory, keyed by the file's content (sha256) and the output size, so
// that training epochs and repeated predictions decode each picture once. Least recently used
// entries are dropped past a byte budget.

export const DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024;

export class ImageCache {
  private readonly entries = new Map<string, Float32Array>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number = DEFAULT_CACHE_BYTES) {}

  static key(sha256: string, size: number, fit: string): string {
    return `${sha256}:${size}:${fit}`;
  }

  get(key: string): Float32Array | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert to mark as most recently used (a Map iterates in insertion order).
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: Float32Array): void {
    if (value.byteLength > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.bytes -= previous.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.bytes += value.byteLength;
    for (const [oldest, array] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= array.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.hits = 0;
    this.misses = 0;
  }
}

/** Shared by loadImage/loadCasePair unless a caller passes its own (or null for none). */
export const defaultImageCache = new ImageCache();
