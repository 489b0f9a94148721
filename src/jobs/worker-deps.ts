import type { Engine } from '../engine.js';
import type { PlatformName } from '../facilitation/types.js';
import type { Logger } from '../logger.js';
import type { ChatPlatform } from '../platform.js';
import type { Renderer } from '../render/renderer.js';
import type { CampaignStore } from '../store/types.js';
import type { Queues } from './queues.js';

export interface WorkerDeps {
  store: CampaignStore;
  queues: Queues;
  engine: Engine;
  renderer: Renderer;
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  publicUrl: string;
  logger: Logger;
  clock?: () => Date;
}
