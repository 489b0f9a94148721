import type { Lang } from './facilitation/types.js';

/**
 * The language of each channel's campaign as last read, kept a few seconds, so `/canevas help` (the
 * one command with nothing to read or write) is answered without a Redis round trip. A campaign started
 * or stopped by another process is seen within `ttlMs`; this process's own commands refresh it at once.
 */
export class ChannelLangs {
  private readonly langs = new Map<string, { lang: Lang; until: number }>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
  ) {}

  get(channel: string): Lang | undefined {
    const kept = this.langs.get(channel);
    if (!kept) return undefined;
    if (kept.until > Date.now()) return kept.lang;
    this.langs.delete(channel);
    return undefined;
  }

  set(channel: string, lang: Lang): void {
    this.langs.delete(channel);
    // A Map iterates in insertion order: the first key is the one refreshed longest ago.
    if (this.langs.size >= this.max) this.langs.delete(this.langs.keys().next().value as string);
    this.langs.set(channel, { lang, until: Date.now() + this.ttlMs });
  }

  forget(channel: string): void {
    this.langs.delete(channel);
  }
}
