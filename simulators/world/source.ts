/** Where a simulator's world comes from: given, loaded from a directory, or generated. */
import { generateWorld } from '../generator/generate';
import type { ScaleName, WorldCounts } from '../generator/scale';
import { loadWorld } from './ndjson';
import type { World } from './types';

export interface WorldSource {
  /** A world object to serve (shared, not copied: two simulators given the same object stay consistent). */
  world?: World;
  /** A directory in the NDJSON world format. */
  worldDir?: string;
  scale?: ScaleName | WorldCounts;
  seed?: number;
  /** The generator's "now" (see generateWorld). */
  anchor?: string | number;
}

export async function resolveWorld(src: WorldSource): Promise<World> {
  if (src.world) return src.world;
  if (src.worldDir) return loadWorld(src.worldDir);
  return generateWorld({
    scale: src.scale ?? 'small',
    seed: src.seed ?? 1,
    ...(src.anchor !== undefined ? { anchor: src.anchor } : {}),
  });
}
