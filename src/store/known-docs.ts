/**
 * Campaign documents this process has read, as JSON by campaign id, each with the version it was read
 * at. Every change of a document moves its version (APPLY_TRANSITION), so a document is asked of Redis
 * only when its version is not the one known: commands and `status`, asked again and again, then skip
 * moving and inflating it. The oldest are forgotten past `max`.
 */
export class KnownDocs {
  private readonly docs = new Map<string, { version: string; json: string }>();

  constructor(private readonly max = 1000) {}

  /** The version known for a campaign, '' for none. */
  version(campaignId: string): string {
    return this.docs.get(campaignId)?.version ?? '';
  }

  /** The JSON known at exactly this version. */
  json(campaignId: string, version: string): string | undefined {
    const known = this.docs.get(campaignId);
    return known?.version === version ? known.json : undefined;
  }

  remember(campaignId: string, version: string, json: string): void {
    this.docs.delete(campaignId);
    // A Map iterates in insertion order: the first key is the one read longest ago.
    if (this.docs.size >= this.max) this.docs.delete(this.docs.keys().next().value as string);
    this.docs.set(campaignId, { version, json });
  }
}
