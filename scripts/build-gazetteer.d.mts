// Types of what scripts/build-gazetteer.mjs exports, for the test that checks its folding.

/** Same as foldToken in src/evidence/text-fold.ts. */
export function foldToken(word: string): string;
/** Same as foldKey in src/evidence/text-fold.ts. */
export function foldKey(name: string): string;
/** Whether a GeoNames alternate name is a plausible exonym a reader would type. */
export function plausibleAlternate(name: string): boolean;
/** Two Bloom filter bit positions of a first word. */
export function bloomHashes(word: string): [number, number];
