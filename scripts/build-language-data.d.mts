// Types of what scripts/build-language-data.mjs exports, for the test that checks its hash.

/** Number of hash buckets. */
export const BUCKETS: number;
/** FNV-1a bucket of an n-gram. Same as ngramBucket in src/evidence/eld-data.ts. */
export function ngramBucket(key: string): number;
